using BoneMetRT.Domain.Scoring;


namespace BoneMetRT.Domain.Mirels;

/// <summary>The Mirels score of one long-bone lesion.</summary>
/// <param name="LesionId">Lesion scored.</param>
/// <param name="LesionLabel">Lesion site as text.</param>
/// <param name="Items">The four items, in table order.</param>
/// <param name="Total">Total 4–12, or null when an item is missing or conflicting.</param>
/// <param name="Band">Band of the total, or null when withheld.</param>
/// <param name="Lysis">The cortical-osteolysis rule.</param>
/// <param name="Rationale">Why the engine decided what it did.</param>
/// <param name="Findings">Missing or conflicting items and notes.</param>
public sealed record MirelsResult(
    string LesionId,
    string LesionLabel,
    IReadOnlyList<ScoreItem> Items,
    int? Total,
    MirelsBand? Band,
    LysisResult Lysis,
    LocalizedText Rationale,
    IReadOnlyList<Finding> Findings)
{
    /// <summary>True when every item was scored.</summary>
    public bool IsComputed => Total is not null;

    /// <summary>Section the score comes from.</summary>
    public GuidelineRef Reference => Sections.Mirels;
}
