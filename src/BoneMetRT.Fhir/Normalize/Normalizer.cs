using BoneMetRT.Domain;
using BoneMetRT.Domain.Facts;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;
using IssueSeverity = Hl7.Fhir.Model.OperationOutcome.IssueSeverity;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace BoneMetRT.Fhir.Normalize;

/// <summary>The patient's facts read from a Bundle, with the index needed to point back at the inputs.</summary>
/// <param name="Facts">Facts for the engine.</param>
/// <param name="Index">Index of the input Bundle.</param>
/// <param name="PatientKey">Source key of the Patient (e.g. <c>Patient/p1</c> or its urn:uuid).</param>
/// <param name="Issues">What was ignored or could not be read (no errors: those stop normalization).</param>
public sealed record NormalizedInput(PatientFacts Facts, InputIndex Index, string PatientKey, IReadOnlyList<Issue> Issues);

/// <summary>
/// Normalize: FHIR → domain. Reads a patient's Bundle into <see cref="PatientFacts"/> following the contract's input
/// table (docs/fhir-contract.md §2). Every resource is either used or reported as ignored; structural errors
/// (no Patient, several Patients and no subject, a followed reference to nothing) are returned as error issues.
/// </summary>
public sealed class Normalizer
{
    private static readonly HashSet<Bundle.BundleType> AcceptedTypes =
        [Bundle.BundleType.Collection, Bundle.BundleType.Batch, Bundle.BundleType.Transaction, Bundle.BundleType.Searchset];


    private readonly InputIndex _index;
    private readonly List<Issue> _issues = [];
    private readonly HashSet<int> _used = [];
    private readonly Dictionary<int, LocalizedText> _ignored = [];
    private Resource _patient = null!;

    private Normalizer(InputIndex index) => _index = index;

    /// <summary>Normalizes a Bundle. Returns the input, or null with error issues when the request is inconsistent.</summary>
    /// <param name="bundle">The patient's data.</param>
    /// <param name="prefix">FHIRPath of the Bundle in the request, for issue expressions.</param>
    /// <param name="subject">Optional <c>Patient/{id}</c> choosing the patient.</param>
    /// <param name="assessmentDate">Date of the assessment.</param>
    public static (NormalizedInput? Input, IReadOnlyList<Issue> Issues) Normalize(Bundle bundle, string prefix, string? subject, DateOnly assessmentDate)
    {
        var n = new Normalizer(new InputIndex(bundle, prefix));
        var facts = n.Run(subject, assessmentDate);
        return facts is null || n._issues.Any(i => i.IsError)
            ? (null, n._issues)
            : (new NormalizedInput(facts, n._index, n._index.Key(n._patient), n._issues), n._issues);
    }

