using BoneMetRT.Domain.Facts;

namespace BoneMetRT.Domain.Mirels;

/// <summary>Outcome of the cortical-osteolysis rule.</summary>
public enum LysisOutcome
{
    /// <summary>Axial &gt; 30 and circumferential &gt; 50 % with Mirels ≥ 9: discuss consolidation surgery first.</summary>
    Positive,
    /// <summary>Mirels ≥ 9 but the lysis thresholds are not both exceeded.</summary>
    Negative,
    /// <summary>The rule concerns Mirels ≥ 9 only; the score is lower.</summary>
    NotApplicable,
    /// <summary>The rule cannot be decided: a measure or the Mirels total is missing.</summary>
    Undetermined,
}

/// <summary>Result of the cortical-osteolysis rule, with its rationale.</summary>
public sealed record LysisResult(LysisOutcome Outcome, LocalizedText Rationale, IReadOnlyList<string> Sources)
{
    /// <summary>Contract codes of the measures that are missing or conflicting (empty when both are known).</summary>
    public IReadOnlyList<string> UnknownItems { get; init; } = [];

    /// <summary>True when consolidation surgery must be discussed first.</summary>
    public bool ConsolidationSurgeryDiscussion => Outcome == LysisOutcome.Positive;
}

/// <summary>
/// On the diagnostic or planning CT, cortical osteolysis &gt; 30 % in the axial plane and &gt; 50 % of the
/// circumference, with Mirels ≥ 9, must trigger a discussion of consolidation surgery first.
/// </summary>
/// <remarks>
/// Seed §1.2 (refs 65, 66); guideline.md §2. The axial measure is accepted in % (seed) or mm (van der Linden 2004:
/// &gt; 30 mm), with the same threshold of 30 for either unit, and the rationale says which (guideline.md §7).
/// </remarks>
public static class CorticalLysisRule
{
    /// <summary>Axial threshold, in the unit of the measure.</summary>
    public const decimal AxialThreshold = 30m;

    /// <summary>Circumferential threshold, in %.</summary>
    public const decimal CircumferentialThreshold = 50m;

    /// <summary>Evaluates the rule for a lesion and its Mirels total (null when the score was withheld).</summary>
    public static LysisResult Evaluate(LesionFacts lesion, int? mirelsTotal)
    {
        var axial = lesion.CorticalLysisAxial;
        var circ = lesion.CorticalLysisCircumferential;
        string[] sources = [.. axial.Sources, .. circ.Sources];

        if (mirelsTotal is < 9)
        {
            return new(LysisOutcome.NotApplicable,
                new($"Cortical-osteolysis rule not applicable: it concerns Mirels ≥ 9 and the score is {mirelsTotal}.",
                    $"Règle de l'ostéolyse corticale non applicable : elle concerne un score de Mirels ≥ 9, le score est de {mirelsTotal}."),
                sources);
        }

        if (!axial.IsPresent || !circ.IsPresent)
        {
            var what = (!axial.IsPresent, !circ.IsPresent) switch
            {
                (true, true) => ("axial and circumferential cortical lysis", "ostéolyse corticale axiale et circonférentielle"),
                (true, false) => ("axial cortical lysis", "ostéolyse corticale axiale"),
                _ => ("circumferential cortical lysis", "ostéolyse corticale circonférentielle"),
            };
            return new(LysisOutcome.Undetermined,
                new($"Cortical-osteolysis rule undetermined: {what.Item1} not available (measure it on the diagnostic or planning CT).",
                    $"Règle de l'ostéolyse corticale indéterminée : {what.Item2} non disponible (à mesurer sur le scanner diagnostique ou dosimétrique)."),
                sources)
            {
                UnknownItems = [.. new[] { (axial.IsPresent, ItemCodes.CorticalLysisAxial), (circ.IsPresent, ItemCodes.CorticalLysisCircumferential) }.Where(x => !x.Item1).Select(x => x.Item2)],
            };
        }

        var (value, unit) = axial.Value;
        var unitText = unit == LysisUnit.Percent
            ? new LocalizedText($"{value} % (axial share, as in the seed)", $"{value} % (part axiale, comme dans le référentiel)")
            : new LocalizedText($"{value} mm (axial length, as in van der Linden 2004)", $"{value} mm (longueur axiale, comme van der Linden 2004)");
        var met = value > AxialThreshold && circ.Value > CircumferentialThreshold;
        var measures = new LocalizedText(
            $"Axial lysis {unitText.En}, threshold > 30; circumferential lysis {circ.Value} %, threshold > 50 %.",
            $"Ostéolyse axiale {unitText.Fr}, seuil > 30 ; ostéolyse circonférentielle {circ.Value} %, seuil > 50 %.");

        if (mirelsTotal is null)
        {
            return new(LysisOutcome.Undetermined, LocalizedText.Join([measures, met
                ? new("Both lysis thresholds are exceeded but the Mirels score is withheld: discuss at the tumour board.",
                      "Les deux seuils d'ostéolyse sont dépassés mais le score de Mirels n'est pas calculé : à discuter en RCP.")
                : new("The Mirels score is withheld, so the rule cannot be applied.",
                      "Le score de Mirels n'est pas calculé, la règle ne peut pas être appliquée.")]), sources);
        }

        return met
            ? new(LysisOutcome.Positive, LocalizedText.Join([measures,
                new("With Mirels ≥ 9, consolidation surgery must be discussed first.",
                    "Avec un score de Mirels ≥ 9, une chirurgie de consolidation première doit être discutée.")]), sources)
            : new(LysisOutcome.Negative, LocalizedText.Join([measures,
                new("The two lysis thresholds are not both exceeded.", "Les deux seuils d'ostéolyse ne sont pas tous deux dépassés.")]), sources);
    }
}
