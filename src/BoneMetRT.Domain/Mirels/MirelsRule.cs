using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Scoring;

namespace BoneMetRT.Domain.Mirels;

/// <summary>Computes the Mirels score of a long-bone lesion and applies the cortical-osteolysis rule.</summary>
/// <remarks>Seed §1.2, Tableau 3; guideline.md §2. Long bones only; a missing item withholds the score (§8).</remarks>
public static class MirelsRule
{
    private static readonly LocalizedText Caution = new(
        "The Mirels score is a guide, not a verdict: the guideline quotes a sensitivity of 67 % and a specificity of 48 % (Damron) and adds the clinician's experience.",
        "Le score de Mirels guide sans trancher : le référentiel cite une sensibilité de 67 % et une spécificité de 48 % (Damron), à compléter par l'expérience du clinicien.");

    /// <summary>Scores one lesion. Call only for long bones; other bones get a not-applicable finding from the engine.</summary>
    public static MirelsResult Evaluate(LesionFacts lesion)
    {
        var findings = new List<Finding>();
        var names = MirelsTable.Items;
        ScoreItem[] items =
        [
            ItemScoring.Score(lesion.Site, names[0].Code, names[0].Name, MirelsTable.Site, "Mirels", lesion.Id, findings),
            ItemScoring.Score(lesion.Size, names[1].Code, names[1].Name, MirelsTable.Size, "Mirels", lesion.Id, findings),
            ItemScoring.Score(lesion.Type, names[2].Code, names[2].Name, MirelsTable.Type, "Mirels", lesion.Id, findings),
            ItemScoring.Score(lesion.Pain, names[3].Code, names[3].Name, MirelsTable.Pain, "Mirels", lesion.Id, findings),
        ];

        var total = ItemScoring.Total(items);
        var band = total is { } t ? MirelsBand.ForTotal(t) : null;
        var lysis = CorticalLysisRule.Evaluate(lesion, total);

        var rationale = band is null
            ? new LocalizedText(
                $"Mirels score for {lesion.Label} not computed ({ItemScoring.MissingList(items, Language.En)}): the decision falls back to the multidisciplinary tumour board.",
                $"Score de Mirels pour {lesion.Label} non calculé ({ItemScoring.MissingList(items, Language.Fr)}) : la décision revient à la RCP.")
            : LocalizedText.Join([
                new($"Mirels score for {lesion.Label}: {total}/12 ({ItemScoring.Breakdown(items, Language.En)}), fracture risk about {band.FractureRisk:P0}.",
                    $"Score de Mirels pour {lesion.Label} : {total}/12 ({ItemScoring.Breakdown(items, Language.Fr)}), risque fracturaire d'environ {band.FractureRisk:P0}."),
                band.Decision,
                Caution,
            ]);

        return new MirelsResult(lesion.Id, lesion.Label, items, total, band, lysis, rationale, findings);
    }
}
