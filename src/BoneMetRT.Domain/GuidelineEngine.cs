using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Mirels;
using BoneMetRT.Domain.Rades;
using BoneMetRT.Domain.Regimens;
using BoneMetRT.Domain.Situations;

namespace BoneMetRT.Domain;

/// <summary>
/// The guideline engine: from a patient's facts to situations, scores and recommendations. Pure and deterministic:
/// the same facts and settings always give the same result, and nothing is read from the clock.
/// </summary>
public static class GuidelineEngine
{
    /// <summary>Evaluates every rule of the guideline for one patient.</summary>
    public static AssessmentResult Evaluate(PatientFacts patient, EngineSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(patient);
        settings ??= EngineSettings.Default;
        var findings = new List<Finding>();
        var situations = new List<SituationFinding>();

        // Spinal cord compression and its Rades score (§1.3).
        RadesResult? rades = null;
        if (patient.Mscc is { } mscc)
        {
            rades = RadesRule.Evaluate(patient, mscc);
            findings.AddRange(rades.Findings);
            situations.Add(new(Situation.Mscc, mscc.Id, new(
                $"Spinal cord compression{At(mscc.Label, Language.En)}: urgent radiotherapy, exclusive or after neurosurgery; the Rades score guides the decision.",
                $"Compression médullaire{At(mscc.Label, Language.Fr)} : irradiation en urgence, exclusive ou après geste neurochirurgical ; le score de Rades aide à la décision.")));
        }

        // Surgeries and their post-operative windows (§1.4).
        var windows = patient.Surgeries.Select(s => PostOperativeRule.Evaluate(s, patient.AssessmentDate, findings)).ToList();
        foreach (var w in windows)
        {
            situations.Add(new(Situation.Postoperative, w.TargetId ?? w.SurgeryId, w.Rationale));
        }

        // Mirels on long bones (§1.2).
        var mirels = new List<MirelsResult>();
        foreach (var lesion in patient.Lesions)
        {
            if (IsLongBone(lesion) && patient.Surgeries.Any(s => s.TargetId == lesion.Id))
            {
                // Mirels decides on prophylactic fixation; once the bone is operated on, §1.4 takes over.
                findings.Add(new(Severity.Information, FindingKind.NotApplicable, "mirels-score", lesion.Id, new(
                    $"{lesion.Label} has already been operated on: the Mirels score, which decides on prophylactic fixation, is not computed; post-operative radiotherapy applies.",
                    $"{lesion.Label} a déjà été opérée : le score de Mirels, qui décide d'une fixation prophylactique, n'est pas calculé ; la radiothérapie post-opératoire s'applique."),
                    Sections.PostOperative, []));
            }
            else if (IsLongBone(lesion))
            {
                var result = MirelsRule.Evaluate(lesion);
                mirels.Add(result);
                findings.AddRange(result.Findings);
                if (lesion.CorticalLysisAxial is { IsPresent: true, Value.Unit: LysisUnit.Millimetre })
                {
                    findings.Add(new(Severity.Information, FindingKind.Discrepancy, "cortical-lysis-axial", lesion.Id, new(
                        "Axial cortical lysis was given in mm: the seed writes \"> 30 % in the axial plane\", van der Linden 2004 \"> 30 mm\"; the engine applies > 30 to the unit sent.",
                        "L'ostéolyse corticale axiale est donnée en mm : le référentiel écrit « > 30 % dans le plan axial », van der Linden 2004 « > 30 mm » ; le moteur applique > 30 dans l'unité transmise."),
                        Sections.Discrepancies, lesion.CorticalLysisAxial.Sources));
                }

                situations.Add(new(Situation.FracturePrevention, lesion.Id, new(
                    $"Long-bone metastasis ({lesion.Label}): fracture risk assessed with the Mirels score.",
                    $"Métastase d'un os long ({lesion.Label}) : risque fracturaire évalué par le score de Mirels.")));
            }
            else
            {
                NotLongBone(lesion, findings);
            }
        }

        // Pain (§1.1): lesion-level items win over the patient-level one.
        var painful = patient.Lesions.Where(l => IsTrue(PainOf(l, patient))).ToList();
        foreach (var lesion in painful)
        {
            situations.Add(new(Situation.Pain, lesion.Id, new(
                $"Painful bone metastasis resistant to analgesics ({lesion.Label}): radiotherapy is the first-line treatment.",
                $"Métastase osseuse douloureuse résistante aux antalgiques ({lesion.Label}) : la radiothérapie est le premier traitement.")));
        }

        if (painful.Count == 0 && patient.AnalgesicRefractoryPain.State != FactState.Present && patient.PainScore.IsPresent)
        {
            findings.Add(new(Severity.Information, FindingKind.MissingItem, "analgesic-refractory-pain", null, new(
                $"Pain {patient.PainScore.Value}/10 was sent, but whether it resists analgesics is not documented (analgesic-refractory-pain): the pain situation is not assessed.",
                $"Une douleur à {patient.PainScore.Value}/10 est transmise, mais sa résistance aux antalgiques n'est pas documentée (analgesic-refractory-pain) : la situation douleur n'est pas évaluée."),
                Sections.Pain, patient.PainScore.Sources));
        }

        // Oligometastatic disease (§1.5).
        var oligo = OligometastaticRule.Evaluate(patient, findings);
        if (oligo.Eligibility == Eligibility.Eligible)
        {
            situations.Add(new(Situation.Oligometastatic, null, oligo.Rationale));
        }

        var recommendations = new Recommender(patient, settings, rades, windows, mirels, oligo, findings).Build();
        return new AssessmentResult(patient.AssessmentDate, EngineInfo.Version, settings, situations, mirels, rades, windows, oligo, recommendations, findings);
    }

