using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Mirels;
using BoneMetRT.Domain.Rades;
using BoneMetRT.Domain.Regimens;
using BoneMetRT.Domain.Situations;

namespace BoneMetRT.Domain.Assessment;

/// <summary>Builds the recommendations lesion by lesion from the evaluated rules.</summary>
internal sealed class Recommender(
    PatientFacts patient,
    EngineSettings settings,
    RadesResult? rades,
    IReadOnlyList<PostOperativeWindow> windows,
    IReadOnlyList<MirelsResult> mirels,
    OligometastaticAssessment oligo,
    List<Finding> findings)
{
    private readonly List<Recommendation> _out = [];

    public IReadOnlyList<Recommendation> Build()
    {
        var poor = PoorPerformance();
        var vertebrae = patient.Lesions.Count(l => l.Kind == BoneKind.Vertebra);
        var mscc = patient.Mscc;
        var msccLesionFound = mscc?.LesionId is { } id && patient.Lesions.Any(l => l.Id == id);

        foreach (var lesion in patient.Lesions)
        {
            var atMscc = mscc is not null && mscc.LesionId == lesion.Id;
            Lesion(lesion, atMscc, poor, vertebrae);
        }

        // A surgery on a site that is not a sent lesion still calls for adjuvant radiotherapy (§1.4).
        var known = patient.Lesions.Select(l => l.Id).Append(mscc?.Id).ToHashSet();
        foreach (var w in windows.Where(w => w.TargetId is null || !known.Contains(w.TargetId)))
        {
            Lesion(new LesionFacts { Id = w.TargetId ?? w.SurgeryId, Label = w.TargetId is null ? "operated site (surgery not linked to a lesion)" : "operated site", Kind = BoneKind.Unknown }, false, poor, vertebrae);
        }

        if (mscc is not null && !msccLesionFound)
        {
            // The compression is not tied to a sent lesion: treat its level as the vertebral target.
            var level = new LesionFacts { Id = mscc.Id, Label = mscc.Label.Length > 0 ? mscc.Label : "spinal cord compression", Kind = BoneKind.Vertebra };
            Lesion(level, true, poor, vertebrae);
        }

        if (oligo.Eligibility == Eligibility.Eligible)
        {
            foreach (var lesion in patient.Lesions)
            {
                _out.Add(new(RecommendationCodes.SpecialisedTumourBoard, [Situation.Oligometastatic], lesion.Id, lesion.Label, false,
                    new($"Present {lesion.Label} at the specialised tumour board (RCP-OOS) for ablative treatment.",
                        $"Présenter {lesion.Label} en RCP spécialisée (RCP-OOS) pour un traitement à visée ablative."),
                    lesion.Kind == BoneKind.Vertebra ? oligo.Rationale : LocalizedText.Join([oligo.Rationale, RegimenChoice.AblativeExtraSpinal]), Sections.Oligometastatic,
                    RegimenChoice.Ablative(lesion.Kind == BoneKind.Vertebra, settings), TargetVolumeRule.For(lesion, false), null));
            }
        }

        return _out;
    }

    private void Lesion(LesionFacts lesion, bool atMscc, bool? poor, int vertebrae)
    {
        var situations = new List<Situation>();
        var reasons = new List<LocalizedText>();
        var complications = new List<LocalizedText>();
        var window = windows.FirstOrDefault(w => w.TargetId == lesion.Id || (w.TargetId is null && w.SurgeryId == lesion.Id) || (atMscc && w.TargetId == patient.Mscc!.Id));
        var mirelsResult = mirels.FirstOrDefault(m => m.LesionId == lesion.Id);
        var spinal = lesion.Kind == BoneKind.Vertebra;

        if (atMscc)
        {
            situations.Add(Situation.Mscc);
            reasons.Add(rades?.Rationale ?? new("Spinal cord compression.", "Compression médullaire."));
            MsccAdvice(lesion);
        }

        if (window is not null)
        {
            situations.Add(Situation.Postoperative);
            reasons.Add(window.Rationale);
        }

        var rtForFracture = false;
        if (mirelsResult is not null)
        {
            rtForFracture = MirelsAdvice(lesion, mirelsResult, window is not null, complications);
            if (rtForFracture)
            {
                situations.Add(Situation.FracturePrevention);
                reasons.Add(mirelsResult.Rationale);
            }
        }

        if (mirelsResult?.Band == MirelsBand.ProphylacticFixation && window is null && !atMscc)
        {
            // Fixation comes first; radiotherapy follows it as post-operative treatment (seed §1.2 and §1.4).
            return;
        }

        if (GuidelineEngine.IsTrue(GuidelineEngine.PainOf(lesion, patient)))
        {
            situations.Add(Situation.Pain);
            reasons.Add(new("Painful metastasis resistant to analgesics: radiotherapy is the first-line treatment.",
                "Métastase douloureuse résistante aux antalgiques : la radiothérapie est le premier traitement."));
        }

        if (situations.Count == 0)
        {
            if (mirelsResult is null && oligo.Eligibility != Eligibility.Eligible && !windows.Any(w => w.TargetId is null))
            {
                findings.Add(new(Severity.Information, FindingKind.Note, null, lesion.Id, new(
                    $"No situation of the guideline applies to {lesion.Label} on these data (no refractory pain, fracture risk, compression or surgery): no radiotherapy is proposed for it.",
                    $"Aucune situation du référentiel ne s'applique à {lesion.Label} sur ces données (ni douleur réfractaire, ni risque fracturaire, ni compression, ni chirurgie) : aucune radiothérapie n'est proposée."),
                    Sections.Situations, []));
            }

            return;
        }

        if (GuidelineEngine.IsTrue(GuidelineEngine.NeuropathicOf(lesion, patient)))
        {
            complications.Add(new("neuropathic pain", "douleur neuropathique"));
        }

        if (GuidelineEngine.IsTrue(lesion.EpiduralExtension))
        {
            complications.Add(new("epidural extension", "épidurite"));
        }

        if (spinal && vertebrae > 3)
        {
            complications.Add(new($"{vertebrae} vertebrae involved (> 3)", $"{vertebrae} vertèbres atteintes (> 3)"));
        }

        var context = new RegimenContext(spinal, atMscc, rades?.Group, window is not null, complications, poor);
        var options = RegimenChoice.Choose(context, settings);
        var held = window?.IsHeld == true;
        var text = atMscc
            ? new LocalizedText($"Urgent radiotherapy of {lesion.Label}.", $"Radiothérapie en urgence de {lesion.Label}.")
            : held
                ? new LocalizedText($"Post-operative radiotherapy of {lesion.Label}, on hold until the skin is healed.", $"Radiothérapie post-opératoire de {lesion.Label}, suspendue jusqu'à cicatrisation.")
                : new LocalizedText($"Radiotherapy of {lesion.Label}.", $"Radiothérapie de {lesion.Label}.");
        _out.Add(new(RecommendationCodes.Radiotherapy, situations, lesion.Id, lesion.Label, atMscc, text, LocalizedText.Join(reasons),
            atMscc ? Sections.Rades : window is not null ? Sections.PostOperative : Sections.RegimenChoice,
            options, TargetVolumeRule.For(lesion, window is not null),
            window is null ? null : new DateWindow(window.Start, window.End, window.Status)));

        if (options[0].Regimen == Regimen.Rt8Gy1)
        {
            _out.Add(new(RecommendationCodes.CorticosteroidCover, situations, lesion.Id, lesion.Label, false,
                new("Corticosteroid cover for 48–72 h with the single fraction.", "Couverture corticoïde de 48 à 72 h avec la fraction unique."),
                new("Recommended with 8 Gy in 1 fraction for an uncomplicated lesion.", "Recommandée avec 8 Gy en 1 fraction pour une lésion non compliquée."),
                Sections.RegimenChoice, [], null, null));
        }
    }

    /// <summary>Mirels decision; returns true when radiotherapy of the lesion follows from it.</summary>
    private bool MirelsAdvice(LesionFacts lesion, MirelsResult m, bool operated, List<LocalizedText> complications)
    {
        if (m.Band is null)
        {
            complications.Add(new("fracture risk not assessed", "risque fracturaire non évalué"));
            _out.Add(new(RecommendationCodes.TumourBoard, [Situation.FracturePrevention], lesion.Id, lesion.Label, false,
                new($"Discuss {lesion.Label} at the multidisciplinary tumour board (RCP): the fracture risk could not be scored.",
                    $"Discuter {lesion.Label} en RCP : le risque fracturaire n'a pas pu être évalué."),
                m.Rationale, Sections.MissingData, [], null, null));
            if (m.Lysis.Outcome == LysisOutcome.Undetermined && m.Lysis.Sources.Count > 0)
            {
                findings.Add(new(Severity.Information, FindingKind.Note, "cortical-lysis-axial", lesion.Id, m.Lysis.Rationale, Sections.CorticalLysis, m.Lysis.Sources));
            }

            return false;
        }

        if (m.Band != MirelsBand.RadiotherapyAlone)
        {
            complications.Add(new($"fracture risk, Mirels {m.Total}", $"risque fracturaire, Mirels {m.Total}"));
        }

        if (m.Band == MirelsBand.TumourBoard)
        {
            _out.Add(new(RecommendationCodes.TumourBoard, [Situation.FracturePrevention], lesion.Id, lesion.Label, false,
                new($"Decide for {lesion.Label} at the multidisciplinary tumour board (RCP): radiotherapy alone or prophylactic fixation.",
                    $"Décider pour {lesion.Label} en RCP : radiothérapie seule ou fixation prophylactique."),
                m.Rationale, Sections.Mirels, [], null, null));
            return true;
        }

        if (m.Band == MirelsBand.ProphylacticFixation && !operated)
        {
            _out.Add(new(RecommendationCodes.ProphylacticFixation, [Situation.FracturePrevention], lesion.Id, lesion.Label, false,
                new($"Prophylactic fixation of {lesion.Label} first; post-operative radiotherapy follows 15 to 21 days after surgery, on healed skin.",
                    $"Fixation prophylactique de {lesion.Label} en premier ; la radiothérapie post-opératoire suit 15 jours à 3 semaines après, sur peau cicatrisée."),
                m.Rationale, Sections.Mirels, [], null, null));
        }

        if (m.Lysis.Outcome == LysisOutcome.Positive)
        {
            _out.Add(new(RecommendationCodes.ConsolidationSurgery, [Situation.FracturePrevention], lesion.Id, lesion.Label, false,
                new($"Discuss consolidation surgery of {lesion.Label} first.", $"Discuter une chirurgie de consolidation première de {lesion.Label}."),
                m.Lysis.Rationale, Sections.CorticalLysis, [], null, null));
        }
        else if (m.Lysis.Outcome == LysisOutcome.Undetermined)
        {
            foreach (var item in m.Lysis.UnknownItems)
            {
                var what = item == "cortical-lysis-axial"
                    ? new LocalizedText("axial cortical lysis", "ostéolyse corticale axiale")
                    : new LocalizedText("circumferential cortical lysis", "ostéolyse corticale circonférentielle");
                findings.Add(new(Severity.Warning, FindingKind.MissingItem, item, lesion.Id, new(
                    $"Mirels ≥ 9 for {lesion.Label}: the {what.En} ({item}) is not available, so the cortical-osteolysis rule (consolidation surgery first) cannot be applied; measure it on the diagnostic or planning CT.",
                    $"Mirels ≥ 9 pour {lesion.Label} : l'{what.Fr} ({item}) n'est pas disponible, la règle de l'ostéolyse corticale (chirurgie de consolidation première) ne peut être appliquée ; la mesurer sur le scanner diagnostique ou dosimétrique."),
                    Sections.CorticalLysis, m.Lysis.Sources));
            }
        }

        // ≥ 9 without surgery yet: radiotherapy comes after the fixation, as post-operative treatment.
        return m.Band != MirelsBand.ProphylacticFixation || operated;
    }

    private void MsccAdvice(LesionFacts lesion)
    {
        if (rades?.Group is null)
        {
            _out.Add(new(RecommendationCodes.TumourBoard, [Situation.Mscc], lesion.Id, lesion.Label, true,
                new("Urgent multidisciplinary decision (RCP) on surgery before radiotherapy: the Rades score could not be computed.",
                    "Décision pluridisciplinaire urgente (RCP) sur un geste chirurgical avant irradiation : le score de Rades n'a pas pu être calculé."),
                rades?.Rationale ?? new("Rades score not computed.", "Score de Rades non calculé."), Sections.MissingData, [], null, null));
        }

        if (rades?.Group is null || rades.Group == RadesGroup.II)
        {
            _out.Add(new(RecommendationCodes.NeurosurgicalOpinion, [Situation.Mscc], lesion.Id, lesion.Label, true,
                new("Urgent neurosurgical opinion on decompression before radiotherapy.", "Avis neurochirurgical urgent sur une décompression avant irradiation."),
                rades?.Group is null
                    ? new("Without a Rades group the benefit of surgery cannot be estimated.", "Sans groupe de Rades, le bénéfice de la chirurgie ne peut être estimé.")
                    : RadesGroup.II.Meaning,
                Sections.Rades, [], null, null));
        }
    }

    private bool? PoorPerformance()
    {
        if (!patient.Performance.IsPresent)
        {
            return null;
        }

        var ps = patient.Performance.Value;
        return ps.Scale == PerformanceScale.Ecog ? ps.Value >= settings.PoorPerformanceEcog : ps.Value <= settings.PoorPerformanceKarnofsky;
    }
}
