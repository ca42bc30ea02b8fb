using BoneMetRT.Domain.Rades;

namespace BoneMetRT.Domain.Regimens;

/// <summary>What the regimen choice depends on for one lesion.</summary>
/// <param name="IsSpinal">The lesion is a vertebra (cord dose applies).</param>
/// <param name="Mscc">The lesion causes the spinal cord compression.</param>
/// <param name="Rades">Rades group, null when not computed or not applicable.</param>
/// <param name="Postoperative">The lesion was operated on.</param>
/// <param name="Complications">Complicating features found (fracture risk, neuropathic pain, epidural extension, &gt; 3 vertebrae).</param>
/// <param name="PoorPerformance">Poor performance status (null when not documented).</param>
public sealed record RegimenContext(bool IsSpinal, bool Mscc, RadesGroup? Rades, bool Postoperative, IReadOnlyList<LocalizedText> Complications, bool? PoorPerformance);

/// <summary>Chooses the preferred and alternative palliative regimens for a lesion, with the reason for each.</summary>
/// <remarks>
/// Regimen list and trade-offs: seed §2.1 (re-irradiation 20 % after 8 Gy vs 8 %; protraction improves local control).
/// Choice by situation: AURA continuation (guideline.md §6): uncomplicated → 8 Gy/1 with 48–72 h corticosteroid cover;
/// complicated (fracture risk, MSCC, post-operative, neuropathic pain, &gt; 3 vertebrae, epidural extension) → prefer
/// 30 Gy/10; elderly, poor performance status or short life expectancy → 20 Gy/5; MSCC → 30 Gy/10 to 20 Gy/5 (8 Gy/1
/// exceptionally), Rades group I favouring the short courses (seed §1.3); post-operative 30 Gy/10 or 20 Gy/5 (AURA, §4).
/// </remarks>
public static class RegimenChoice
{
    private static readonly LocalizedText SingleFractionTradeOff = new(
        "Same pain response as multiple fractions and faster relief, but re-irradiation is more frequent (20 % vs 8 %).",
        "Réponse antalgique équivalente aux fractions multiples et plus rapide, mais ré-irradiation plus fréquente (20 % vs 8 %).");

    private static readonly LocalizedText ProtractedBenefit = new(
        "Protracted course (30 Gy multi-fraction vs 8 Gy single) suggested to improve progression-free survival and local control.",
        "L'étalement (30 Gy multifraction vs 8 Gy monofraction) améliorerait la survie sans progression et le contrôle local.");

