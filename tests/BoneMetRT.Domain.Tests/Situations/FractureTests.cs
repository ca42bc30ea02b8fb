using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Scoring;
using BoneMetRT.Domain.Situations;

namespace BoneMetRT.Domain.Tests.Situations;

/// <summary>
/// An established pathological fracture is a surgical question (guideline §1.2 prevents fractures; §1.4 follows the
/// operation): a surgical opinion, then post-operative radiotherapy; never the prophylactic Mirels route or 8 Gy/1.
/// </summary>
public class FractureTests
{
    private static LesionFacts Fractured(LesionFacts lesion) => lesion with { PathologicalFracture = Facts.Of(true, "Condition/fracture") };

    [Fact]
    public void Surgical_opinion_first_then_post_operative_radiotherapy_and_no_mirels()
    {
        var result = Facts.Patient(Fractured(Facts.LongBoneWithMirels(10))).Evaluate();

        Assert.Empty(result.Mirels);
        Assert.False(result.Has(Situation.FracturePrevention)); // never prophylaxis
        Assert.Contains(result.Findings, f => f.Item == "mirels-score" && f.Kind == FindingKind.NotApplicable && f.Text.En.Contains("pathological fracture", StringComparison.Ordinal));
        Assert.Empty(result.Recs(RecommendationCodes.ProphylacticFixation));
        var opinion = Assert.Single(result.Recs(RecommendationCodes.OrthopaedicOpinion));
        var rt = result.Radiotherapy("Condition/femur");
        Assert.Equal(RecommendationCodes.OrthopaedicOpinion, rt.After!.AfterCode);
        Assert.Equal("rt-30gy-10fx", rt.PreferredCode());
        Assert.DoesNotContain(rt.Regimens, o => o.Regimen.Code == "rt-8gy-1fx");
        Assert.Empty(result.Recs(RecommendationCodes.CorticosteroidCover));
        Assert.Equal("Condition/femur", opinion.SubjectId);
    }

    [Fact]
    public void A_fracture_of_a_flat_bone_is_also_a_surgical_question()
    {
        var result = Facts.Patient(Fractured(Facts.FlatBone().Painful())).Evaluate();

        Assert.Single(result.Recs(RecommendationCodes.OrthopaedicOpinion));
        Assert.NotEqual("rt-8gy-1fx", result.Radiotherapy("Condition/iliac").PreferredCode());
    }

    [Fact]
    public void Unfit_for_surgery_gets_radiotherapy_alone_with_the_reason()
    {
        var result = Facts.Patient(Fractured(Facts.LongBoneWithMirels(10))).WithEcog(3).Evaluate();

        Assert.Empty(result.Recs(RecommendationCodes.OrthopaedicOpinion));
        var rt = result.Radiotherapy("Condition/femur");
        Assert.Null(rt.After);
        Assert.Equal("rt-20gy-5fx", rt.PreferredCode());
        Assert.Contains("unfit for surgery", rt.Rationale.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Once_the_fracture_is_operated_the_post_operative_window_applies()
    {
        var result = Facts.Patient(Fractured(Facts.LongBoneWithMirels(10))).WithSurgery("Condition/femur", daysAgo: 16).Evaluate();

        Assert.Empty(result.Recs(RecommendationCodes.OrthopaedicOpinion));
        Assert.Equal(WindowStatus.Open, result.Radiotherapy("Condition/femur").Window!.Status);
    }
}