    /// <summary>Mirels applies to long bones; an explicit Mirels site on an unrecognised site says the bone is long.</summary>
    internal static bool IsLongBone(LesionFacts lesion) =>
        lesion.Kind == BoneKind.LongBone || (lesion.Kind == BoneKind.Unknown && lesion.Site.IsPresent);

    internal static Fact<bool> PainOf(LesionFacts lesion, PatientFacts patient) =>
        lesion.AnalgesicRefractoryPain.State == FactState.Missing ? patient.AnalgesicRefractoryPain : lesion.AnalgesicRefractoryPain;

    internal static Fact<bool> NeuropathicOf(LesionFacts lesion, PatientFacts patient) =>
        lesion.NeuropathicPain.State == FactState.Missing ? patient.NeuropathicPain : lesion.NeuropathicPain;

    internal static bool IsTrue(Fact<bool> fact) => fact is { IsPresent: true, Value: true };

    private static string At(string label, Language lang) =>
        label.Length == 0 ? "" : lang == Language.Fr ? $" ({label})" : $" ({label})";

    private static void NotLongBone(LesionFacts lesion, List<Finding> findings)
    {
        if (lesion.Kind == BoneKind.Unknown)
        {
            findings.Add(new(Severity.Warning, FindingKind.MissingItem, "bodySite", lesion.Id, new(
                $"The bone of lesion {lesion.Label} is not recognised: the engine cannot tell whether the Mirels score or the vertebral rules apply. Send a coded body site or an explicit mirels-site.",
                $"L'os de la lésion {lesion.Label} n'est pas reconnu : le moteur ne peut pas dire si le score de Mirels ou les règles vertébrales s'appliquent. Transmettre un site anatomique codé ou un mirels-site explicite."),
                Sections.Mirels, []));
        }

        string[] sent = [.. lesion.Size.Sources, .. lesion.Type.Sources, .. lesion.Pain.Sources];
        if (sent.Length > 0)
        {
            findings.Add(new(Severity.Information, FindingKind.NotApplicable, "mirels-score", lesion.Id, new(
                $"The Mirels score applies to long bones only; the Mirels items sent for {lesion.Label} were not used.",
                $"Le score de Mirels ne s'applique qu'aux os longs ; les items de Mirels transmis pour {lesion.Label} n'ont pas été utilisés."),
                Sections.Mirels, sent));
        }
    }
}
