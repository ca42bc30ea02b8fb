using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Mirels;
using BoneMetRT.Domain.Scoring;
using BoneMetRT.Domain.Situations;

namespace BoneMetRT.Domain.Tests.Mirels;

/// <summary>guideline.md §2: the Mirels item table and the total → decision table.</summary>
public class MirelsScoreTests
{
    // Every row of the item table: the item under test varies, the three others stay at 1 point (upper limb, < 1/3,
    // blastic, mild), so the total is the row's points + 3.
    [Theory]
    [InlineData(MirelsSite.UpperLimb, 1, "upper-limb")]
    [InlineData(MirelsSite.LowerLimb, 2, "lower-limb")]
    [InlineData(MirelsSite.Peritrochanteric, 3, "peritrochanteric")]
    public void Site_row_scores_its_points(MirelsSite site, int points, string answerCode)
    {
        var lesion = Facts.LongBone(site, MirelsSize.LessThanOneThird, LesionType.Blastic, MirelsPain.Mild);
        var result = MirelsRule.Evaluate(lesion);
        var item = result.Items[0];
        Assert.Equal("mirels-site", item.Item);
        Assert.Equal(points, item.Points);
        Assert.Equal(answerCode, item.AnswerCode);
        Assert.Equal(points + 3, result.Total);
    }

    [Theory]
    [InlineData(MirelsSize.LessThanOneThird, 1, "lt-one-third")]
    [InlineData(MirelsSize.OneToTwoThirds, 2, "one-to-two-thirds")]
    [InlineData(MirelsSize.MoreThanTwoThirds, 3, "gt-two-thirds")]
    public void Size_row_scores_its_points(MirelsSize size, int points, string answerCode)
    {
        var lesion = Facts.LongBone(MirelsSite.UpperLimb, size, LesionType.Blastic, MirelsPain.Mild);
        var result = MirelsRule.Evaluate(lesion);
        var item = result.Items[1];
        Assert.Equal("mirels-size", item.Item);
        Assert.Equal(points, item.Points);
        Assert.Equal(answerCode, item.AnswerCode);
        Assert.Equal(points + 3, result.Total);
    }

    [Theory]
    [InlineData(LesionType.Blastic, 1, "blastic")]
    [InlineData(LesionType.Mixed, 2, "mixed")]
    [InlineData(LesionType.Lytic, 3, "lytic")]
    public void Lesion_type_row_scores_its_points(LesionType type, int points, string answerCode)
    {
        var lesion = Facts.LongBone(MirelsSite.UpperLimb, MirelsSize.LessThanOneThird, type, MirelsPain.Mild);
        var result = MirelsRule.Evaluate(lesion);
        var item = result.Items[2];
        Assert.Equal("lesion-type", item.Item);
        Assert.Equal(points, item.Points);
        Assert.Equal(answerCode, item.AnswerCode);
        Assert.Equal(points + 3, result.Total);
    }

    [Theory]
    [InlineData(MirelsPain.Mild, 1, "mild")]
    [InlineData(MirelsPain.Moderate, 2, "moderate")]
    [InlineData(MirelsPain.Functional, 3, "functional")]
    public void Pain_row_scores_its_points(MirelsPain pain, int points, string answerCode)
    {
        var lesion = Facts.LongBone(MirelsSite.UpperLimb, MirelsSize.LessThanOneThird, LesionType.Blastic, pain);
        var result = MirelsRule.Evaluate(lesion);
        var item = result.Items[3];
        Assert.Equal("mirels-pain", item.Item);
        Assert.Equal(points, item.Points);
        Assert.Equal(answerCode, item.AnswerCode);
        Assert.Equal(points + 3, result.Total);
    }