    private PatientFacts? Run(string? subject, DateOnly date)
    {
        var bundle = _index.Bundle;
        if (bundle.Type is not { } type || !AcceptedTypes.Contains(type))
        {
            Error(new($"Bundle.type must be collection, batch, transaction or searchset (got '{bundle.TypeElement?.JsonValue ?? "none"}').",
                $"Bundle.type doit être collection, batch, transaction ou searchset (reçu « {bundle.TypeElement?.JsonValue ?? "aucun"} »)."), $"{_index.Prefix}.type");
            return null;
        }

        if (!Unambiguous() || !ChoosePatient(subject))
        {
            return null;
        }

        // Classify the resources of the chosen patient.
        var lesions = new List<(int Index, Condition Condition)>();
        var msccs = new List<(int Index, Condition Condition)>();
        var primaries = new List<(int Index, Condition Condition, PrimaryTumourType? Type)>();
        var visceral = new List<(int Index, Condition Condition, string Organ)>();
        var observations = new List<(int Index, Observation Observation)>();
        var procedures = new List<(int Index, Procedure Procedure)>();

        foreach (var (i, resource) in _index.Resources)
        {
            if (ReferenceEquals(resource, _patient))
            {
                _used.Add(i);
                continue;
            }

            if (!BelongsToPatient(i, resource))
            {
                continue;
            }

            switch (resource)
            {
                case Condition c when ConditionUsable(i, c):
                    ClassifyCondition(i, c, lesions, msccs, primaries, visceral);
                    break;
                case Observation o when ObservationUsable(i, o):
                    observations.Add((i, o));
                    break;
                case Procedure p when ProcedureUsable(i, p):
                    procedures.Add((i, p));
                    break;
                case Condition or Observation or Procedure:
                    break; // reported by the *Usable checks
                default:
                    Ignore(i, new($"{resource.TypeName} is not an input of the engine.", $"{resource.TypeName} n'est pas une donnée d'entrée du moteur."));
                    break;
            }
        }

        var facts = Build(date, lesions, msccs, primaries, visceral, observations, procedures);
        foreach (var (i, why) in _ignored.OrderBy(x => x.Key))
        {
            if (!_used.Contains(i))
            {
                _issues.Add(new(IssueSeverity.Information, IssueType.Informational,
                    new($"Ignored: {why.En}", $"Ignoré : {why.Fr}"), "ignored-resource", [_index.Expression(i)]));
            }
        }

        foreach (var (i, r) in _index.Resources)
        {
            if (!_used.Contains(i) && !_ignored.ContainsKey(i))
            {
                _issues.Add(new(IssueSeverity.Information, IssueType.Informational,
                    new($"Ignored: this {r.TypeName} carries no code the engine reads.", $"Ignoré : ce {r.TypeName} ne porte aucun code lu par le moteur."),
                    "ignored-resource", [_index.Expression(i)]));
            }
        }

        return facts;
    }

    /// <summary>
    /// Two entries with the same fullUrl or the same <c>Type/id</c> make every reference to them ambiguous: the request
    /// is inconsistent (422), not something to resolve by taking the first.
    /// </summary>
    private bool Unambiguous()
    {
        var entries = _index.Resources.Select(x => (x.Index, x.Resource, _index.Bundle.Entry[x.Index].FullUrl)).ToList();
        var duplicates = entries.Where(x => !string.IsNullOrEmpty(x.FullUrl)).GroupBy(x => x.FullUrl!, StringComparer.Ordinal)
            .Concat(entries.Where(x => !string.IsNullOrEmpty(x.Resource.Id)).GroupBy(x => $"{x.Resource.TypeName}/{x.Resource.Id}", StringComparer.Ordinal))
            .Where(g => g.Count() > 1)
            .DistinctBy(g => string.Join(',', g.Select(x => x.Index)))
            .ToList();
        foreach (var group in duplicates)
        {
            Error(new($"{group.Count()} entries are '{group.Key}': a reference to it would be ambiguous.",
                    $"{group.Count()} entrées sont « {group.Key} » : une référence vers elle serait ambiguë."),
                [.. group.Select(x => _index.Expression(x.Index))]);
        }

        return duplicates.Count == 0;
    }

    private bool ChoosePatient(string? subject)
    {
        var patients = _index.Resources.Where(x => x.Resource is Patient).ToList();
        if (subject is not null)
        {
            var match = patients.Where(p => _index.Key(p.Index) == subject || $"Patient/{p.Resource.Id}" == subject || _index.Bundle.Entry[p.Index].FullUrl == subject).ToList();
            if (match.Count != 1)
            {
                Error(new($"The subject '{subject}' is not a Patient of the Bundle.", $"Le sujet « {subject} » n'est pas un Patient du Bundle."), "Parameters.parameter.where(name = 'subject')");
                return false;
            }

            _patient = match[0].Resource;
            return true;
        }

        switch (patients.Count)
        {
            case 0:
                Error(new("The Bundle holds no Patient: the engine needs the patient the data are about.", "Le Bundle ne contient aucun Patient : le moteur a besoin du patient concerné."), _index.Prefix);
                return false;
            case > 1:
                Error(new($"The Bundle holds {patients.Count} Patients and no 'subject' parameter says which one to assess.",
                    $"Le Bundle contient {patients.Count} Patients et aucun paramètre « subject » n'indique lequel évaluer."),
                    [.. patients.Select(p => _index.Expression(p.Index))]);
                return false;
            default:
                _patient = patients[0].Resource;
                return true;
        }
    }

