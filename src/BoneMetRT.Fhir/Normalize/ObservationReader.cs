using BoneMetRT.Domain;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Mirels;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;

namespace BoneMetRT.Fhir.Normalize;

/// <summary>
/// Reads Observations into candidate values per item and per target (a lesion, a compression, a procedure, or the
/// patient). Explicit bonemet Observations and the standard LOINC ones (pain 72514-3, ECOG 89247-1, Karnofsky 89243-0).
/// The facts are built by the readers that ask for candidates; whatever is never asked for is reported as ignored.
/// </summary>
/// <param name="ctx">Issues and use of the entries.</param>
/// <param name="lesionKeys">Counted lesion Conditions and their keys.</param>
/// <param name="counted">Every counted lesion and compression Condition: an Observation about an uncounted one is ignored.</param>
/// <param name="onlyLesion">The key of the patient's only lesion, when there is exactly one.</param>
internal sealed class ObservationReader(
    ReadContext ctx,
    IReadOnlyDictionary<Resource, string> lesionKeys,
    IReadOnlySet<Resource> counted,
    string? onlyLesion)
{
    private static readonly HashSet<string> LesionItems =
        [ItemCodes.MirelsSite, ItemCodes.MirelsSize, ItemCodes.LesionType, ItemCodes.MirelsPain, ItemCodes.CorticalLysisAxial, ItemCodes.CorticalLysisCircumferential, ItemCodes.LesionWellDefined, ItemCodes.EpiduralExtension];

    /// <summary>Items that describe a lesion, a compression or a procedure when their focus says which, the patient otherwise.</summary>
    private static readonly HashSet<string> FocusOptional = [ItemCodes.AnalgesicRefractoryPain, ItemCodes.NeuropathicPain, ItemCodes.SkinHealed, ItemCodes.AmbulatoryStatus, ItemCodes.MotorDeficitDuration];

    /// <summary>Items the engine holds once per patient: a focus, when sent, is checked but does not move the value.</summary>
    private static readonly HashSet<string> PatientItems =
        [ItemCodes.PrimaryTumourType, ItemCodes.VisceralMetastases, ItemCodes.PainScore, ItemCodes.PerformanceStatus];

    private static readonly Dictionary<string, int> EcogAnswers = new()
    {
        ["LA9622-7"] = 0, ["LA9623-5"] = 1, ["LA9624-3"] = 2, ["LA9625-0"] = 3, ["LA9626-8"] = 4, ["LA9627-6"] = 5,
    };

    private readonly InputIndex index = ctx.Index;
    private readonly Dictionary<(string Item, string? Target), List<Value>> _values = [];
    private readonly HashSet<(string Item, string? Target)> _asked = [];

    /// <summary>One value read from an Observation.</summary>
    private sealed record Value(object Data, DateTimeOffset? When, PartialDate? Date, string Source, bool Explicit, int Index);

    /// <summary>The values of an item for a target (null: the patient); the item is then "asked" and not reported as unused.</summary>
    public IEnumerable<Candidate<T>> Candidates<T>(string item, string? target) =>
        Dated<T>(item, target).Select(v => v.Candidate);

    /// <summary>Like <see cref="Candidates{T}"/>, with the date as written and the entry of each value.</summary>
    public IReadOnlyList<(Candidate<T> Candidate, PartialDate? Date, int Index)> Dated<T>(string item, string? target)
    {
        _asked.Add((item, target));
        return _values.TryGetValue((item, target), out var list)
            ? [.. list.Select(v => (new Candidate<T>((T)v.Data, v.When, v.Source, v.Explicit), v.Date, v.Index))]
            : [];
    }

    /// <summary>The fact of an item for a target.</summary>
    public Fact<T> Fact<T>(string item, string? target) => FactResolution.Resolve(Candidates<T>(item, target));

    public void Read(int i, Observation o)
    {
        var codings = o.Code?.Coding ?? [];
        var bonemet = codings.FirstOrDefault(c => c.System == CodeSystems.BoneMet)?.Code;
        var loinc = codings.FirstOrDefault(c => c.System == CodeSystems.Loinc)?.Code;
        var item = bonemet ?? loinc switch
        {
            PainScoreLoinc => ItemCodes.PainScore,
            EcogLoinc or KarnofskyLoinc => ItemCodes.PerformanceStatus,
            _ => null,
        };

        if (item is null)
        {
            return; // reported as carrying no code the engine reads
        }

        object? value = item switch
        {
            ItemCodes.MirelsSite => Coded(o, MirelsTable.Site),
            ItemCodes.MirelsSize => o.Value is Quantity q ? Percent(q) is { } p ? MirelsTable.SizeFromPercent(p) : null : Coded(o, MirelsTable.Size),
            ItemCodes.LesionType => Coded(o, MirelsTable.Type),
            ItemCodes.MirelsPain => Coded(o, MirelsTable.Pain),
            ItemCodes.PrimaryTumourType => Coded(o, Domain.Rades.RadesTable.Primary),
            ItemCodes.AmbulatoryStatus => Coded(o, Domain.Rades.RadesTable.Ambulatory),
            ItemCodes.CorticalLysisAxial => o.Value is Quantity q ? Axial(q) : null,
            ItemCodes.CorticalLysisCircumferential => o.Value is Quantity q ? Percent(q) : null,
            ItemCodes.MotorDeficitDuration => o.Value is Quantity q ? Days(q) : null,
            ItemCodes.VisceralMetastases or ItemCodes.AnalgesicRefractoryPain or ItemCodes.NeuropathicPain or ItemCodes.EpiduralExtension or ItemCodes.LesionWellDefined or ItemCodes.SkinHealed
                => o.Value is FhirBoolean b ? b.Value : null,
            ItemCodes.PainScore => Integer(o.Value) is { } n and >= 0 and <= 10 ? n : null,
            ItemCodes.PerformanceStatus => Performance(loinc!, o.Value),
            _ => Unknown(i, item),
        };

        if (value is UnknownItem)
        {
            return;
        }

        if (value is null)
        {
            ctx.Add(Issue.Invalid(new(
                $"The value of this '{item}' Observation is absent or not of the expected type, unit or code (see the contract and the profile {item}).",
                $"La valeur de cette Observation « {item} » est absente ou n'a pas le type, l'unité ou le code attendu (voir le contrat et le profil {item})."),
                index.Expression(i, "value")));
            return;
        }

        if (!Target(i, o, item, out var target))
        {
            return;
        }

        var key = (item, target);
        if (!_values.TryGetValue(key, out var list))
        {
            _values[key] = list = [];
        }

        // Contract §2: a mirels-size % quantity is the standard form, the coded band the explicit one, which wins.
        var isExplicit = !(item == ItemCodes.MirelsSize && o.Value is Quantity);
        list.Add(new(value, Effective(o), FhirDates.Partial(o.Effective) ?? (o.Issued is { } issued ? PartialDate.Day(DateOnly.FromDateTime(issued.UtcDateTime)) : null),
            index.Key(i), isExplicit, i));
        ctx.Use(i);
    }

    /// <summary>
    /// Observations read but never asked for by the facts (a focus on something the item does not describe, motor items
    /// without a compression, skin-healed without a surgery) were not used: report them as ignored.
    /// </summary>
    public void ReportUnasked()
    {
        foreach (var ((item, target), list) in _values.Where(v => !_asked.Contains(v.Key)))
        {
            foreach (var v in list)
            {
                ctx.Unuse(v.Index);
                ctx.Ignore(v.Index, target is null
                    ? new($"this '{item}' Observation has nothing to apply to (no spinal cord compression for the motor items, no surgery for skin-healed).",
                        $"cette Observation « {item} » ne s'applique à rien (pas de compression médullaire pour les items moteurs, pas de chirurgie pour skin-healed).")
                    : new($"the focus of this '{item}' Observation ({target}) is not something this item describes.",
                        $"le focus de cette Observation « {item} » ({target}) n'est pas un élément que cet item décrit."));
            }
        }
    }

    private bool Target(int i, Observation o, string item, out string? target)
    {
        target = null;
        var focus = o.Focus.FirstOrDefault();
        if (focus is not null)
        {
            var resolved = ctx.Follow(i, focus, "focus");
            if (resolved is null)
            {
                return false;
            }

            if (PatientItems.Contains(item))
            {
                return true; // one value per patient, whatever the focus names
            }

            target = lesionKeys.TryGetValue(resolved, out var lesion) ? lesion : index.Key(resolved);
            if (!counted.Contains(resolved) && resolved is Condition c
                && c.Code?.Coding.Any(x => IsBoneMetastasis(x.System, x.Code) || IsSecondaryNeoplasm(x.System, x.Code) || IsSpinalCordCompression(x.System, x.Code)) == true)
            {
                // The lesion or compression itself was not counted (not active, not confirmed, refuted, entered in error,
                // dated after the assessment): so are its items.
                ctx.Ignore(i, new($"the Condition this '{item}' Observation is about is not counted (not active, not confirmed, refuted, entered in error or dated after the assessment).",
                    $"la Condition dont traite cette Observation « {item} » n'est pas prise en compte (non active, non confirmée, réfutée, saisie par erreur ou postérieure à l'évaluation)."));
                return false;
            }

            if (LesionItems.Contains(item) && lesion is null)
            {
                ctx.Add(Issue.Invalid(new($"The focus of this '{item}' Observation must be a bone-metastasis Condition.",
                    $"Le focus de cette Observation « {item} » doit être une Condition de métastase osseuse."), index.Expression(i, "focus")));
                return false;
            }

            return true;
        }

        if (!LesionItems.Contains(item) || FocusOptional.Contains(item))
        {
            return true;
        }

        if (onlyLesion is not null)
        {
            target = onlyLesion;
            return true;
        }

        ctx.Add(Issue.Invalid(new(
            $"This '{item}' Observation has no focus and the patient does not have exactly one bone metastasis: say which lesion it describes.",
            $"Cette Observation « {item} » n'a pas de focus et le patient n'a pas exactement une métastase osseuse : indiquer la lésion concernée."),
            index.Expression(i, "focus")));
        return false;
    }

    private sealed class UnknownItem;

    private UnknownItem Unknown(int i, string item)
    {
        ctx.Ignore(i, new($"Observation code '{item}' is not an input of the engine.", $"Le code d'Observation « {item} » n'est pas une donnée d'entrée du moteur."));
        return new UnknownItem();
    }

    private static object? Coded<T>(Observation o, IReadOnlyList<Domain.Scoring.PointsRow<T>> table) where T : struct
    {
        var code = (o.Value as CodeableConcept)?.Coding.FirstOrDefault(c => c.System == CodeSystems.BoneMet)?.Code;
        var row = table.FirstOrDefault(r => r.Code == code);
        return row is null ? null : row.Value;
    }

    private static decimal? Percent(Quantity q) =>
        q.Value is { } v && Unit(q) == "%" && v is >= 0 and <= 100 ? v : null;

    private static object? Axial(Quantity q) => (q.Value, Unit(q)) switch
    {
        ({ } v, "%") when v is >= 0 and <= 100 => new LysisMeasure(v, LysisUnit.Percent),
        ({ } v, "mm") when v >= 0 => new LysisMeasure(v, LysisUnit.Millimetre),
        ({ } v, "cm") when v >= 0 => new LysisMeasure(v * 10, LysisUnit.Millimetre),
        _ => null,
    };

    private static object? Days(Quantity q) => (q.Value, Unit(q)) switch
    {
        ({ } v, "d") when v >= 0 => v,
        ({ } v, "h") when v >= 0 => v / 24,
        ({ } v, "wk") when v >= 0 => v * 7,
        _ => null,
    };

    private static string? Unit(Quantity q) => q.System == CodeSystems.Ucum || q.System is null ? q.Code ?? q.Unit : null;

    private static int? Integer(DataType? value) => value switch
    {
        Integer n => n.Value,
        Quantity { Value: { } v } when v == Math.Floor(v) => (int)v,
        _ => null,
    };

    private static object? Performance(string loinc, DataType? value)
    {
        if (loinc == EcogLoinc)
        {
            var n = Integer(value) ?? ((value as CodeableConcept)?.Coding.Select(c => c.Code is { } code && EcogAnswers.TryGetValue(code, out var e) ? e : (int?)null).FirstOrDefault(x => x is not null));
            return n is >= 0 and <= 5 ? new PerformanceStatus(PerformanceScale.Ecog, n.Value) : null;
        }

        var k = Integer(value);
        return k is >= 0 and <= 100 ? new PerformanceStatus(PerformanceScale.Karnofsky, k.Value) : null;
    }

    private static DateTimeOffset? Effective(Observation o) => FhirDates.Start(o.Effective) ?? o.Issued;
}
