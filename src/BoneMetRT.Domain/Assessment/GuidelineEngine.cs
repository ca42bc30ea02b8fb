using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Mirels;
using BoneMetRT.Domain.Rades;
using BoneMetRT.Domain.Scoring;
using BoneMetRT.Domain.Situations;

namespace BoneMetRT.Domain.Assessment;

/// <summary>
/// The guideline engine: from a patient's facts to situations, scores and recommendations. Pure and deterministic:
/// the same facts and settings always give the same result, and nothing is read from the clock.
/// </summary>
/// <remarks>
/// The record is read site by site (<see cref="SubjectView"/>): each lesion with the compressions at its level, its most
/// recent surgery, its earlier radiotherapy and its own pain items, so that several lesions, compressions and
/// procedures never borrow each other's facts.
/// </remarks>
public static class GuidelineEngine
{
    /// <summary>Evaluates every rule of the guideline for one patient.</summary>
    public static AssessmentResult Evaluate(PatientFacts patient, EngineSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(patient);
        settings ??= EngineSettings.Default;
        var findings = new List<Finding>();
        var situations = new List<SituationFinding>();

        // Spinal cord compressions, each with its own Rades score (§1.3).
        var rades = new List<RadesResult>();
        foreach (var mscc in patient.Compressions)
        {
            var result = RadesRule.Evaluate(patient, mscc);
            rades.Add(result);
            findings.AddRange(result.Findings);
            situations.Add(new(Situation.Mscc, mscc.Id, new(
                $"Spinal cord compression{At(mscc.Label)}: urgent radiotherapy, exclusive or after neurosurgery; the Rades score guides the decision.",
                $"Compression médullaire{At(mscc.Label)} : irradiation en urgence, exclusive ou après geste neurochirurgical ; le score de Rades aide à la décision.")));
        }

        var views = SubjectViews.Build(patient, rades, settings, findings);

        // Post-operative windows (§1.4): the most recent surgery of each site, while within the horizon.
        foreach (var v in views.Where(v => v.PostOperative))
        {
            situations.Add(new(Situation.Postoperative, v.Id, v.Window!.Rationale));
        }

        // Mirels on long bones (§1.2), unless the bone is operated on or already broken.
        var mirels = new List<MirelsResult>();
        foreach (var v in views.Where(v => v.IsLesion))
        {
            var lesion = v.Lesion;
            if (IsLongBone(lesion) && v.EverOperated)
            {
                // Mirels decides on prophylactic fixation; once the bone is operated on, §1.4 takes over.
                findings.Add(new(Severity.Information, FindingKind.NotApplicable, ItemCodes.MirelsScore, lesion.Id, new(
                    $"{lesion.Label} has already been operated on: the Mirels score, which decides on prophylactic fixation, is not computed.",
                    $"{lesion.Label} a déjà été opérée : le score de Mirels, qui décide d'une fixation prophylactique, n'est pas calculé."),
                    Sections.PostOperative, []));
            }
            else if (v.FractureConflicting && IsLongBone(lesion))
            {
                findings.Add(new(Severity.Warning, FindingKind.NotApplicable, ItemCodes.MirelsScore, lesion.Id, new(
                    $"The record contradicts itself on a pathological fracture of {lesion.Label}: the Mirels score (a fracture to come) is not computed until it is settled.",
                    $"Le dossier se contredit sur une fracture pathologique de {lesion.Label} : le score de Mirels (fracture à venir) n'est pas calculé tant que ce n'est pas tranché."),
                    Sections.MissingData, lesion.PathologicalFracture.Sources));
            }
            else if (v.FractureNotOperated)
            {
                findings.Add(new(Severity.Warning, FindingKind.NotApplicable, ItemCodes.MirelsScore, lesion.Id, new(
                    $"{lesion.Label} already has a pathological fracture: the Mirels score predicts a fracture to come and is not computed; the fracture is a surgical question (surgical opinion, then post-operative radiotherapy).",
                    $"{lesion.Label} présente déjà une fracture pathologique : le score de Mirels prédit une fracture à venir et n'est pas calculé ; la fracture relève d'un avis chirurgical (puis radiothérapie post-opératoire)."),
                    Sections.Mirels, lesion.PathologicalFracture.Sources));
                // Not "fracture prevention" (§1.2 is about a fracture to come): no situation of the five describes the
                // bone before its operation; the proposals say what comes (surgical opinion, then §1.4).
            }
            else if (IsLongBone(lesion))
            {
                var result = MirelsRule.Evaluate(lesion);
                mirels.Add(result);
                findings.AddRange(result.Findings);
                if (lesion.CorticalLysisAxial is { IsPresent: true, Value.Unit: LysisUnit.Millimetre })
                {
                    findings.Add(new(Severity.Information, FindingKind.Discrepancy, ItemCodes.CorticalLysisAxial, lesion.Id, new(
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

        // Pain (§1.1): each lesion's own item; a patient-level one only for a patient's single lesion.
        foreach (var v in views.Where(v => IsTrue(v.RefractoryPain)))
        {
            situations.Add(new(Situation.Pain, v.Id, new(
                $"Painful bone metastasis resistant to analgesics ({v.Lesion.Label}): radiotherapy is the first-line treatment.",
                $"Métastase osseuse douloureuse résistante aux antalgiques ({v.Lesion.Label}) : la radiothérapie est le premier traitement.")));
        }

        if (!views.Any(v => IsTrue(v.RefractoryPain)) && patient.AnalgesicRefractoryPain.State == FactState.Missing
            && patient.Lesions.All(l => l.AnalgesicRefractoryPain.State == FactState.Missing) && patient.PainScore.IsPresent)
        {
            findings.Add(new(Severity.Information, FindingKind.MissingItem, ItemCodes.AnalgesicRefractoryPain, null, new(
                $"Pain {patient.PainScore.Value}/10 was sent, but whether it resists analgesics is not documented (analgesic-refractory-pain): the pain situation is not assessed.",
                $"Une douleur à {patient.PainScore.Value}/10 est transmise, mais sa résistance aux antalgiques n'est pas documentée (analgesic-refractory-pain) : la situation douleur n'est pas évaluée."),
                Sections.Pain, patient.PainScore.Sources));
        }

        // Oligometastatic disease (§1.5).
        var oligo = OligometastaticRule.Evaluate(patient);
        findings.AddRange(oligo.Findings);
        if (oligo.Eligibility == Eligibility.Eligible)
        {
            situations.Add(new(Situation.Oligometastatic, null, oligo.Rationale));
        }

        var recommendations = new Recommender(patient, settings, views, mirels, oligo, findings).Build();
        ConflictReport.AddUnreported(patient, findings);
        var windows = views.Select(v => v.Window).OfType<PostOperativeWindow>().ToList();
        return new AssessmentResult(patient.AssessmentDate, EngineInfo.Version, settings, situations, mirels, rades, windows, oligo, recommendations, findings);
    }

    /// <summary>Mirels applies to long bones; an explicit Mirels site on an unrecognised site says the bone is long.</summary>
    internal static bool IsLongBone(LesionFacts lesion) =>
        lesion.Kind == BoneKind.LongBone || (lesion.Kind == BoneKind.Unknown && lesion.Site.IsPresent);

    internal static bool IsTrue(Fact<bool> fact) => fact is { IsPresent: true, Value: true };

    private static string At(string label) => label.Length == 0 ? "" : $" ({label})";

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
            findings.Add(new(Severity.Information, FindingKind.NotApplicable, ItemCodes.MirelsScore, lesion.Id, new(
                $"The Mirels score applies to long bones only; the Mirels items sent for {lesion.Label} were not used.",
                $"Le score de Mirels ne s'applique qu'aux os longs ; les items de Mirels transmis pour {lesion.Label} n'ont pas été utilisés."),
                Sections.Mirels, sent));
        }
    }
}