    /// <summary>The options, preferred first, each with its reason and, for spinal lesions, the cord EQD2 bound.</summary>
    public static IReadOnlyList<RegimenOption> Choose(RegimenContext c, EngineSettings settings)
    {
        var list = new List<(Regimen R, bool Preferred, LocalizedText Why)>();
        var poor = c.PoorPerformance == true;
        var poorWhy = new LocalizedText(
            $"Poor performance status (ECOG ≥ {settings.PoorPerformanceEcog} or Karnofsky ≤ {settings.PoorPerformanceKarnofsky}): a short course is preferred.",
            $"Mauvais état général (ECOG ≥ {settings.PoorPerformanceEcog} ou Karnofsky ≤ {settings.PoorPerformanceKarnofsky}) : un schéma court est préféré.");

        if (c.Mscc)
        {
            if (c.Rades?.Number == 1 || poor)
            {
                var why = c.Rades?.Number == 1
                    ? new LocalizedText("Rades group I: favour hypofractionation (short course).", "Groupe I de Rades : privilégier l'hypofractionnement (schéma court).")
                    : poorWhy;
                list.Add((Regimen.Rt20Gy5, true, why));
                list.Add((Regimen.Rt30Gy10, false, new("Spinal cord compression: 30 Gy/10 to 20 Gy/5.", "Compression médullaire : 30 Gy/10 à 20 Gy/5.")));
            }
            else
            {
                list.Add((Regimen.Rt30Gy10, true, c.Rades is null
                    ? new("Spinal cord compression: 30 Gy/10 to 20 Gy/5; without a Rades group the longer course is kept.",
                          "Compression médullaire : 30 Gy/10 à 20 Gy/5 ; sans groupe de Rades, le schéma long est retenu.")
                    : new($"Spinal cord compression, Rades group {c.Rades.Number}: 30 Gy/10 to 20 Gy/5, the longer course for the better prognosis.",
                          $"Compression médullaire, groupe {c.Rades.Number} de Rades : 30 Gy/10 à 20 Gy/5, le schéma long pour le meilleur pronostic.")));
                list.Add((Regimen.Rt20Gy5, false, new("Spinal cord compression: 30 Gy/10 to 20 Gy/5.", "Compression médullaire : 30 Gy/10 à 20 Gy/5.")));
            }

            list.Add((Regimen.Rt8Gy1, false, new("Exceptionally, in spinal cord compression.", "Exceptionnellement, en cas de compression médullaire.")));
        }
        else if (c.Postoperative)
        {
            var first = poor ? Regimen.Rt20Gy5 : Regimen.Rt30Gy10;
            var second = poor ? Regimen.Rt30Gy10 : Regimen.Rt20Gy5;
            var postOp = new LocalizedText("Post-operative radiotherapy: 30 Gy/10 or 20 Gy/5 (no fractionation data in the seed).",
                "Radiothérapie post-opératoire : 30 Gy/10 ou 20 Gy/5 (pas de donnée de fractionnement dans le référentiel).");
            list.Add((first, true, poor ? LocalizedText.Join([postOp, poorWhy]) : postOp));
            list.Add((second, false, postOp));
        }
        else if (c.Complications.Count > 0)
        {
            var complicated = new LocalizedText(
                $"Complicated lesion ({string.Join(", ", c.Complications.Select(x => x.En))}): prefer 30 Gy/10.",
                $"Lésion compliquée ({string.Join(", ", c.Complications.Select(x => x.Fr))}) : privilégier 30 Gy/10.");
            if (poor)
            {
                list.Add((Regimen.Rt20Gy5, true, LocalizedText.Join([complicated, poorWhy])));
                list.Add((Regimen.Rt30Gy10, false, LocalizedText.Join([complicated, ProtractedBenefit])));
            }
            else
            {
                list.Add((Regimen.Rt30Gy10, true, LocalizedText.Join([complicated, ProtractedBenefit])));
                list.Add((Regimen.Rt20Gy5, false, new("Shorter alternative, for example for a frail patient.", "Alternative plus courte, par exemple chez un patient fragile.")));
            }

            list.Add((Regimen.Rt24Gy6, false, new("Randomised alternative with equivalent pain response.", "Alternative randomisée à réponse antalgique équivalente.")));
        }
        else if (c.IsSpinal)
        {
            // AURA reserves the single fraction for uncomplicated long or flat bones; a vertebra is neither, and the
            // guideline names no course for it. This engine's choice: the short multi-fraction course, the classic one
            // as the alternative, and no single fraction (stated in the rationale and the README).
            var vertebral = new LocalizedText(
                "Uncomplicated vertebral lesion: the guideline reserves 8 Gy in 1 fraction for uncomplicated long or flat bones and names no course for a vertebra; this engine proposes a multi-fraction course.",
                "Lésion vertébrale non compliquée : le référentiel réserve 8 Gy en 1 fraction aux os longs ou plats non compliqués et ne précise pas de schéma pour une vertèbre ; ce moteur propose un schéma multifractionné.");
            list.Add((Regimen.Rt20Gy5, true, poor ? LocalizedText.Join([vertebral, poorWhy]) : vertebral));
            list.Add((Regimen.Rt30Gy10, false, LocalizedText.Join([new("The most classic course.", "Le schéma le plus classique."), ProtractedBenefit])));
        }
        else
        {
            var uncomplicated = new LocalizedText(
                "Uncomplicated lesion: 8 Gy in 1 fraction, with 48–72 h corticosteroid cover.",
                "Lésion non compliquée : 8 Gy en 1 fraction, sous couverture corticoïde de 48 à 72 h.");
            if (poor)
            {
                // AURA: elderly, poor performance status or short life expectancy → 20 Gy/5, whatever the lesion.
                list.Add((Regimen.Rt20Gy5, true, poorWhy));
                list.Add((Regimen.Rt8Gy1, false, LocalizedText.Join([uncomplicated, SingleFractionTradeOff])));
            }
            else
            {
                list.Add((Regimen.Rt8Gy1, true, LocalizedText.Join([uncomplicated, SingleFractionTradeOff])));
                list.Add((Regimen.Rt20Gy5, false, new("Multi-fraction alternative.", "Alternative multifractionnée.")));
            }

            list.Add((Regimen.Rt24Gy6, false, new("Multi-fraction alternative.", "Alternative multifractionnée.")));
            list.Add((Regimen.Rt30Gy10, false, LocalizedText.Join([new("The most classic course.", "Le schéma le plus classique."), ProtractedBenefit])));
        }

        return [.. list.Select(o => new RegimenOption(o.R, o.Preferred, o.Why, c.IsSpinal ? CordDose.For(o.R, settings.CordAlphaBetaGy) : null))];
    }

