namespace BoneMetRT.Domain.Scoring;

/// <summary>One row of a point table: an answer, its code, its label and its points.</summary>
/// <typeparam name="T">Domain value of the answer.</typeparam>
public sealed record PointsRow<T>(T Value, string Code, LocalizedText Label, int Points);
