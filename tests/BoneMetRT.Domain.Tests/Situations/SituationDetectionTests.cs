using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Scoring;
using BoneMetRT.Domain.Situations;

namespace BoneMetRT.Domain.Tests.Situations;

/// <summary>guideline.md §1: the five situations, each detected from facts, and the combinations the spec names.</summary>
public class SituationDetectionTests
{
    private static IReadOnlyList<Situation> For(AssessmentResult result, string? subject) =>
        [.. result.Situations.Where(s => s.SubjectId == subject).Select(s => s.Situation)];

    [Theory]
    [InlineData(Situation.Pain, "pain")]
    [InlineData(Situation.FracturePrevention, "fracture-prevention")]
    [InlineData(Situation.Mscc, "mscc")]
    [InlineData(Situation.Postoperative, "postoperative")]
    [InlineData(Situation.Oligometastatic, "oligometastatic")]
    public void Situation_codes_are_the_contract_codes(Situation situation, string code) => Assert.Equal(code, situation.Code());

    [Fact]
    public void Pain_is_detected_from_a_lesion_resistant_to_analgesics()
    {
        var result = Facts.Patient(Facts.FlatBone().Painful()).Evaluate();

        Assert.Equal([Situation.Pain], For(result, "Condition/iliac"));
        Assert.Contains(Situation.Pain, result.Radiotherapy("Condition/iliac").Situations);
        Assert.Contains("first-line", result.Radiotherapy("Condition/iliac").Rationale.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Pain_is_detected_from_the_patient_level_item()
    {
        var result = (Facts.Patient(Facts.FlatBone()) with { AnalgesicRefractoryPain = Facts.Of(true) }).Evaluate();

        Assert.Contains(Situation.Pain, For(result, "Condition/iliac"));
    }

    [Fact]
    public void Lesion_level_pain_item_wins_over_the_patient_level_one()
    {
        var lesion = Facts.FlatBone() with { AnalgesicRefractoryPain = Facts.Of(false) };
        var result = (Facts.Patient(lesion) with { AnalgesicRefractoryPain = Facts.Of(true) }).Evaluate();

        Assert.False(result.Has(Situation.Pain));
    }

    [Fact]
    public void Pain_not_resistant_to_analgesics_is_not_the_pain_situation()
    {
        var result = (Facts.Patient(Facts.FlatBone()) with { AnalgesicRefractoryPain = Facts.Of(false), PainScore = Facts.Of(8) }).Evaluate();

        Assert.False(result.Has(Situation.Pain));
        Assert.Empty(result.Recs(RecommendationCodes.Radiotherapy));
    }

    [Fact]
    public void Pain_score_without_the_refractory_item_is_reported_as_missing()
    {
        var result = (Facts.Patient(Facts.FlatBone()) with { PainScore = Facts.Of(7) }).Evaluate();

        Assert.False(result.Has(Situation.Pain));
        Assert.Contains(result.Findings, f => f.Kind == FindingKind.MissingItem && f.Item == "analgesic-refractory-pain");
    }

    [Fact]
    public void Fracture_prevention_is_detected_on_a_long_bone()
    {
        var result = Facts.Patient(Facts.LongBoneWithMirels(8)).Evaluate();

        Assert.Contains(Situation.FracturePrevention, For(result, "Condition/femur"));
    }

    [Fact]
    public void Mscc_is_detected_from_a_compression()
    {
        var result = Facts.MsccPatient().Evaluate();

        Assert.Contains(Situation.Mscc, For(result, "Condition/mscc"));
        Assert.Contains("urgent", Assert.Single(result.Situations, s => s.Situation == Situation.Mscc).Rationale.En, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Postoperative_is_detected_from_a_surgery()
    {
        var result = Facts.Patient(Facts.FlatBone()).WithSurgery("Condition/iliac").Evaluate();

        Assert.Contains(Situation.Postoperative, For(result, "Condition/iliac"));
        Assert.Contains("always indicated", Assert.Single(result.Situations, s => s.Situation == Situation.Postoperative).Rationale.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Oligometastatic_is_detected_for_well_delimited_sites_without_visceral_disease()
    {
        var result = (Facts.Patient(Facts.FlatBone().WellDefined()) with { VisceralMetastases = Facts.Of(false) }).Evaluate();

        Assert.True(result.Has(Situation.Oligometastatic));
    }

    [Fact]
    public void Nothing_documented_means_no_situation()
    {
        var result = Facts.Patient(Facts.FlatBone()).Evaluate();

        Assert.Empty(result.Situations);
        Assert.DoesNotContain(result.Recommendations, r => r.Code == RecommendationCodes.Radiotherapy);
    }

    [Fact]
    public void Painful_femoral_lesion_with_a_high_Mirels_score_is_pain_and_fracture_prevention()
    {
        var femur = Facts.LongBone(MirelsSite.Peritrochanteric, MirelsSize.MoreThanTwoThirds, LesionType.Lytic, MirelsPain.Functional).Painful();

        var result = Facts.Patient(femur).Evaluate();

        var situations = For(result, "Condition/femur");
        Assert.Contains(Situation.Pain, situations);
        Assert.Contains(Situation.FracturePrevention, situations);
        Assert.Equal(12, Assert.Single(result.Mirels).Total);
    }

    [Fact]
    public void Painful_femoral_lesion_with_Mirels_8_is_pain_and_fracture_prevention_in_its_recommendation()
    {
        var result = Facts.Patient(Facts.LongBoneWithMirels(8).Painful()).Evaluate();

        var rt = result.Radiotherapy("Condition/femur");
        Assert.Contains(Situation.Pain, rt.Situations);
        Assert.Contains(Situation.FracturePrevention, rt.Situations);
    }

    [Fact]
    public void Post_operative_vertebra_after_decompression_for_mscc_is_mscc_and_postoperative()
    {
        var patient = Facts.MsccPatient().WithSurgery("Condition/mscc", daysAgo: 16);

        var result = patient.Evaluate();

        Assert.True(result.Has(Situation.Mscc));
        Assert.True(result.Has(Situation.Postoperative));
        var rt = result.Radiotherapy("Condition/t10");
        Assert.Contains(Situation.Mscc, rt.Situations);
        Assert.Contains(Situation.Postoperative, rt.Situations);
        Assert.True(rt.Urgent);
        Assert.NotNull(rt.Window);
        Assert.Contains("scar", rt.TargetVolume!.Text.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Surgery_recorded_on_the_vertebral_lesion_of_the_compression_is_also_mscc_and_postoperative()
    {
        var result = Facts.MsccPatient().WithSurgery("Condition/t10", daysAgo: 16).Evaluate();

        var rt = result.Radiotherapy("Condition/t10");
        Assert.Contains(Situation.Mscc, rt.Situations);
        Assert.Contains(Situation.Postoperative, rt.Situations);
    }

    [Fact]
    public void Surgery_without_a_target_still_gives_a_post_operative_recommendation()
    {
        var result = Facts.Patient(Facts.FlatBone()).WithSurgery(targetId: null).Evaluate();

        Assert.True(result.Has(Situation.Postoperative));
        Assert.Contains(result.Recommendations, r => r.Situations.Contains(Situation.Postoperative));
        Assert.DoesNotContain(result.Findings, f => f.Kind == FindingKind.Note && f.SubjectId == "Condition/iliac");
    }

    [Fact]
    public void Several_lesions_are_assessed_each_in_its_own_situation()
    {
        var patient = Facts.Patient(Facts.LongBoneWithMirels(8), Facts.FlatBone().Painful());

        var result = patient.Evaluate();

        Assert.Equal([Situation.FracturePrevention], For(result, "Condition/femur"));
        Assert.Equal([Situation.Pain], For(result, "Condition/iliac"));
    }
}