    [Fact]
    public void Tables_have_exactly_the_rows_of_the_guideline()
    {
        Assert.Equal(Spec.SitePoints.OrderBy(p => p.Key), MirelsTable.Site.Select(r => KeyValuePair.Create(r.Value, r.Points)).OrderBy(p => p.Key));
        Assert.Equal(Spec.SizePoints.OrderBy(p => p.Key), MirelsTable.Size.Select(r => KeyValuePair.Create(r.Value, r.Points)).OrderBy(p => p.Key));
        Assert.Equal(Spec.TypePoints.OrderBy(p => p.Key), MirelsTable.Type.Select(r => KeyValuePair.Create(r.Value, r.Points)).OrderBy(p => p.Key));
        Assert.Equal(Spec.PainPoints.OrderBy(p => p.Key), MirelsTable.Pain.Select(r => KeyValuePair.Create(r.Value, r.Points)).OrderBy(p => p.Key));
    }

    // Every total 4..12 through the engine: band, interpretation code, fracture risk and decision.
    [Theory]
    [InlineData(4, "mirels-radiotherapy", 0.04)]
    [InlineData(5, "mirels-radiotherapy", 0.04)]
    [InlineData(6, "mirels-radiotherapy", 0.04)]
    [InlineData(7, "mirels-radiotherapy", 0.04)]
    [InlineData(8, "mirels-tumour-board", 0.15)]
    [InlineData(9, "mirels-fixation", 0.33)]
    [InlineData(10, "mirels-fixation", 0.33)]
    [InlineData(11, "mirels-fixation", 0.33)]
    [InlineData(12, "mirels-fixation", 0.33)]
    public void Total_maps_to_band(int total, string interpretation, double fractureRisk)
    {
        var result = Facts.Patient(Facts.LongBoneWithMirels(total)).Evaluate();

        var mirels = Assert.Single(result.Mirels);
        Assert.Equal(total, mirels.Total);
        Assert.NotNull(mirels.Band);
        Assert.Equal(interpretation, mirels.Band.Interpretation);
        Assert.Equal((decimal)fractureRisk, mirels.Band.FractureRisk);
        Assert.Equal(Spec.MirelsDecisionCode(total), mirels.Band.Recommendation);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    public void Total_up_to_7_proposes_radiotherapy_alone(int total)
    {
        var result = Facts.Patient(Facts.LongBoneWithMirels(total)).Evaluate();

        Assert.Single(result.Recs(RecommendationCodes.Radiotherapy));
        Assert.Empty(result.Recs(RecommendationCodes.TumourBoard));
        Assert.Empty(result.Recs(RecommendationCodes.ProphylacticFixation));
    }

    [Fact]
    public void Total_8_goes_to_the_tumour_board()
    {
        var result = Facts.Patient(Facts.LongBoneWithMirels(8)).Evaluate();

        var board = Assert.Single(result.Recs(RecommendationCodes.TumourBoard));
        Assert.Equal("Condition/femur", board.SubjectId);
        Assert.Empty(result.Recs(RecommendationCodes.ProphylacticFixation));
    }

    [Theory]
    [InlineData(9)]
    [InlineData(12)]
    public void Total_from_9_proposes_fixation_first_then_post_operative_radiotherapy_linked_to_it(int total)
    {
        var result = Facts.Patient(Facts.LongBoneWithMirels(total)).Evaluate();

        var fixation = Assert.Single(result.Recs(RecommendationCodes.ProphylacticFixation));
        Assert.Equal("Condition/femur", fixation.SubjectId);
        Assert.Empty(result.Recs(RecommendationCodes.TumourBoard));
        Assert.Contains("post-operative radiotherapy follows", fixation.Text.En, StringComparison.Ordinal);

        // guideline §2: "post-operative radiotherapy follows in any case (§4)", 15 to 21 days after the operation.
        var rt = result.Radiotherapy("Condition/femur");
        Assert.NotNull(rt.After);
        Assert.Equal(RecommendationCodes.ProphylacticFixation, rt.After.AfterCode);
        Assert.Equal((15, 21), (rt.After.MinDays, rt.After.MaxDays));
        Assert.Null(rt.Window);
        Assert.Equal("rt-30gy-10fx", rt.PreferredCode());
        Assert.Equal(["rt-20gy-5fx"], rt.AlternativeCodes());
        Assert.Contains("hardware", rt.TargetVolume!.Text.En, StringComparison.Ordinal);
        Assert.True(result.Recommendations.ToList().IndexOf(fixation) < result.Recommendations.ToList().IndexOf(rt));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Total_from_9_in_a_patient_unfit_for_surgery_gets_radiotherapy_alone_with_that_reason(int ecog)
    {
        var result = Facts.Patient(Facts.LongBoneWithMirels(10)).WithEcog(ecog).Evaluate();

        Assert.Empty(result.Recs(RecommendationCodes.ProphylacticFixation));
        var rt = result.Radiotherapy("Condition/femur");
        Assert.Null(rt.After);
        Assert.Equal("rt-20gy-5fx", rt.PreferredCode());
        Assert.Contains("unfit for surgery", rt.Rationale.En, StringComparison.Ordinal);
        Assert.Contains("inopérable", rt.Rationale.Fr, StringComparison.Ordinal);
    }

    [Fact]
    public void After_the_fixation_Mirels_is_not_recomputed_and_post_operative_radiotherapy_follows()
    {
        var result = Facts.Patient(Facts.LongBoneWithMirels(10)).WithSurgery("Condition/femur", daysAgo: 16).Evaluate();

        Assert.Empty(result.Recs(RecommendationCodes.ProphylacticFixation));
        Assert.Empty(result.Mirels);
        Assert.Contains(result.Findings, f => f.Kind == FindingKind.NotApplicable && f.SubjectId == "Condition/femur" && f.Item == "mirels-score");
        var rt = result.Radiotherapy("Condition/femur");
        Assert.Contains(Situation.Postoperative, rt.Situations);
        Assert.DoesNotContain(Situation.FracturePrevention, rt.Situations);
    }

    [Theory]
    [InlineData(7, "mirels-radiotherapy")]
    [InlineData(8, "mirels-tumour-board")]
    [InlineData(9, "mirels-fixation")]
    public void Band_boundaries(int total, string interpretation)
    {
        Assert.Equal(interpretation, MirelsBand.ForTotal(total).Interpretation);
        Assert.Equal(Spec.MirelsInterpretation(total), interpretation);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(13)]
    public void Band_of_an_impossible_total_is_refused(int total) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MirelsBand.ForTotal(total));

    [Fact]
    public void Rationale_says_the_score_is_a_guide_not_a_verdict()
    {
        var mirels = MirelsRule.Evaluate(Facts.LongBoneWithMirels(8));

        Assert.Contains("guide, not a verdict", mirels.Rationale.En, StringComparison.Ordinal);
        Assert.Contains("67 %", mirels.Rationale.En, StringComparison.Ordinal);
        Assert.Contains("48 %", mirels.Rationale.En, StringComparison.Ordinal);
        Assert.Contains("67 %", mirels.Rationale.Fr, StringComparison.Ordinal);
    }

    [Fact]
    public void Mirels_applies_to_long_bones_only()
    {
        var vertebra = Facts.Vertebra() with
        {
            Size = Facts.Of(MirelsSize.MoreThanTwoThirds),
            Type = Facts.Of(LesionType.Lytic),
            Pain = Facts.Of(MirelsPain.Functional),
        };

        var result = Facts.Patient(vertebra).Evaluate();

        Assert.Empty(result.Mirels);
        Assert.Contains(result.Findings, f => f.Kind == FindingKind.NotApplicable && f.Item == "mirels-score" && f.SubjectId == vertebra.Id);
        Assert.DoesNotContain(result.Situations, s => s.Situation == Situation.FracturePrevention);
    }

    [Fact]
    public void Flat_bone_has_no_Mirels_score()
    {
        var result = Facts.Patient(Facts.FlatBone().Painful()).Evaluate();

        Assert.Empty(result.Mirels);
        Assert.DoesNotContain(result.Situations, s => s.Situation == Situation.FracturePrevention);
    }
}
