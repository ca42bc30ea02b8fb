using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Mirels;
using BoneMetRT.Domain.Rades;
using BoneMetRT.Domain.Regimens;
using BoneMetRT.Domain.Scoring;
using BoneMetRT.Domain.Situations;

namespace BoneMetRT.Domain.Assessment;

/// <summary>Builds the recommendations site by site from the evaluated rules.</summary>
internal sealed class Recommender(
    PatientFacts patient,
    EngineSettings settings,
    IReadOnlyList<SubjectView> views,
    IReadOnlyList<MirelsResult> mirels,
    OligometastaticAssessment oligo,
    List<Finding> findings)
{
    private readonly List<Recommendation> _out = [];
    private readonly bool? _poor = PoorPerformance(patient, settings);
    // Vertebral sites: vertebral lesions and the compressions no lesion was matched to (each at its own level).
    private readonly int _vertebrae = views.Count(v => v.Lesion.Kind == BoneKind.Vertebra && (v.IsLesion || v.CompressesCord));

    public IReadOnlyList<Recommendation> Build()
    {
        foreach (var v in views)
        {
            Site(v);
        }

        UnattributedPain();

        if (oligo.Eligibility == Eligibility.Eligible)
        {
            foreach (var v in views.Where(v => v.IsLesion))
            {
                Ablative(v);
            }
        }

        return _out;
    }

    private void Site(SubjectView v)
    {
        var lesion = v.Lesion;
        var situations = new List<Situation>();
        var reasons = new List<LocalizedText>();
        var complications = new List<LocalizedText>();
        var window = v.PostOperative ? v.Window : null;
        var mirelsResult = mirels.FirstOrDefault(m => m.LesionId == lesion.Id);

        if (v.CompressesCord)
        {
            situations.Add(Situation.Mscc);
            reasons.AddRange(v.Rades.Select(r => r.Rationale));
            if (!v.EverOperated)
            {
                MsccAdvice(v);
                if (v.Lesion.PathologicalFracture is { IsPresent: true, Value: true } && !_out.Any(r => r.SubjectId == v.Id && r.Code == RecommendationCodes.NeurosurgicalOpinion))
                {
                    // A compressing vertebra that is also broken: its stability is a surgical question, asked without delaying the course.
                    _out.Add(Recommendation.Step(RecommendationCodes.OrthopaedicOpinion, [Situation.Mscc], v.Lesion,
                        text: new($"Urgent spinal surgical opinion on the stability of {v.Lesion.Label} (pathological fracture), without delaying the radiotherapy.",
                            $"Avis chirurgical rachidien urgent sur la stabilité de {v.Lesion.Label} (fracture pathologique), sans retarder la radiothérapie."),
                        rationale: new("An established pathological fracture is a surgical question; the compression keeps its urgent radiotherapy.",
                            "Une fracture pathologique constituée relève d'un avis chirurgical ; la compression garde son irradiation urgente."),
                        Sections.Rades, urgent: true));
                }
            }
            else if (window is not null)
            {
                // The compression was operated on (decompression, stabilisation): the neurosurgical question is answered.
                reasons.Add(new($"The compression was operated on: radiotherapy follows as post-operative treatment; no neurosurgical opinion is asked again.",
                    "La compression a été opérée : la radiothérapie suit comme traitement post-opératoire ; l'avis neurochirurgical n'est pas redemandé."));
            }
            else
            {
                reasons.Add(new("The site was operated on earlier: no neurosurgical opinion is asked again; the tumour board weighs a new operation if needed.",
                    "Le site a déjà été opéré : l'avis neurochirurgical n'est pas redemandé ; la RCP juge d'une nouvelle intervention si besoin."));
            }
        }

        if (window is not null)
        {
            situations.Add(Situation.Postoperative);
            reasons.Add(window.Rationale);
        }

        Sequence? after = null;
        if (v.FractureConflicting)
        {
            // §8: the record says both; neither the prophylactic route nor a single fraction may rest on "no fracture".
            complications.Add(new("fracture status contradictory", "fracture pathologique contradictoire"));
            _out.Add(Recommendation.Step(RecommendationCodes.TumourBoard, [], lesion,
                text: new($"Decide for {lesion.Label} at the multidisciplinary tumour board (RCP): the record contradicts itself on a pathological fracture.",
                    $"Décider pour {lesion.Label} en RCP : le dossier se contredit sur une fracture pathologique."),
                rationale: new("A fracture is a surgical question, a fracture risk a Mirels one: the engine does not choose between them.",
                    "Une fracture relève de la chirurgie, un risque fracturaire du score de Mirels : le moteur ne choisit pas."),
                Sections.MissingData));
        }

        var fracture = v.FractureNotOperated && !v.CompressesCord;
        if (fracture)
        {
            complications.Add(new("established pathological fracture", "fracture pathologique constituée"));
            after = Fracture(v, reasons);
            if (after is not null)
            {
                // The course proposed is the §1.4 post-operative treatment of the operation to come.
                situations.Add(Situation.Postoperative);
            }
        }
        else if (mirelsResult is not null)
        {
            var (radiotherapy, sequence) = MirelsAdvice(lesion, mirelsResult, window is not null, complications, reasons);
            if (radiotherapy || sequence is not null)
            {
                situations.Add(Situation.FracturePrevention);
                reasons.Insert(0, mirelsResult.Rationale);
            }

            after = sequence;
        }

        if (IsTrue(v.RefractoryPain))
        {
            situations.Add(Situation.Pain);
            reasons.Add(new("Painful metastasis resistant to analgesics: radiotherapy is the first-line treatment.",
                "Métastase douloureuse résistante aux antalgiques : la radiothérapie est le premier traitement."));
        }

        if (situations.Count == 0 && !fracture)
        {
            NothingApplies(v, mirelsResult);
            return;
        }

        if (v.PriorRadiotherapy.Count > 0)
        {
            Reirradiation(v, situations, reasons);
            return;
        }

        Course(v, situations, reasons, complications, window, after);
    }

    /// <summary>
    /// No situation of the guideline applies to the site: said in a finding, unless the site may still be concerned (a
    /// Mirels result, an ablative course, a surgery linked to no lesion, pain recorded only for the patient).
    /// </summary>
    private void NothingApplies(SubjectView v, MirelsResult? mirelsResult)
    {
        var lesion = v.Lesion;
        // An operated site the record links to no lesion may be this one: then "nothing applies" would be wrong.
        var unlinkedSurgery = views.Any(x => !x.IsLesion && !x.CompressesCord);
        // Pain recorded for the patient and not attributable: the lesion may hurt; the patient-wide proposal says so.
        var painUnknown = v.IsLesion && v.RefractoryPain.State == FactState.Missing && IsTrue(patient.AnalgesicRefractoryPain);
        if (mirelsResult is null && oligo.Eligibility != Eligibility.Eligible && !unlinkedSurgery && !painUnknown)
        {
            findings.Add(new(Severity.Information, FindingKind.Note, null, lesion.Id, new(
                $"No situation of the guideline applies to {lesion.Label} on these data (no refractory pain, fracture risk, compression or surgery): no radiotherapy is proposed for it.",
                $"Aucune situation du référentiel ne s'applique à {lesion.Label} sur ces données (ni douleur réfractaire, ni risque fracturaire, ni compression, ni chirurgie) : aucune radiothérapie n'est proposée."),
                Sections.Situations, []));
        }
    }

    /// <summary>The radiotherapy course of a site: its complications, the regimens they allow, and the cover of a single fraction.</summary>
    private void Course(SubjectView v, List<Situation> situations, List<LocalizedText> reasons, List<LocalizedText> complications,
        PostOperativeWindow? window, Sequence? after)
    {
        var lesion = v.Lesion;
        if (IsTrue(v.NeuropathicPain))
        {
            complications.Add(new("neuropathic pain", "douleur neuropathique"));
        }

        if (IsTrue(lesion.EpiduralExtension))
        {
            complications.Add(new("epidural extension", "épidurite"));
        }

        var spinal = lesion.Kind == BoneKind.Vertebra;
        if (spinal && _vertebrae > 3)
        {
            complications.Add(new($"{_vertebrae} vertebrae involved (> 3)", $"{_vertebrae} vertèbres atteintes (> 3)"));
        }

        var postOperative = window is not null || after is not null;
        var context = new RegimenContext(spinal, v.CompressesCord, Group(v), postOperative, complications, _poor);
        var options = RegimenChoice.Choose(context, settings);
        var text = CourseText(v, window, after);
        var course = Recommendation.Course(RecommendationCodes.Radiotherapy, situations, lesion, text: text, rationale: LocalizedText.Join(reasons),
            v.CompressesCord ? Sections.Rades : postOperative ? Sections.PostOperative : Sections.RegimenChoice,
            options, TargetVolumeRule.For(lesion, postOperative || v.EverOperated),
            window: window is null ? null : new DateWindow(window.Start, window.End, window.Status), urgent: v.CompressesCord);
        _out.Add(course with { After = after });

        if (options[0].Regimen == Regimen.Rt8Gy1)
        {
            _out.Add(Recommendation.Step(RecommendationCodes.CorticosteroidCover, situations, lesion,
                text: new("Corticosteroid cover for 48–72 h with the single fraction.", "Couverture corticoïde de 48 à 72 h avec la fraction unique."),
                rationale: new("Recommended with 8 Gy in 1 fraction for an uncomplicated lesion.", "Recommandée avec 8 Gy en 1 fraction pour une lésion non compliquée."),
                Sections.RegimenChoice));
        }
    }

    private static LocalizedText CourseText(SubjectView v, PostOperativeWindow? window, Sequence? after)
    {
        var lesion = v.Lesion;
        return after is not null
            ? new LocalizedText($"Post-operative radiotherapy of {lesion.Label}, {after.Text.En}.", $"Radiothérapie post-opératoire de {lesion.Label}, {after.Text.Fr}.")
            : v.CompressesCord && window is null
                ? new LocalizedText($"Urgent radiotherapy of {lesion.Label}.", $"Radiothérapie en urgence de {lesion.Label}.")
                : window?.IsHeld == true
                    ? new LocalizedText($"Post-operative radiotherapy of {lesion.Label}, on hold: {HoldReason(window!).En}", $"Radiothérapie post-opératoire de {lesion.Label}, suspendue : {HoldReason(window!).Fr}")
                    : window is not null
                        ? new LocalizedText($"Post-operative radiotherapy of {lesion.Label}.", $"Radiothérapie post-opératoire de {lesion.Label}.")
                        : new LocalizedText($"Radiotherapy of {lesion.Label}.", $"Radiothérapie de {lesion.Label}.");
    }

    /// <summary>
    /// Pain resistant to analgesics recorded for the patient but for none of several lesions: the item is missing for
    /// each (named in the findings); the conservative route of §8 is the tumour board, which knows which lesion hurts.
    /// </summary>
    private void UnattributedPain()
    {
        if (!IsTrue(patient.AnalgesicRefractoryPain) || views.Count(x => x.IsLesion || x.CompressesCord) < 2)
        {
            return;
        }

        var unknown = views.Where(v => v.IsLesion && v.RefractoryPain.State == FactState.Missing).Select(v => v.Lesion.Label).ToList();
        if (unknown.Count == 0)
        {
            return;
        }

        _out.Add(Recommendation.Step(RecommendationCodes.TumourBoard, [Situation.Pain], null,
            text: new($"Pain resistant to analgesics is recorded for the patient, not for a lesion: decide at the tumour board which lesion to irradiate ({string.Join(", ", unknown)}), or record the painful lesion and assess again.",
                $"Une douleur résistante aux antalgiques est renseignée pour le patient, pas pour une lésion : décider en RCP de la lésion à irradier ({string.Join(", ", unknown)}), ou renseigner la lésion douloureuse et réévaluer."),
            rationale: new("The engine does not guess which lesion hurts (§8): the item is missing for each lesion.",
                "Le moteur ne devine pas quelle lésion est douloureuse (§8) : l'item manque pour chaque lésion."),
            Sections.MissingData));
    }

    private static LocalizedText HoldReason(PostOperativeWindow w) => w.Status switch
    {
        WindowStatus.HeldDateUnknown => new("the day of the operation is not known.", "le jour de l'intervention n'est pas connu."),
        WindowStatus.HeldSkinNotHealed => new("the skin is not healed.", "la peau n'est pas cicatrisée."),
        _ => new("skin healing is not documented.", "la cicatrisation n'est pas documentée."),
    };

    /// <summary>
    /// Surgery first, radiotherapy after it (§1.2, §1.4); for a patient unfit for surgery (the poor-performance setting),
    /// radiotherapy alone. Returns the sequence when radiotherapy follows surgery, null for radiotherapy alone.
    /// </summary>
    private Sequence? SurgeryFirst(LesionFacts lesion, string code, LocalizedText surgery, LocalizedText afterIt, LocalizedText why, GuidelineRef reference, List<LocalizedText> reasons)
    {
        if (_poor == true)
        {
            var unfit = new LocalizedText(
                $"Poor performance status (ECOG ≥ {settings.PoorPerformanceEcog} or Karnofsky ≤ {settings.PoorPerformanceKarnofsky}, a setting): the engine takes the patient as unfit for surgery and proposes radiotherapy alone instead of surgery first; the surgical team's opinion prevails.",
                $"Mauvais état général (ECOG ≥ {settings.PoorPerformanceEcog} ou Karnofsky ≤ {settings.PoorPerformanceKarnofsky}, réglage) : le moteur considère le patient comme inopérable et propose une radiothérapie seule au lieu de la chirurgie première ; l'avis chirurgical prévaut.");
            reasons.Add(unfit);
            return null;
        }

        _out.Add(Recommendation.Step(code, [code == RecommendationCodes.ProphylacticFixation ? Situation.FracturePrevention : Situation.Postoperative], lesion,
            text: new($"{surgery.En} of {lesion.Label} first; post-operative radiotherapy follows 15 to 21 days after surgery, on healed skin.",
                $"{surgery.Fr} de {lesion.Label} en premier ; la radiothérapie post-opératoire suit 15 jours à 3 semaines après, sur peau cicatrisée."),
            rationale: why, reference));
        reasons.Add(new("Post-operative radiotherapy is always indicated after surgery on a bone metastasis (§1.4).",
            "La radiothérapie post-opératoire est systématique après chirurgie d'une métastase osseuse (§1.4)."));
        return new Sequence(code, PostOperativeRule.FirstDay, PostOperativeRule.LastDay, new(
            $"15 to 21 days {afterIt.En}, on healed skin", $"15 jours à 3 semaines {afterIt.Fr}, sur peau cicatrisée"));
    }

    private Sequence? Fracture(SubjectView v, List<LocalizedText> reasons)
    {
        var why = new LocalizedText(
            $"{v.Lesion.Label} has an established pathological fracture: a surgical question (stabilisation), never fracture prevention; adjuvant radiotherapy follows the operation (§1.4).",
            $"{v.Lesion.Label} présente une fracture pathologique constituée : une question chirurgicale (stabilisation), jamais de la prévention ; la radiothérapie adjuvante suit l'intervention (§1.4).");
        reasons.Add(why);
        return SurgeryFirst(v.Lesion, RecommendationCodes.OrthopaedicOpinion,
            new("Surgical opinion (orthopaedic or spinal) on stabilisation", "Avis chirurgical (orthopédique ou rachidien) sur la stabilisation"),
            new("after the surgical stabilisation", "après la stabilisation chirurgicale"),
            why, Sections.PostOperative, reasons);
    }

    /// <summary>Mirels decision: whether radiotherapy of the lesion follows now, and the sequence when it follows surgery.</summary>
    private (bool Radiotherapy, Sequence? After) MirelsAdvice(LesionFacts lesion, MirelsResult m, bool operated, List<LocalizedText> complications, List<LocalizedText> reasons)
    {
        if (m.Band is null)
        {
            complications.Add(new("fracture risk not assessed", "risque fracturaire non évalué"));
            _out.Add(Recommendation.Step(RecommendationCodes.TumourBoard, [Situation.FracturePrevention], lesion,
                text: new($"Discuss {lesion.Label} at the multidisciplinary tumour board (RCP): the fracture risk could not be scored.",
                    $"Discuter {lesion.Label} en RCP : le risque fracturaire n'a pas pu être évalué."),
                rationale: m.Rationale, Sections.MissingData));
            if (m.Lysis.Outcome == LysisOutcome.Undetermined && m.Lysis.Sources.Count > 0)
            {
                findings.Add(new(Severity.Information, FindingKind.Note, ItemCodes.CorticalLysisAxial, lesion.Id, m.Lysis.Rationale, Sections.CorticalLysis, m.Lysis.Sources));
            }

            return (false, null);
        }

        if (m.Band != MirelsBand.RadiotherapyAlone)
        {
            complications.Add(new($"fracture risk, Mirels {m.Total}", $"risque fracturaire, Mirels {m.Total}"));
        }

        if (m.Band == MirelsBand.TumourBoard)
        {
            _out.Add(Recommendation.Step(RecommendationCodes.TumourBoard, [Situation.FracturePrevention], lesion,
                text: new($"Decide for {lesion.Label} at the multidisciplinary tumour board (RCP): radiotherapy alone or prophylactic fixation.",
                    $"Décider pour {lesion.Label} en RCP : radiothérapie seule ou fixation prophylactique."),
                rationale: m.Rationale, Sections.Mirels));
            return (true, null);
        }

        Sequence? after = null;
        if (m.Band == MirelsBand.ProphylacticFixation && !operated)
        {
            after = SurgeryFirst(lesion, RecommendationCodes.ProphylacticFixation, new("Prophylactic fixation", "Fixation prophylactique"),
                new("after the prophylactic fixation", "après la fixation prophylactique"), m.Rationale, Sections.Mirels, reasons);
        }

        if (m.Lysis.Outcome == LysisOutcome.Positive)
        {
            _out.Add(Recommendation.Step(RecommendationCodes.ConsolidationSurgery, [Situation.FracturePrevention], lesion,
                text: new($"Discuss consolidation surgery of {lesion.Label} first.", $"Discuter une chirurgie de consolidation première de {lesion.Label}."),
                rationale: m.Lysis.Rationale, Sections.CorticalLysis));
        }
        else if (m.Lysis.Outcome == LysisOutcome.Undetermined)
        {
            foreach (var item in m.Lysis.UnknownItems)
            {
                var what = item == ItemCodes.CorticalLysisAxial
                    ? new LocalizedText("axial cortical lysis", "ostéolyse corticale axiale")
                    : new LocalizedText("circumferential cortical lysis", "ostéolyse corticale circonférentielle");
                findings.Add(new(Severity.Warning, FindingKind.MissingItem, item, lesion.Id, new(
                    $"Mirels ≥ 9 for {lesion.Label}: the {what.En} ({item}) is not available, so the cortical-osteolysis rule (consolidation surgery first) cannot be applied; measure it on the diagnostic or planning CT.",
                    $"Mirels ≥ 9 pour {lesion.Label} : l'{what.Fr} ({item}) n'est pas disponible, la règle de l'ostéolyse corticale (chirurgie de consolidation première) ne peut être appliquée ; la mesurer sur le scanner diagnostique ou dosimétrique."),
                    Sections.CorticalLysis, m.Lysis.Sources));
            }
        }

        // Fixation first: radiotherapy is post-operative (after). Unfit for surgery, or already operated: radiotherapy now.
        return (m.Band != MirelsBand.ProphylacticFixation || operated || after is null, after);
    }

    private void MsccAdvice(SubjectView v)
    {
        var missing = v.Rades.Any(r => r.Group is null);
        var lesion = v.Lesion;
        if (missing)
        {
            _out.Add(Recommendation.Step(RecommendationCodes.TumourBoard, [Situation.Mscc], lesion,
                text: new("Urgent multidisciplinary decision (RCP) on surgery before radiotherapy: the Rades score could not be computed.",
                    "Décision pluridisciplinaire urgente (RCP) sur un geste chirurgical avant irradiation : le score de Rades n'a pas pu être calculé."),
                rationale: LocalizedText.Join(v.Rades.Where(r => r.Group is null).Select(r => r.Rationale)), Sections.MissingData, urgent: true));
        }

        if (missing || v.Rades.Any(r => r.Group == RadesGroup.II))
        {
            _out.Add(Recommendation.Step(RecommendationCodes.NeurosurgicalOpinion, [Situation.Mscc], lesion,
                text: new("Urgent neurosurgical opinion on decompression before radiotherapy.", "Avis neurochirurgical urgent sur une décompression avant irradiation."),
                rationale: missing
                    ? new("Without a Rades group the benefit of surgery cannot be estimated.", "Sans groupe de Rades, le bénéfice de la chirurgie ne peut être estimé.")
                    : RadesGroup.II.Meaning,
                Sections.Rades, urgent: true));
        }
    }

    /// <summary>
    /// A site irradiated before: the guideline's regimens are for a first course; the dose, the interval and the
    /// cumulative dose to the organs at risk (the spinal cord first) decide a re-irradiation, which is the tumour board's.
    /// </summary>
    private void Reirradiation(SubjectView v, List<Situation> situations, List<LocalizedText> reasons)
    {
        var lesion = v.Lesion;
        var courses = v.PriorRadiotherapy;
        var en = string.Join("; ", courses.Select(c => SubjectViews.Course(c, Language.En)));
        var fr = string.Join(" ; ", courses.Select(c => SubjectViews.Course(c, Language.Fr)));
        var spinal = lesion.Kind == BoneKind.Vertebra;
        var warning = new LocalizedText(
            $"{lesion.Label} was irradiated before ({en}): a new course is a re-irradiation. No regimen is proposed automatically; the dose, the interval since the earlier course and the cumulative dose to the organs at risk{(spinal ? " (the spinal cord first: sum the EQD2 of both courses, α/β 0.87 Gy)" : "")} are for the tumour board to weigh.",
            $"{lesion.Label} a déjà été irradiée ({fr}) : une nouvelle irradiation est une ré-irradiation. Aucun schéma n'est proposé automatiquement ; la dose, l'intervalle depuis le traitement précédent et la dose cumulée aux organes à risque{(spinal ? " (la moelle d'abord : additionner les EQD2 des deux traitements, α/β 0,87 Gy)" : "")} sont à discuter en RCP.");
        findings.Add(new(Severity.Warning, FindingKind.Caveat, ItemCodes.PriorRadiotherapy, lesion.Id, warning, Sections.DoseFractionation, [.. courses.Select(c => c.Id)]));
        _out.Add(Recommendation.Step(RecommendationCodes.ReirradiationReview, situations, lesion,
            text: v.CompressesCord
                ? new($"Urgent multidisciplinary decision (RCP) on re-irradiation of {lesion.Label}.", $"Décision pluridisciplinaire urgente (RCP) sur la ré-irradiation de {lesion.Label}.")
                : new($"Discuss re-irradiation of {lesion.Label} at the multidisciplinary tumour board (RCP).", $"Discuter la ré-irradiation de {lesion.Label} en RCP."),
            rationale: LocalizedText.Join([.. reasons, warning]), Sections.DoseFractionation, urgent: v.CompressesCord));
    }

    private void Ablative(SubjectView v)
    {
        var lesion = v.Lesion;
        var spinal = lesion.Kind == BoneKind.Vertebra;
        var irradiated = v.PriorRadiotherapy.Count > 0;
        var rationale = LocalizedText.Join([
            oligo.Rationale,
            !spinal ? RegimenChoice.AblativeExtraSpinal : v.CompressesCord ? RegimenChoice.AblativeCompressing : new LocalizedText("", ""),
            irradiated ? new LocalizedText("This site was irradiated before: no schedule is proposed; the specialised tumour board weighs the cumulative dose.",
                "Ce site a déjà été irradié : aucun schéma n'est proposé ; la RCP spécialisée apprécie la dose cumulée.") : new LocalizedText("", ""),
        ]);
        _out.Add(Recommendation.Course(RecommendationCodes.SpecialisedTumourBoard, [Situation.Oligometastatic], lesion,
            text: new($"Present {lesion.Label} at the specialised tumour board (RCP-OOS) for ablative treatment.",
                $"Présenter {lesion.Label} en RCP spécialisée (RCP-OOS) pour un traitement à visée ablative."),
            rationale: rationale, Sections.Oligometastatic,
            irradiated ? [] : RegimenChoice.Ablative(spinal, v.CompressesCord),
            spinal && !v.CompressesCord ? TargetVolumeRule.ForSbrt(lesion) : v.CompressesCord ? null : TargetVolumeRule.For(lesion, v.EverOperated)));
    }

    /// <summary>The Rades group that decides the regimen: the worst prognosis when several compressions share a site; none when any is missing.</summary>
    private static RadesGroup? Group(SubjectView v) =>
        v.Rades.Count == 0 || v.Rades.Any(r => r.Group is null) ? null : v.Rades.Select(r => r.Group!).MinBy(g => g.Number);

    private static bool IsTrue(Fact<bool> fact) => fact is { IsPresent: true, Value: true };

    private static bool? PoorPerformance(PatientFacts patient, EngineSettings settings)
    {
        if (!patient.Performance.IsPresent)
        {
            return null;
        }

        var ps = patient.Performance.Value;
        return ps.Scale == PerformanceScale.Ecog ? ps.Value >= settings.PoorPerformanceEcog : ps.Value <= settings.PoorPerformanceKarnofsky;
    }
}
