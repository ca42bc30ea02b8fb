using BoneMetRT.Domain;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Mirels;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;

namespace BoneMetRT.Fhir.Normalize;

/// <summary>
/// Reads Observations into candidate values per item and per target (a lesion, a procedure, or the patient).
/// Explicit bonemet Observations and the standard LOINC ones (pain 72514-3, ECOG 89247-1, Karnofsky 89243-0).
/// </summary>
internal sealed class ObservationReader(
    InputIndex index,
    List<Issue> issues,
    HashSet<int> used,
    Action<int, LocalizedText> ignore,
    Func<int, ResourceReference, string, Resource?> follow,
    IReadOnlyDictionary<Resource, string> lesionKeys,
    string? onlyLesion)
{
    private static readonly HashSet<string> LesionItems =
        ["mirels-site", "mirels-size", "lesion-type", "mirels-pain", "cortical-lysis-axial", "cortical-lysis-circumferential", "lesion-well-defined", "epidural-extension"];

    private static readonly HashSet<string> FocusOptional = ["analgesic-refractory-pain", "neuropathic-pain", "skin-healed"];

    /// <summary>Items the engine holds once per patient: a focus, when sent, is checked but does not move the value.</summary>
    private static readonly HashSet<string> PatientItems =
        ["primary-tumour-type", "visceral-metastases", "ambulatory-status", "motor-deficit-duration", "pain-score", "performance-status"];

    private static readonly Dictionary<string, int> EcogAnswers = new()
    {
        ["LA9622-7"] = 0, ["LA9623-5"] = 1, ["LA9624-3"] = 2, ["LA9625-0"] = 3, ["LA9626-8"] = 4, ["LA9627-6"] = 5,
    };

    private readonly Dictionary<(string Item, string? Target), List<(object Value, DateTimeOffset? When, string Source, bool Explicit, int Index)>> _values = [];
    private readonly HashSet<(string Item, string? Target)> _asked = [];

    public IEnumerable<Candidate<T>> Candidates<T>(string item, string? target)
    {
        _asked.Add((item, target));
        return _values.TryGetValue((item, target), out var list) ? [.. list.Select(v => new Candidate<T>((T)v.Value, v.When, v.Source, v.Explicit))] : [];
    }

    public Fact<T> Fact<T>(string item, string? target) => FactResolution.Resolve(Candidates<T>(item, target));

    public void Read(int i, Observation o)
    {
        var codings = o.Code?.Coding ?? [];
        var bonemet = codings.FirstOrDefault(c => c.System == BoneMet)?.Code;
        var loinc = codings.FirstOrDefault(c => c.System == Loinc)?.Code;
        var item = bonemet ?? loinc switch
        {
            PainScoreLoinc => "pain-score",
            EcogLoinc or KarnofskyLoinc => "performance-status",
            _ => null,
        };

        if (item is null)
        {
            return; // reported as carrying no code the engine reads
        }

        object? value = item switch
        {
            "mirels-site" => Coded(o, MirelsTable.Site),
            "mirels-size" => o.Value is Quantity q ? Percent(q) is { } p ? MirelsTable.SizeFromPercent(p) : null : Coded(o, MirelsTable.Size),
            "lesion-type" => Coded(o, MirelsTable.Type),
            "mirels-pain" => Coded(o, MirelsTable.Pain),
            "primary-tumour-type" => Coded(o, Domain.Rades.RadesTable.Primary),
            "ambulatory-status" => Coded(o, Domain.Rades.RadesTable.Ambulatory),
            "cortical-lysis-axial" => o.Value is Quantity q ? Axial(q) : null,
            "cortical-lysis-circumferential" => o.Value is Quantity q ? Percent(q) : null,
            "motor-deficit-duration" => o.Value is Quantity q ? Days(q) : null,
            "visceral-metastases" or "analgesic-refractory-pain" or "neuropathic-pain" or "epidural-extension" or "lesion-well-defined" or "skin-healed"
                => o.Value is FhirBoolean b ? b.Value : null,
            "pain-score" => Integer(o.Value) is { } n and >= 0 and <= 10 ? n : null,
            "performance-status" => Performance(loinc!, o.Value),
            _ => Unknown(i, item),
        };

        if (value is UnknownItem)
        {
            return;
        }

        if (value is null)
        {
            issues.Add(Issue.Invalid(new(
                $"The value of this '{item}' Observation is absent or not of the expected type, unit or code (see the contract and the profile {item}).",
                $"La valeur de cette Observation « {item} » est absente ou n'a pas le type, l'unité ou le code attendu (voir le contrat et le profil {item})."),
                index.Expression(i, "value")));
            return;
        }

        if (!Target(i, o, item, out var target))
        {
            return;
        }

        var when = Effective(o);
        var key = (item, target);
        if (!_values.TryGetValue(key, out var list))
        {
            _values[key] = list = [];
        }

        // Contract §2: a mirels-size % quantity is the standard form, the coded band the explicit one, which wins.
        var isExplicit = !(item == "mirels-size" && o.Value is Quantity);
        list.Add((value, when, index.Key(i), isExplicit, i));
        used.Add(i);
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
                used.Remove(v.Index);
                ignore(v.Index, target is null
                    ? new($"this '{item}' Observation has nothing to apply to (no spinal cord compression for the motor items, no dated surgery linked to a lesion for skin-healed).",
                        $"cette Observation « {item} » ne s'applique à rien (pas de compression médullaire pour les items moteurs, pas de chirurgie datée reliée à une lésion pour skin-healed).")
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
            var resolved = follow(i, focus, "focus");
            if (resolved is null)
            {
                return false;
            }

            if (PatientItems.Contains(item))
            {
                return true; // one value per patient, whatever the focus names
            }

            target = lesionKeys.TryGetValue(resolved, out var lesion) ? lesion : index.Key(resolved);
            if (lesion is null && resolved is Condition c && c.Code?.Coding.Any(x => IsBoneMetastasis(x.System, x.Code)) == true)
            {
                // The lesion itself was ignored (not active, refuted, entered in error): so are its items.
                ignore(i, new($"the bone metastasis this '{item}' Observation is about is not counted (not active, refuted or entered in error).",
                    $"la métastase osseuse dont traite cette Observation « {item} » n'est pas prise en compte (non active, réfutée ou saisie par erreur)."));
                return false;
            }

            if (LesionItems.Contains(item) && lesion is null)
            {
                issues.Add(Issue.Invalid(new($"The focus of this '{item}' Observation must be a bone-metastasis Condition.",
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

        issues.Add(Issue.Invalid(new(
            $"This '{item}' Observation has no focus and the patient does not have exactly one bone metastasis: say which lesion it describes.",
            $"Cette Observation « {item} » n'a pas de focus et le patient n'a pas exactement une métastase osseuse : indiquer la lésion concernée."),
            index.Expression(i, "focus")));
        return false;
    }

    private sealed class UnknownItem;

    private UnknownItem Unknown(int i, string item)
    {
        ignore(i, new($"Observation code '{item}' is not an input of the engine.", $"Le code d'Observation « {item} » n'est pas une donnée d'entrée du moteur."));
        return new UnknownItem();
    }

    private static object? Coded<T>(Observation o, IReadOnlyList<Domain.Assessment.PointsRow<T>> table) where T : struct
    {
        var code = (o.Value as CodeableConcept)?.Coding.FirstOrDefault(c => c.System == BoneMet)?.Code;
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

    private static string? Unit(Quantity q) => q.System == Ucum || q.System is null ? q.Code ?? q.Unit : null;

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