    private bool BelongsToPatient(int i, Resource resource)
    {
        var reference = resource switch
        {
            Condition c => c.Subject,
            Observation o => o.Subject,
            Procedure p => p.Subject,
            _ => null,
        };

        if (reference is null)
        {
            if (resource is Condition or Observation or Procedure)
            {
                Error(new($"This {resource.TypeName} has no subject.", $"Ce {resource.TypeName} n'a pas de sujet."), _index.Expression(i, "subject"));
            }
            else
            {
                Ignore(i, new($"{resource.TypeName} is not an input of the engine.", $"{resource.TypeName} n'est pas une donnée d'entrée du moteur."));
            }

            return false;
        }

        var target = Follow(i, reference, "subject");
        if (target is null)
        {
            return false;
        }

        if (!ReferenceEquals(target, _patient))
        {
            Ignore(i, new("it is about another patient than the one assessed.", "il concerne un autre patient que celui évalué."));
            return false;
        }

        return true;
    }

    private Resource? Follow(int i, ResourceReference reference, string element)
    {
        var target = _index.Resolve(reference);
        if (target is null)
        {
            Error(new($"The reference '{reference.Reference}' points to nothing in the Bundle.", $"La référence « {reference.Reference} » ne désigne rien dans le Bundle."),
                _index.Expression(i, element));
        }

        return target;
    }

    private bool ConditionUsable(int i, Condition c)
    {
        var verification = c.VerificationStatus?.Coding.FirstOrDefault()?.Code;
        if (verification is "entered-in-error" or "refuted")
        {
            Ignore(i, new($"Condition with verificationStatus '{verification}'.", $"Condition avec verificationStatus « {verification} »."));
            return false;
        }

        return true;
    }

    /// <summary>
    /// A lesion, a compression or a visceral metastasis counts only while active. The primary cancer is not filtered
    /// on clinicalStatus: a resected primary recorded as resolved or in remission is still the patient's primary, and
    /// its type and date of diagnosis are Rades items (contract §2 sets no status condition on it).
    /// </summary>
    private bool Active(int i, Condition c)
    {
        var clinical = c.ClinicalStatus?.Coding.FirstOrDefault()?.Code;
        if (clinical is "inactive" or "resolved" or "remission")
        {
            Ignore(i, new($"Condition with clinicalStatus '{clinical}' (not active).", $"Condition avec clinicalStatus « {clinical} » (non active)."));
            return false;
        }

        return true;
    }

    private bool ObservationUsable(int i, Observation o)
    {
        if (o.Status is ObservationStatus.EnteredInError or ObservationStatus.Cancelled or ObservationStatus.Registered)
        {
            Ignore(i, new($"Observation with status '{o.StatusElement?.JsonValue}' (guideline §8).", $"Observation avec le statut « {o.StatusElement?.JsonValue} » (référentiel §8)."));
            return false;
        }

        return true;
    }

    private bool ProcedureUsable(int i, Procedure p)
    {
        if (p.Status != EventStatus.Completed)
        {
            Ignore(i, new($"Procedure with status '{p.StatusElement?.JsonValue}' (only completed surgery counts).",
                $"Procedure avec le statut « {p.StatusElement?.JsonValue} » (seule une chirurgie réalisée compte)."));
            return false;
        }

        return true;
    }

    private void ClassifyCondition(int i, Condition c, List<(int, Condition)> lesions, List<(int, Condition)> msccs,
        List<(int, Condition, PrimaryTumourType?)> primaries, List<(int, Condition, string)> visceral)
    {
        var codings = c.Code?.Coding ?? [];
        if (codings.Any(x => IsBoneMetastasis(x.System, x.Code)))
        {
            if (Active(i, c))
            {
                lesions.Add((i, c));
            }
        }
        else if (codings.Any(x => IsSpinalCordCompression(x.System, x.Code)))
        {
            if (Active(i, c))
            {
                msccs.Add((i, c));
            }
        }
        else if (codings.Select(x => VisceralOrgan(x.System, x.Code)).FirstOrDefault(o => o is not null) is { } organ)
        {
            if (Active(i, c))
            {
                visceral.Add((i, c, organ));
            }
        }
        else if (PrimaryOf(c) is { } primary)
        {
            primaries.Add((i, c, primary.Type));
        }
        else
        {
            Ignore(i, new("Condition whose code is not a bone metastasis, a spinal cord compression, a visceral metastasis or a recognised primary cancer.",
                "Condition dont le code n'est ni une métastase osseuse, ni une compression médullaire, ni une métastase viscérale, ni un cancer primitif reconnu."));
        }
    }

