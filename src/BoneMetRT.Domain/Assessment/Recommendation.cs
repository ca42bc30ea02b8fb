using BoneMetRT.Domain.Regimens;
using BoneMetRT.Domain.Situations;

namespace BoneMetRT.Domain.Assessment;

/// <summary>Contract codes of the recommendations.</summary>
public static class RecommendationCodes
{
    /// <summary>Radiotherapy course.</summary>
    public const string Radiotherapy = "radiotherapy";
    /// <summary>Multidisciplinary tumour board (RCP).</summary>
    public const string TumourBoard = "tumour-board-review";
    /// <summary>Specialised tumour board (RCP-OOS).</summary>
    public const string SpecialisedTumourBoard = "specialised-tumour-board-review";
    /// <summary>Prophylactic fixation first.</summary>
    public const string ProphylacticFixation = "prophylactic-fixation";
    /// <summary>Discuss consolidation surgery first.</summary>
    public const string ConsolidationSurgery = "consolidation-surgery-discussion";
    /// <summary>Neurosurgical opinion.</summary>
    public const string NeurosurgicalOpinion = "neurosurgical-opinion";
    /// <summary>48–72 h corticosteroid cover with single-fraction radiotherapy.</summary>
    public const string CorticosteroidCover = "corticosteroid-cover";
}

/// <summary>A date window (post-operative radiotherapy).</summary>
public sealed record DateWindow(DateOnly Start, DateOnly End, WindowStatus Status);

/// <summary>One thing the engine proposes, with its reasons.</summary>
/// <param name="Code">Recommendation code (<see cref="RecommendationCodes"/>).</param>
/// <param name="Situations">Situations that lead to it.</param>
/// <param name="SubjectId">Lesion or compression concerned; null when patient-wide.</param>
/// <param name="SubjectLabel">Lesion site as text.</param>
/// <param name="Urgent">True for spinal cord compression.</param>
/// <param name="Text">What is proposed.</param>
/// <param name="Rationale">Why.</param>
/// <param name="Reference">Guideline section.</param>
/// <param name="Regimens">Regimens, preferred first (radiotherapy and ablative options only).</param>
/// <param name="TargetVolume">Target-volume guidance (radiotherapy only).</param>
/// <param name="Window">Post-operative window, when one applies.</param>
public sealed record Recommendation(
    string Code,
    IReadOnlyList<Situation> Situations,
    string? SubjectId,
    string? SubjectLabel,
    bool Urgent,
    LocalizedText Text,
    LocalizedText Rationale,
    GuidelineRef Reference,
    IReadOnlyList<RegimenOption> Regimens,
    TargetVolume? TargetVolume,
    DateWindow? Window)
{
    /// <summary>True when the recommendation is put on hold (post-operative skin not healed or not documented).</summary>
    public bool OnHold => Window?.Status is WindowStatus.HeldSkinNotHealed or WindowStatus.HeldSkinUnknown;
}