    /// <summary>
    /// Stereotactic options for an oligometastatic lesion, none preferred. The guideline names schedules for the spine
    /// only (AURA: 18 Gy/1 or 24 Gy/2, chosen by cord constraints); for other sites it names none, so none is proposed
    /// and <see cref="AblativeExtraSpinal"/> says so. A vertebra that compresses the cord gets none: the compression is
    /// treated urgently as such (§1.3), and stereotactic dose next to a compressed cord is not what the guideline's
    /// ablative option describes. The conventional cord EQD2 bound (full prescription at the cord) means nothing for
    /// SBRT, whose plan keeps the cord under its own constraint, so none is given.
    /// </summary>
    public static IReadOnlyList<RegimenOption> Ablative(bool spinal, bool compressesCord)
    {
        if (!spinal || compressesCord)
        {
            return [];
        }

        var why = new LocalizedText(
            "Spine SBRT: no preferred schedule, chosen by spinal-cord constraints; the cord dose is set by the stereotactic plan's own constraint, not by the conventional full-prescription bound.",
            "Stéréotaxie rachidienne : pas de schéma préférentiel, choix selon les contraintes médullaires ; la dose à la moelle relève de la contrainte propre au plan stéréotaxique, pas de la borne conventionnelle à pleine dose.");
        return [.. new[] { Regimen.Sbrt18Gy1, Regimen.Sbrt24Gy2 }.Select(r => new RegimenOption(r, false, why, null))];
    }

    /// <summary>Why no stereotactic schedule is proposed for a vertebra that compresses the cord.</summary>
    public static readonly LocalizedText AblativeCompressing = new(
        "This vertebra compresses the spinal cord: no stereotactic schedule is proposed for it; the compression is treated as such (urgent radiotherapy, §1.3).",
        "Cette vertèbre comprime la moelle : aucun schéma stéréotaxique n'est proposé pour elle ; la compression est traitée comme telle (radiothérapie urgente, §1.3).");

    /// <summary>What the guideline says of ablative treatment outside the spine.</summary>
    public static readonly LocalizedText AblativeExtraSpinal = new(
        "Outside the spine, SBRT is validated; a protracted normo-fractionated \"pseudo-curative\" course may be proposed instead, depending on the organs at risk. The guideline names no schedule.",
        "Hors rachis, la stéréotaxie est validée ; un traitement normo-fractionné étalé à dose pseudo-curative peut être proposé à la place, selon les organes à risque. Le référentiel ne précise pas de schéma.");
}