    /// <summary>Primary type of a Condition: null when not a primary; a null type when lung without histology.</summary>
    /// <remarks>A coding that maps to a type (e.g. SNOMED small-cell lung cancer) wins over one that only says "lung"
    /// (e.g. ICD-10 C34.1) in the same Condition, whatever their order.</remarks>
    private static PrimaryOfCondition? PrimaryOf(Condition c)
    {
        var matches = (c.Code?.Coding ?? []).Select(x => Primary(x.System, x.Code)).ToList();
        if (matches.FirstOrDefault(m => m.Match == PrimaryMatch.Mapped) is { Match: PrimaryMatch.Mapped } mapped)
        {
            return new(mapped.Type);
        }

        if (!matches.Any(m => m.Match == PrimaryMatch.LungUnspecified))
        {
            return null;
        }

        // Small-cell vs non-small-cell decides Rades points: read the histology if sent, never guess.
        var histology = c.Extension.Where(e => e.Url?.EndsWith("histology-morphology-behavior", StringComparison.Ordinal) == true).ToList();
        var morph = histology.Select(e => e.Value as CodeableConcept).Where(v => v is not null).SelectMany(v => v!.Coding)
            .Concat(c.Code!.Coding).ToList();
        if (morph.Any(m => IsSmallCellMorphology(m.System, m.Code)))
        {
            return new(PrimaryTumourType.Sclc);
        }

        return histology.Count > 0 ? new(PrimaryTumourType.Nsclc) : new(null);
    }

    /// <summary>What a primary-cancer Condition says: its Rades type, or null for a lung primary without histology.</summary>
    private sealed record PrimaryOfCondition(PrimaryTumourType? Type);

