using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Rades;
using BoneMetRT.Domain.Scoring;
using BoneMetRT.Domain.Situations;

namespace BoneMetRT.Domain.Assessment;

/// <summary>
/// Everything the record says about one treatable site, gathered once: the lesion, the compressions at its level, its
/// most recent surgery and window, its earlier radiotherapy courses, and the pain items that apply to it. A site is a
/// lesion, or a compression no lesion was matched to, or an operated site the record names no lesion for.
/// </summary>
internal sealed record SubjectView(LesionFacts Lesion, bool IsLesion)
{
    /// <summary>Compressions at this site.</summary>
    public IReadOnlyList<MsccFacts> Compressions { get; init; } = [];

    /// <summary>Rades results of those compressions.</summary>
    public IReadOnlyList<RadesResult> Rades { get; init; } = [];

    /// <summary>Any surgery on this site, whatever its date (Mirels is not computed on an operated bone).</summary>
    public bool EverOperated { get; init; }

    /// <summary>Window of the most recent surgery, when there is one.</summary>
    public PostOperativeWindow? Window { get; init; }

    /// <summary>Earlier radiotherapy courses at this site.</summary>
    public IReadOnlyList<ProcedureFacts> PriorRadiotherapy { get; init; } = [];

    /// <summary>Pain resistant to analgesics at this site (the lesion's own item, or the patient's when it has one lesion).</summary>
    public Fact<bool> RefractoryPain { get; init; } = Fact<bool>.Missing;

    /// <summary>Neuropathic pain at this site (same rule).</summary>
    public Fact<bool> NeuropathicPain { get; init; } = Fact<bool>.Missing;

    /// <summary>Id of the site (the lesion, the compression or the surgery).</summary>
    public string Id => Lesion.Id;

    /// <summary>True while the site is post-operative.</summary>
    public bool PostOperative => Window is { IsPostOperative: true };

    /// <summary>True when the site compresses the cord.</summary>
    public bool CompressesCord => Compressions.Count > 0;

    /// <summary>An established fracture of the bone, never operated on (an operated one is assessed like any operated bone).</summary>
    public bool FractureNotOperated => Lesion.PathologicalFracture is { IsPresent: true, Value: true } && !EverOperated;

    /// <summary>The record contradicts itself on a fracture of this bone: neither the prophylactic route nor a single fraction.</summary>
    public bool FractureConflicting => Lesion.PathologicalFracture.State == FactState.Conflicting && !EverOperated;
}

/// <summary>Builds the <see cref="SubjectView"/>s of a patient: matches compressions and procedures to lesions, picks each site's most recent surgery.</summary>
internal static class SubjectViews
{
    public static IReadOnlyList<SubjectView> Build(PatientFacts patient, IReadOnlyList<RadesResult> rades, EngineSettings settings, List<Finding> findings)
    {
        var procedures = Past(patient, findings);
        var lesionIds = patient.Lesions.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        var views = new List<SubjectView>();

        // The compressions no lesion was matched to are sites of their own, at their level.
        var unlinked = patient.Compressions.Where(c => c.LesionId is null || !lesionIds.Contains(c.LesionId)).ToList();
        var sites = patient.Lesions.Select(l => (Lesion: l, IsLesion: true, Compressions: patient.Compressions.Where(c => c.LesionId == l.Id).ToList()))
            .Concat(unlinked.Select(c => (Lesion: new LesionFacts
            {
                Id = c.Id,
                Label = c.Label.Length > 0 ? c.Label : "spinal cord compression",
                Kind = BoneKind.Vertebra,
                Level = c.Level,
            }, IsLesion: false, Compressions: new List<MsccFacts> { c })))
            .ToList();

        foreach (var c in unlinked.Where(_ => patient.Lesions.Count > 0))
        {
            findings.Add(new(Severity.Information, FindingKind.Note, null, c.Id, new(
                $"The spinal cord compression{Where(c.Label)} is not linked to a bone-metastasis Condition (no explicit link, no lesion at the same vertebral level): its own level is the radiotherapy target.",
                $"La compression médullaire{Where(c.Label)} n'est reliée à aucune Condition de métastase osseuse (ni lien explicite, ni lésion au même niveau vertébral) : son propre niveau est la cible de l'irradiation."),
                Sections.Rades, [c.Id]));
        }

        // A patient-level pain finding may come from any site: a lesion or a compression no lesion was matched to.
        var candidates = sites.Count;
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (lesion, isLesion, compressions) in sites)
        {
            var ids = compressions.Select(c => c.Id).Append(lesion.Id).ToHashSet(StringComparer.Ordinal);
            var mine = procedures.Where(p => p.TargetIds.Any(ids.Contains)).ToList();
            claimed.UnionWith(mine.Select(p => p.Id));
            views.Add(View(patient, lesion, isLesion, compressions, rades, mine, settings, findings, candidates));
        }

