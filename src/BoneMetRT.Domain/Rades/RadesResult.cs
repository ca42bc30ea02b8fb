using BoneMetRT.Domain.Scoring;


namespace BoneMetRT.Domain.Rades;

/// <summary>The Rades score of a spinal cord compression.</summary>
/// <param name="MsccId">Compression scored.</param>
/// <param name="Items">The five items, in table order.</param>
/// <param name="Total">Total 21–44, or null when withheld.</param>
/// <param name="Group">Group, or null when withheld.</param>
/// <param name="Rationale">Why the engine decided what it did.</param>
/// <param name="Findings">Missing or conflicting items, the NSCLC caveat.</param>
public sealed record RadesResult(
    string MsccId,
    IReadOnlyList<ScoreItem> Items,
    int? Total,
    RadesGroup? Group,
    LocalizedText Rationale,
    IReadOnlyList<Finding> Findings)
{
    /// <summary>True when every item was scored.</summary>
    public bool IsComputed => Total is not null;

    /// <summary>Section the score comes from.</summary>
    public GuidelineRef Reference => Sections.Rades;
}