    private PatientFacts Build(DateOnly date, List<(int Index, Condition Condition)> lesions, List<(int Index, Condition Condition)> msccs,
        List<(int Index, Condition Condition, PrimaryTumourType? Type)> primaries, List<(int Index, Condition Condition, string Organ)> visceral,
        List<(int Index, Observation Observation)> observations, List<(int Index, Procedure Procedure)> procedures)
    {
        foreach (var x in lesions.Concat(msccs).Select(x => x.Index).Concat(primaries.Select(p => p.Index)).Concat(visceral.Select(v => v.Index)))
        {
            _used.Add(x);
        }

        var lesionKeys = new Dictionary<Resource, string>(ReferenceEqualityComparer.Instance);
        foreach (var l in lesions)
        {
            lesionKeys[l.Condition] = _index.Key(l.Index);
        }

        var items = new ObservationReader(_index, _issues, _used, Ignore, Follow, lesionKeys, lesions.Count == 1 ? lesionKeys.Values.Single() : null);
        foreach (var (i, o) in observations)
        {
            items.Read(i, o);
        }

        // Every compression is scored, each at its own level.
        var compressions = new List<MsccFacts>();
        foreach (var chosen in msccs)
        {
            var key = _index.Key(chosen.Index);
            var onset = Onset(chosen.Condition);
            compressions.Add(new MsccFacts
            {
                Id = key,
                Label = BodySiteLabel(chosen.Condition) ?? "",
                LesionId = MsccLesion(chosen.Index, chosen.Condition, lesions),
                Onset = onset is { } o ? Fact<PartialDate>.Of(o, key) : Fact<PartialDate>.Missing,
                Ambulatory = items.Fact<AmbulatoryStatus>("ambulatory-status", null),
                MotorDeficitDays = items.Fact<decimal>("motor-deficit-duration", null),
            });
        }

        // Explicit primary-tumour-type wins; two different primary Conditions are a conflict (they have no date to order them).
        var explicitPrimary = items.Candidates<PrimaryTumourType>("primary-tumour-type", null).ToList();
        var primaryFact = FactResolution.Resolve(explicitPrimary
            .Concat(primaries.Where(p => p.Type is not null).Select(p => new Candidate<PrimaryTumourType>(p.Type!.Value, null, _index.Key(p.Index), false))));
        if (explicitPrimary.Count == 0)
        {
            foreach (var lung in primaries.Where(p => p.Type is null))
            {
                _issues.Add(new(IssueSeverity.Warning, IssueType.Incomplete,
                    new("Lung primary without histology: small-cell (6 Rades points) and non-small-cell (5) cannot be told apart; send primary-tumour-type or a histology.",
                        "Primitif pulmonaire sans histologie : petites cellules (6 points de Rades) et non à petites cellules (5) ne peuvent être distingués ; transmettre primary-tumour-type ou une histologie."),
                    "missing-item", [_index.Expression(lung.Index, "code")]));
            }
        }

        var diagnosis = FactResolution.Resolve(primaries
            .Select(p => (p.Index, When: Onset(p.Condition) ?? Recorded(p.Condition)))
            .Where(p => p.When is not null)
            .Select(p => new Candidate<PartialDate>(p.When!.Value, null, _index.Key(p.Index))));

        var visceralFact = FactResolution.Resolve(items.Candidates<bool>("visceral-metastases", null)
            .Concat(visceral.Select(v => new Candidate<bool>(true, null, _index.Key(v.Index), false))));

        var surgeries = new List<ProcedureFacts>();
        foreach (var (i, p) in procedures)
        {
            if (Surgery(i, p, lesionKeys, compressions, items) is { } s)
            {
                surgeries.Add(s);
            }
        }

        var facts = new PatientFacts
        {
            AssessmentDate = date,
            Lesions = [.. lesions.Select(l => Lesion(l.Index, l.Condition, items))],
            PrimaryTumour = primaryFact,
            PrimaryDiagnosisDate = diagnosis,
            VisceralMetastases = visceralFact,
            Compressions = compressions,
            AnalgesicRefractoryPain = items.Fact<bool>("analgesic-refractory-pain", null),
            NeuropathicPain = items.Fact<bool>("neuropathic-pain", null),
            PainScore = items.Fact<int>("pain-score", null),
            Performance = items.Fact<PerformanceStatus>("performance-status", null),
            Procedures = surgeries,
        };
        items.ReportUnasked();
        return facts;
    }

    private LesionFacts Lesion(int i, Condition c, ObservationReader items)
    {
        var key = _index.Key(i);
        var bone = c.BodySite.SelectMany(b => b.Coding).Select(x => Bone(x.System, x.Code)).FirstOrDefault(b => b is not null);
        var siteFromBody = bone?.MirelsSite is { } ms ? new[] { new Candidate<MirelsSite>(ms, null, key, false) } : [];
        var label = BodySiteLabel(c) ?? bone?.Label ?? $"lesion {c.Id ?? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        return new LesionFacts
        {
            Id = key,
            Label = label,
            Kind = bone?.Kind ?? BoneKind.Unknown,
            Site = FactResolution.Resolve(items.Candidates<MirelsSite>("mirels-site", key).Concat(siteFromBody)),
            Size = items.Fact<MirelsSize>("mirels-size", key),
            Type = items.Fact<LesionType>("lesion-type", key),
            Pain = items.Fact<MirelsPain>("mirels-pain", key),
            CorticalLysisAxial = items.Fact<LysisMeasure>("cortical-lysis-axial", key),
            CorticalLysisCircumferential = items.Fact<decimal>("cortical-lysis-circumferential", key),
            WellDefined = items.Fact<bool>("lesion-well-defined", key),
            EpiduralExtension = items.Fact<bool>("epidural-extension", key),
            AnalgesicRefractoryPain = items.Fact<bool>("analgesic-refractory-pain", key),
            NeuropathicPain = items.Fact<bool>("neuropathic-pain", key),
        };
    }