        // A surgery that names no known site still calls for adjuvant radiotherapy (§1.4): its own site.
        foreach (var s in procedures.Where(p => p.IsSurgery && !claimed.Contains(p.Id)))
        {
            var site = new LesionFacts
            {
                Id = s.Id,
                Label = s.TargetIds.Count == 0 ? "operated site (surgery not linked to a lesion)" : "operated site",
                Kind = BoneKind.Unknown,
            };
            views.Add(View(patient, site, false, [], rades, [s], settings, findings, candidates));
        }

        foreach (var rt in procedures.Where(p => p.Kind == ProcedureKind.Radiotherapy && !claimed.Contains(p.Id)))
        {
            findings.Add(new(Severity.Warning, FindingKind.Note, ItemCodes.PriorRadiotherapy, null, new(
                $"An earlier radiotherapy course ({Course(rt, Language.En)}) is not linked to any lesion: check every proposed course for overlap with it (re-irradiation, cumulative spinal-cord dose) before planning.",
                $"Une radiothérapie antérieure ({Course(rt, Language.Fr)}) n'est reliée à aucune lésion : vérifier pour chaque irradiation proposée l'absence de chevauchement (ré-irradiation, dose cumulée à la moelle) avant la planification."),
                Sections.DoseFractionation, [rt.Id]));
        }

