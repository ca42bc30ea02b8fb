using BoneMetRT.Domain.Mirels;
using BoneMetRT.Domain.Rades;
using BoneMetRT.Domain.Scoring;
using BoneMetRT.Domain.Situations;

namespace BoneMetRT.Domain.Assessment;

/// <summary>Everything the engine concluded for one patient; a pure value, ready to be turned into FHIR.</summary>
/// <param name="AssessmentDate">Date intervals and windows were computed against.</param>
/// <param name="EngineVersion">Version of the rules.</param>
/// <param name="Settings">Settings used.</param>
/// <param name="Situations">Situations detected, several at once where they apply.</param>
/// <param name="Mirels">One Mirels result per long-bone lesion.</param>
/// <param name="Rades">One Rades result per spinal cord compression.</param>
/// <param name="PostOperative">One window per operated lesion or compression (its most recent surgery).</param>
/// <param name="Oligometastatic">Oligometastatic eligibility.</param>
/// <param name="Recommendations">What is proposed, lesion by lesion.</param>
/// <param name="Findings">Everything to tell: missing and conflicting items, caveats, discrepancies (score findings included).</param>
public sealed record AssessmentResult(
    DateOnly AssessmentDate,
    string EngineVersion,
    EngineSettings Settings,
    IReadOnlyList<SituationFinding> Situations,
    IReadOnlyList<MirelsResult> Mirels,
    IReadOnlyList<RadesResult> Rades,
    IReadOnlyList<PostOperativeWindow> PostOperative,
    OligometastaticAssessment Oligometastatic,
    IReadOnlyList<Recommendation> Recommendations,
    IReadOnlyList<Finding> Findings)
{
    /// <summary>True when the patient is in the given situation (for any lesion).</summary>
    public bool Has(Situation situation) => Situations.Any(s => s.Situation == situation);
}
