using BoneMetRT.Domain.Facts;
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
    /// <summary>Orthopaedic (or spinal) surgical opinion on an established pathological fracture.</summary>
    public const string OrthopaedicOpinion = "orthopaedic-surgery-opinion";
    /// <summary>Re-irradiation of a site already treated: decided by the tumour board, no automatic regimen.</summary>
    public const string ReirradiationReview = "reirradiation-review";
}

/// <summary>A date window (post-operative radiotherapy); no dates when the day of the operation is not known.</summary>
public sealed record DateWindow(DateOnly? Start, DateOnly? End, WindowStatus Status);

/// <summary>
/// A step that must come first: this recommendation starts <paramref name="MinDays"/> to <paramref name="MaxDays"/>
/// days after the recommendation coded <paramref name="AfterCode"/> for the same subject is done.
/// </summary>
/// <param name="AfterCode">Code of the recommendation that comes first (e.g. <c>prophylactic-fixation</c>).</param>
/// <param name="MinDays">Earliest start, in days after it.</param>
/// <param name="MaxDays">Latest recommended start, in days after it.</param>
/// <param name="Text">When, in words, e.g. "15 to 21 days after the prophylactic fixation, on healed skin".</param>
public sealed record Sequence(string AfterCode, int MinDays, int MaxDays, LocalizedText Text);

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
    /// <summary>The step that must be done first, when this recommendation follows another (e.g. radiotherapy after fixation).</summary>
    public Sequence? After { get; init; }

    /// <summary>A step that proposes no regimen (an opinion, a tumour board, a surgery first, a cover) for one site or, with no site, the patient.</summary>
    public static Recommendation Step(string code, IReadOnlyList<Situation> situations, LesionFacts? site,
        LocalizedText text, LocalizedText rationale, GuidelineRef reference, bool urgent = false) =>
        new(code, situations, site?.Id, site?.Label, urgent, text, rationale, reference, [], null, null);

    /// <summary>A course for one site: its regimens (preferred first; none when the tumour board chooses), target volume and window.</summary>
    public static Recommendation Course(string code, IReadOnlyList<Situation> situations, LesionFacts site,
        LocalizedText text, LocalizedText rationale, GuidelineRef reference, IReadOnlyList<RegimenOption> regimens,
        TargetVolume? targetVolume, DateWindow? window = null, bool urgent = false) =>
        new(code, situations, site.Id, site.Label, urgent, text, rationale, reference, regimens, targetVolume, window);

    /// <summary>True when the recommendation is put on hold (post-operative skin not healed or not documented, date of the operation unknown).</summary>
    public bool OnHold => Window?.Status is WindowStatus.HeldSkinNotHealed or WindowStatus.HeldSkinUnknown or WindowStatus.HeldDateUnknown;
}