        return views;
    }

    /// <summary>The earlier course in words: "30 Gy in 10 fractions, 2025-06-02".</summary>
    public static string Course(ProcedureFacts rt, Language lang)
    {
        var parts = new List<string>();
        if (rt.DoseGy is { } dose)
        {
            parts.Add(rt.Fractions is { } n
                ? lang == Language.Fr ? $"{dose:0.##} Gy en {n} fractions" : $"{dose:0.##} Gy in {n} fractions"
                : $"{dose:0.##} Gy");
        }

        parts.Add(rt.PerformedOn.IsPresent ? rt.PerformedOn.Value.ToString() : lang == Language.Fr ? "date inconnue" : "date unknown");
        return string.Join(", ", parts);
    }

    private static SubjectView View(PatientFacts patient, LesionFacts lesion, bool isLesion, List<MsccFacts> compressions,
        IReadOnlyList<RadesResult> rades, List<ProcedureFacts> procedures, EngineSettings settings, List<Finding> findings, int candidates)
    {
        var surgeries = procedures.Where(p => p.IsSurgery).ToList();
        var latest = MostRecent(surgeries, lesion, patient.AssessmentDate, settings, findings);
        foreach (var other in procedures.Where(p => p.Kind is ProcedureKind.Biopsy or ProcedureKind.Cementoplasty))
        {
            findings.Add(new(Severity.Information, FindingKind.Note, null, lesion.Id, new(
                $"{Kind(other.Kind, Language.En)} of {lesion.Label}{(other.PerformedOn.IsPresent ? $" on {other.PerformedOn.Value}" : "")}: not an operation on the metastasis, so it opens no post-operative window.",
                $"{Kind(other.Kind, Language.Fr)} de {lesion.Label}{(other.PerformedOn.IsPresent ? $" le {other.PerformedOn.Value}" : "")} : ce n'est pas une chirurgie de la métastase, elle n'ouvre pas de fenêtre post-opératoire."),
                Sections.PostOperative, [other.Id]));
        }

        return new SubjectView(lesion, isLesion)
        {
            Compressions = compressions,
            Rades = [.. rades.Where(r => compressions.Any(c => c.Id == r.MsccId))],
            EverOperated = surgeries.Count > 0,
            Window = latest is null ? null : Reported(PostOperativeRule.Evaluate(latest, lesion.Id, patient.AssessmentDate, settings), findings),
            PriorRadiotherapy = [.. procedures.Where(p => p.Kind == ProcedureKind.Radiotherapy)],
            RefractoryPain = isLesion ? OneLesionRule(lesion.AnalgesicRefractoryPain, patient.AnalgesicRefractoryPain, candidates, lesion, ItemCodes.AnalgesicRefractoryPain,
                new("pain resistant to analgesics", "douleur résistante aux antalgiques"), findings) : Fact<bool>.Missing,
            NeuropathicPain = isLesion ? OneLesionRule(lesion.NeuropathicPain, patient.NeuropathicPain, candidates, lesion, ItemCodes.NeuropathicPain,
                new("neuropathic pain", "douleur neuropathique"), findings) : Fact<bool>.Missing,
        };
    }

    // The window's findings join the others where the window is evaluated, so their order is the order of evaluation.
    private static PostOperativeWindow Reported(PostOperativeWindow window, List<Finding> findings)
    {
        findings.AddRange(window.Findings);
        return window;
    }

    /// <summary>
    /// The most recent surgery counts (a later operation supersedes the window of an earlier one). An undated one cannot
    /// be placed: alone it is the one to hold on; beside dated ones it is named, since it might be the latest.
    /// </summary>
    private static ProcedureFacts? MostRecent(List<ProcedureFacts> surgeries, LesionFacts lesion, DateOnly today, EngineSettings settings, List<Finding> findings)
    {
        var dated = surgeries.Where(s => s.PerformedOn.IsPresent).OrderByDescending(s => s.PerformedOn.Value.Latest).ThenByDescending(s => s.PerformedOn.Value.Earliest).ToList();
        var undated = surgeries.Where(s => !s.PerformedOn.IsPresent).ToList();
        // An undated operation beside only old dated ones may be the recent one: hold until its date is given.
        if (dated.Count == 0 || (undated.Count > 0 && today.DayNumber - dated[0].PerformedOn.Value.Latest.DayNumber > settings.PostOperativeHorizonDays))
        {
            return undated.FirstOrDefault();
        }

        foreach (var u in undated)
        {
            findings.Add(new(Severity.Warning, FindingKind.MissingItem, "performed", u.Id, new(
                $"An operation on {lesion.Label} has no date: the window is computed from the most recent dated one ({dated[0].PerformedOn.Value}); if the undated operation is later, the window moves.",
                $"Une intervention sur {lesion.Label} n'a pas de date : la fenêtre est calculée à partir de la plus récente datée ({dated[0].PerformedOn.Value}) ; si l'intervention non datée est postérieure, la fenêtre change."),
                Sections.PostOperative, [u.Id]));
        }

        return dated[0];
    }

    /// <summary>
    /// A patient-level pain statement describes a lesion only when the patient has exactly one. "No such pain" holds for
    /// every lesion; "such pain" with several lesions does not say which one: the item is missing for each, named.
    /// </summary>
    private static Fact<bool> OneLesionRule(Fact<bool> own, Fact<bool> patientLevel, int candidates, LesionFacts lesion, string item, LocalizedText name, List<Finding> findings)
    {
        if (own.State != FactState.Missing || patientLevel.State == FactState.Missing)
        {
            return own;
        }

        if (candidates == 1 || patientLevel is { IsPresent: true, Value: false })
        {
            return patientLevel;
        }

        findings.Add(new(Severity.Warning, FindingKind.MissingItem, item, lesion.Id, new(
            $"{Capital(name.En)} is recorded for the patient, not for a lesion, and the patient has {candidates} bone sites: whether it concerns {lesion.Label} is not known ({item} missing for this lesion; give the lesion as the Observation's focus).",
            $"{Capital(name.Fr)} : renseignée pour le patient, pas pour une lésion, et le patient a {candidates} sites osseux : on ne sait pas si elle concerne {lesion.Label} ({item} manquant pour cette lésion ; indiquer la lésion dans le focus de l'Observation)."),
            item == ItemCodes.AnalgesicRefractoryPain ? Sections.Pain : Sections.RegimenChoice, patientLevel.Sources));
        return Fact<bool>.Missing;
    }

    /// <summary>Procedures dated after the assessment date did not happen yet as far as the assessment is concerned.</summary>
    private static List<ProcedureFacts> Past(PatientFacts patient, List<Finding> findings)
    {
        var list = new List<ProcedureFacts>();
        foreach (var p in patient.Procedures)
        {
            if (p.PerformedOn is { IsPresent: true } d && d.Value.Earliest > patient.AssessmentDate)
            {
                findings.Add(new(Severity.Warning, FindingKind.Note, "performed", p.Id, new(
                    $"A procedure dated {d.Value}, after the assessment date {patient.AssessmentDate:yyyy-MM-dd}, is not taken into account.",
                    $"Une intervention datée du {d.Value}, postérieure à la date d'évaluation {patient.AssessmentDate:yyyy-MM-dd}, n'est pas prise en compte."),
                    Sections.MissingData, [p.Id]));
                continue;
            }

            list.Add(p);
        }

        return list;
    }

    private static string Kind(ProcedureKind kind, Language lang) => (kind, lang) switch
    {
        (ProcedureKind.Biopsy, Language.Fr) => "Biopsie",
        (ProcedureKind.Biopsy, _) => "Biopsy",
        (ProcedureKind.Cementoplasty, Language.Fr) => "Cimentoplastie",
        _ => "Vertebral augmentation",
    };

    private static string Where(string label) => label.Length > 0 ? $" ({label})" : "";

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
