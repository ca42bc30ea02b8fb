namespace BoneMetRT.Domain.Mirels;

/// <summary>The three Mirels bands and what each means.</summary>
/// <param name="Interpretation">Contract code of the band (<c>mirels-radiotherapy</c>, <c>mirels-tumour-board</c>, <c>mirels-fixation</c>).</param>
/// <param name="Recommendation">Contract recommendation code for the band.</param>
/// <param name="Label">Band as written in the table.</param>
/// <param name="Decision">What the guideline proposes.</param>
/// <param name="FractureRisk">Approximate risk of pathological fracture (Mirels 1989).</param>
/// <param name="QualitativeRisk">Low, moderate or high.</param>
/// <remarks>
/// Seed §1.2 and Tableau 3: "Score ≤ 7 : Observation, radiothérapie – 8 : Décision de RCP – ≥ 9 Fixation prophylactique";
/// fracture risk about 4 %, 15 %, 33 % (guideline.md §2, [lit: Mirels 1989]).
/// </remarks>
public sealed record MirelsBand(string Interpretation, string Recommendation, LocalizedText Label, LocalizedText Decision, decimal FractureRisk, string QualitativeRisk)
{
    /// <summary>Total ≤ 7.</summary>
    public static readonly MirelsBand RadiotherapyAlone = new(
        "mirels-radiotherapy", "radiotherapy", new("≤ 7", "≤ 7"),
        new("Observation and radiotherapy alone.", "Observation, radiothérapie seule."),
        0.04m, "low");

    /// <summary>Total = 8.</summary>
    public static readonly MirelsBand TumourBoard = new(
        "mirels-tumour-board", "tumour-board-review", new("8", "8"),
        new("Intermediate score: decide at a multidisciplinary tumour board (RCP) between radiotherapy alone and prophylactic fixation.",
            "Score intermédiaire : décision en RCP entre radiothérapie seule et fixation prophylactique."),
        0.15m, "moderate");

    /// <summary>Total ≥ 9.</summary>
    public static readonly MirelsBand ProphylacticFixation = new(
        "mirels-fixation", "prophylactic-fixation", new("≥ 9", "≥ 9"),
        new("Prophylactic fixation first; post-operative radiotherapy follows in any case.",
            "Chirurgie prophylactique première ; la radiothérapie post-opératoire sera de toute façon indiquée."),
        0.33m, "high");

    /// <summary>Band of a total (4–12).</summary>
    public static MirelsBand ForTotal(int total) => total switch
    {
        < 4 or > 12 => throw new ArgumentOutOfRangeException(nameof(total), total, "A Mirels total is 4 to 12."),
        <= 7 => RadiotherapyAlone,
        8 => TumourBoard,
        _ => ProphylacticFixation,
    };
}
