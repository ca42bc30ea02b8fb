namespace BoneMetRT.Domain.Rades;

/// <summary>The three Rades prognostic groups.</summary>
/// <param name="Number">1, 2 or 3.</param>
/// <param name="Interpretation">Contract code (<c>rades-group-1</c> …).</param>
/// <param name="Range">Point range.</param>
/// <param name="AmbulatoryRate">Approximate rate of ambulatory status after radiotherapy (Rades 2011 validation).</param>
/// <param name="QualitativeRisk">Chance of staying ambulatory: low, intermediate or high.</param>
/// <param name="Meaning">What the seed says of the group.</param>
/// <remarks>Seed §1.3 and Tableau 4; 3-group split of the 2011 validation (guideline.md §3 and §7).</remarks>
public sealed record RadesGroup(int Number, string Interpretation, LocalizedText Range, decimal AmbulatoryRate, string QualitativeRisk, LocalizedText Meaning)
{
    /// <summary>Group I, 21–28 points.</summary>
    public static readonly RadesGroup I = new(1, "rades-group-1", new("21–28", "21-28"), 0.11m, "low",
        new("Group I: low rate of staying ambulatory; no benefit from surgery; favour hypofractionation.",
            "Groupe I : faible taux de maintien ambulatoire ; pas de bénéfice de la chirurgie ; privilégier l'hypofractionnement."));

    /// <summary>Group II, 29–37 points.</summary>
    public static readonly RadesGroup II = new(2, "rades-group-2", new("29–37", "29-37"), 0.71m, "intermediate",
        new("Group II: intermediate rate of staying ambulatory; no significant benefit of laminectomy, but small numbers.",
            "Groupe II : taux de maintien ambulatoire intermédiaire ; pas de bénéfice significatif de la laminectomie mais petit effectif."));

    /// <summary>Group III, 38–44 points.</summary>
    public static readonly RadesGroup III = new(3, "rades-group-3", new("38–44", "38-44"), 0.99m, "high",
        new("Group III: high rate of staying ambulatory; excellent result without surgery.",
            "Groupe III : fort taux de maintien ambulatoire ; excellent résultat sans chirurgie."));

    /// <summary>Group of a total (21–44).</summary>
    public static RadesGroup ForTotal(int total) => total switch
    {
        < 21 or > 44 => throw new ArgumentOutOfRangeException(nameof(total), total, "A Rades total is 21 to 44."),
        <= 28 => I,
        <= 37 => II,
        _ => III,
    };
}
