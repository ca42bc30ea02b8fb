using BoneMetRT.Domain.Facts;

namespace BoneMetRT.Domain.Scoring;

/// <summary>One item of a score as evaluated: its answer and points, or why it has none.</summary>
/// <param name="Item">Item code as in the FHIR contract (e.g. <c>mirels-site</c>, <c>primary-tumour-type</c>).</param>
/// <param name="Name">Item name.</param>
/// <param name="AnswerCode">Answer code (e.g. <c>upper-limb</c>); null when missing or conflicting.</param>
/// <param name="Answer">Answer text; null when missing or conflicting.</param>
/// <param name="Points">Points; null when missing or conflicting.</param>
/// <param name="State">State of the underlying fact.</param>
/// <param name="Sources">Inputs the answer came from.</param>
public sealed record ScoreItem(
    string Item,
    LocalizedText Name,
    string? AnswerCode,
    LocalizedText? Answer,
    int? Points,
    FactState State,
    IReadOnlyList<string> Sources)
{
    /// <summary>Builds a scored item from an answer row.</summary>
    public static ScoreItem Scored<T>(string item, LocalizedText name, PointsRow<T> row, IReadOnlyList<string> sources) =>
        new(item, name, row.Code, row.Label, row.Points, FactState.Present, sources);

    /// <summary>Builds an unscored item (missing, conflicting or invalid).</summary>
    public static ScoreItem Unscored(string item, LocalizedText name, FactState state, IReadOnlyList<string> sources) =>
        new(item, name, null, null, null, state, sources);
}