    private string? MsccLesion(int i, Condition mscc, List<(int Index, Condition Condition)> lesions)
    {
        foreach (var detail in mscc.Evidence.SelectMany(e => e.Detail))
        {
            if (Follow(i, detail, "evidence.detail") is Condition target && lesions.Any(l => ReferenceEquals(l.Condition, target)))
            {
                return _index.Key(target);
            }
        }

        // Without an explicit link, a single vertebral lesion (or one with the same body-site code) is the one compressing.
        var vertebral = lesions.Where(l => l.Condition.BodySite.SelectMany(b => b.Coding).Any(x => Bone(x.System, x.Code)?.Kind == BoneKind.Vertebra)).ToList();
        var sameSite = vertebral.Where(l => l.Condition.BodySite.SelectMany(b => b.Coding).Any(x => mscc.BodySite.SelectMany(b => b.Coding).Any(y => y.System == x.System && y.Code == x.Code))
            && BodySiteLabel(l.Condition) == BodySiteLabel(mscc)).ToList();
        return sameSite.Count == 1 ? _index.Key(sameSite[0].Index) : vertebral.Count == 1 ? _index.Key(vertebral[0].Index) : null;
    }

    private ProcedureFacts? Surgery(int i, Procedure p, Dictionary<Resource, string> lesionKeys, List<MsccFacts> compressions, ObservationReader items)
    {
        var when = FhirDates.Partial(p.Performed);

        string? target = null;
        var reasons = new List<string>();
        foreach (var reason in p.ReasonReference)
        {
            var r = Follow(i, reason, "reasonReference");
            if (r is not null && lesionKeys.TryGetValue(r, out var lesionKey))
            {
                target = lesionKey;
                reasons.Add(lesionKey);
            }
            else if (r is not null && compressions.FirstOrDefault(c => c.Id == _index.Key(r)) is { } mscc)
            {
                target = mscc.LesionId ?? mscc.Id;
                reasons.Add(mscc.Id);
            }
        }

        if (target is null)
        {
            Ignore(i, new("Procedure not linked by reasonReference to a bone metastasis or a spinal cord compression.",
                "Procedure non reliée par reasonReference à une métastase osseuse ou une compression médullaire."));
            return null;
        }

        if (when is null)
        {
            _issues.Add(new(IssueSeverity.Warning, IssueType.Incomplete,
                new("Surgery without a date (performed[x]): the post-operative window cannot be computed.", "Chirurgie sans date (performed[x]) : la fenêtre post-opératoire ne peut être calculée."),
                "missing-item", [_index.Expression(i, "performed")]));
            _used.Add(i);
            return null;
        }

        _used.Add(i);
        var key = _index.Key(i);
        // skin-healed may focus the Procedure, the lesion operated on, the compression it was for, or nothing.
        var skin = FactResolution.Resolve(new[] { key, target }.Concat(reasons).Distinct().SelectMany(k => items.Candidates<bool>("skin-healed", k))
            .Concat(items.Candidates<bool>("skin-healed", null)));
        return new ProcedureFacts { Id = key, Kind = ProcedureKind.OtherSurgery, PerformedOn = Fact<PartialDate>.Of(when.Value, key), TargetIds = [target], SkinHealed = skin };
    }

    internal static PartialDate? Onset(Condition c) => FhirDates.Partial(c.Onset);

    private static PartialDate? Recorded(Condition c) =>
        FhirDates.Partial(c.RecordedDate);

    private static string? BodySiteLabel(Condition c)
    {
        var site = c.BodySite.FirstOrDefault();
        return site?.Text is { Length: > 0 } t ? t : site?.Coding.FirstOrDefault()?.Display;
    }

    private void Ignore(int i, LocalizedText why) => _ignored.TryAdd(i, why);

    private void Error(LocalizedText text, params string[] expressions) => _issues.Add(Issue.Invalid(text, expressions));
}
