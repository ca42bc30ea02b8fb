using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Situations;

namespace BoneMetRT.Domain.Tests.Regimens;

/// <summary>guideline.md §6 regimen choice [AURA], §3 (Rades group I favours short courses) and §4 (post-operative).</summary>
public class RegimenChoiceTests
{
    private const string Rt8 = "rt-8gy-1fx";
    private const string Rt20 = "rt-20gy-5fx";
    private const string Rt30 = "rt-30gy-10fx";

    [Fact]
    public void Uncomplicated_painful_lesion_gets_8_Gy_single_fraction_and_corticosteroid_cover()
    {
        var result = Facts.Patient(Facts.FlatBone().Painful()).Evaluate();

        var rt = result.Radiotherapy("Condition/iliac");
        Assert.Equal(Rt8, rt.PreferredCode());
        Assert.False(rt.Urgent);
        var cover = Assert.Single(result.Recs(RecommendationCodes.CorticosteroidCover));
        Assert.Equal("Condition/iliac", cover.SubjectId);
        Assert.Contains("48–72 h", cover.Text.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Single_fraction_option_states_the_re_irradiation_trade_off()
    {
        var rt = Facts.Patient(Facts.FlatBone().Painful()).Evaluate().Radiotherapy("Condition/iliac");

        var single = Assert.Single(rt.Regimens, o => o.Regimen.Code == Rt8);
        Assert.Contains("20 % vs 8 %", single.Why.En, StringComparison.Ordinal);
        Assert.Contains("20 % vs 8 %", single.Why.Fr, StringComparison.Ordinal);
    }

    [Fact]
    public void Karnofsky_40_is_poor_performance()
    {
        var lesion = Facts.FlatBone().Painful() with { NeuropathicPain = Facts.Of(true) };
        var patient = Facts.Patient(lesion) with { Performance = Facts.Of(new PerformanceStatus(PerformanceScale.Karnofsky, 40)) };

        Assert.Equal(Rt20, patient.Evaluate().Radiotherapy("Condition/iliac").PreferredCode());
    }

    [Fact]
    public void Uncomplicated_long_bone_with_low_Mirels_gets_8_Gy_single_fraction()
    {
        var result = Facts.Patient(Facts.LongBoneWithMirels(6).Painful()).Evaluate();

        Assert.Equal(Rt8, result.Radiotherapy("Condition/femur").PreferredCode());
        Assert.Single(result.Recs(RecommendationCodes.CorticosteroidCover));
    }

    [Fact]
    public void Uncomplicated_vertebra_gets_20_Gy_in_5_or_30_Gy_in_10_never_a_single_fraction()
    {
        // AURA (guideline §6) reserves 8 Gy/1 for uncomplicated long or flat bones; a vertebra is neither.
        var result = Facts.Patient(Facts.Vertebra(epidural: false).Painful()).Evaluate();

        var rt = result.Radiotherapy("Condition/t10");
        Assert.Equal(Rt20, rt.PreferredCode());
        Assert.Equal([Rt30], rt.AlternativeCodes());
        Assert.Empty(result.Recs(RecommendationCodes.CorticosteroidCover));
        Assert.Contains("long or flat bones", rt.Regimens[0].Why.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Fracture_risk_Mirels_8_is_complicated_30_Gy_in_10()
    {
        var result = Facts.Patient(Facts.LongBoneWithMirels(8).Painful()).Evaluate();

        Assert.Equal(Rt30, result.Radiotherapy("Condition/femur").PreferredCode());
        Assert.Empty(result.Recs(RecommendationCodes.CorticosteroidCover));
    }

    [Fact]
    public void Fracture_risk_Mirels_9_after_fixation_is_30_Gy_in_10()
    {
        var result = Facts.Patient(Facts.LongBoneWithMirels(9)).WithSurgery("Condition/femur").Evaluate();

        Assert.Equal(Rt30, result.Radiotherapy("Condition/femur").PreferredCode());
    }

    [Fact]
    public void Neuropathic_pain_at_the_lesion_is_complicated()
    {
        var lesion = Facts.FlatBone().Painful() with { NeuropathicPain = Facts.Of(true) };
        var result = Facts.Patient(lesion).Evaluate();

        Assert.Equal(Rt30, result.Radiotherapy("Condition/iliac").PreferredCode());
        Assert.Empty(result.Recs(RecommendationCodes.CorticosteroidCover));
    }

    [Fact]
    public void Neuropathic_pain_at_patient_level_is_complicated()
    {
        var result = (Facts.Patient(Facts.FlatBone().Painful()) with { NeuropathicPain = Facts.Of(true) }).Evaluate();

        Assert.Equal(Rt30, result.Radiotherapy("Condition/iliac").PreferredCode());
    }

    [Fact]
    public void Epidural_extension_is_complicated()
    {
        var result = Facts.Patient(Facts.Vertebra(epidural: true).Painful()).Evaluate();

        Assert.Equal(Rt30, result.Radiotherapy("Condition/t10").PreferredCode());
    }

    [Fact]
    public void More_than_3_vertebrae_is_complicated()
    {
        var patient = Facts.Patient(
            Facts.Vertebra("Condition/t8", "T8").Painful(),
            Facts.Vertebra("Condition/t9", "T9"),
            Facts.Vertebra("Condition/t10", "T10"),
            Facts.Vertebra("Condition/t11", "T11"));

        Assert.Equal(Rt30, patient.Evaluate().Radiotherapy("Condition/t8").PreferredCode());
    }

    [Fact]
    public void Three_vertebrae_is_not_complicated()
    {
        var patient = Facts.Patient(
            Facts.Vertebra("Condition/t8", "T8").Painful(),
            Facts.Vertebra("Condition/t9", "T9"),
            Facts.Vertebra("Condition/t10", "T10"));

        // Three is not "more than 3": the lesion stays uncomplicated (20 Gy/5, a vertebra); a fourth makes it 30 Gy/10.
        Assert.Equal(Rt20, patient.Evaluate().Radiotherapy("Condition/t8").PreferredCode());
        Assert.Equal(Rt30, (patient with { Lesions = [.. patient.Lesions, Facts.Vertebra("Condition/t11", "T11")] }).Evaluate().Radiotherapy("Condition/t8").PreferredCode());
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Poor_performance_with_a_complicated_lesion_gets_20_Gy_in_5(int ecog)
    {
        var lesion = Facts.FlatBone().Painful() with { NeuropathicPain = Facts.Of(true) };
        var result = Facts.Patient(lesion).WithEcog(ecog).Evaluate();

        var rt = result.Radiotherapy("Condition/iliac");
        Assert.Equal(Rt20, rt.PreferredCode());
        Assert.Contains(Rt30, rt.AlternativeCodes());
    }

    [Fact]
    public void Ecog_2_is_not_poor_performance()
    {
        var lesion = Facts.FlatBone().Painful() with { NeuropathicPain = Facts.Of(true) };
        var result = Facts.Patient(lesion).WithEcog(2).Evaluate();

        Assert.Equal(Rt30, result.Radiotherapy("Condition/iliac").PreferredCode());
    }

    [Fact]
    public void Poor_performance_with_an_uncomplicated_lesion_gets_20_Gy_in_5()
    {
        var result = Facts.Patient(Facts.FlatBone().Painful()).WithEcog(3).Evaluate();

        Assert.Equal(Rt20, result.Radiotherapy("Condition/iliac").PreferredCode());
    }

    [Fact]
    public void Mscc_Rades_group_I_prefers_20_Gy_in_5()
    {
        var result = Facts.MsccPatientWithPoints(5, 6, 5, 3, 9).Evaluate(); // 28, group I
        Assert.Equal(1, Assert.Single(result.Rades).Group!.Number);

        var rt = result.Radiotherapy("Condition/t10");
        Assert.Equal(Rt20, rt.PreferredCode());
        Assert.Contains(Rt30, rt.AlternativeCodes());
        Assert.Contains(Rt8, rt.AlternativeCodes());
        Assert.True(rt.Urgent);
    }

    [Theory]
    [InlineData(6, 6, 5, 3, 9, 2)] // 29
    [InlineData(9, 8, 8, 9, 4, 3)] // 38
    public void Mscc_Rades_group_II_or_III_prefers_30_Gy_in_10_with_8_Gy_only_as_an_alternative(int primary, int interval, int visceral, int ambulatory, int deficit, int group)
    {
        var result = Facts.MsccPatientWithPoints(primary, interval, visceral, ambulatory, deficit).Evaluate();
        Assert.Equal(group, Assert.Single(result.Rades).Group!.Number);

        var rt = result.Radiotherapy("Condition/t10");
        Assert.Equal(Rt30, rt.PreferredCode());
        Assert.Contains(Rt20, rt.AlternativeCodes());
        Assert.Contains(Rt8, rt.AlternativeCodes());
        Assert.True(rt.Urgent);
        Assert.Contains(Situation.Mscc, rt.Situations);
    }

    [Theory]
    [InlineData(5, 6, 5, 3, 9)] // 28, group I: "no benefit from surgery"
    [InlineData(9, 8, 8, 9, 4)] // 38, group III: "excellent result without surgery"
    public void Rades_groups_I_and_III_do_not_call_for_a_neurosurgical_opinion(int primary, int interval, int visceral, int ambulatory, int deficit)
    {
        var result = Facts.MsccPatientWithPoints(primary, interval, visceral, ambulatory, deficit).Evaluate();

        Assert.Empty(result.Recs(RecommendationCodes.NeurosurgicalOpinion));
        Assert.Empty(result.Recs(RecommendationCodes.TumourBoard));
    }

    [Fact]
    public void Mscc_recommendation_is_urgent_even_without_a_linked_lesion()
    {
        var patient = Facts.MsccPatient() with { Lesions = [] };
        var result = patient.WithMscc(m => m with { LesionId = null }).Evaluate();

        var rt = result.Radiotherapy("Condition/mscc");
        Assert.True(rt.Urgent);
        Assert.NotEqual(Rt8, rt.PreferredCode());
    }

    [Fact]
    public void Mscc_without_a_Rades_group_goes_urgently_to_the_tumour_board()
    {
        var result = Facts.MsccPatient().WithMscc(m => m with { Ambulatory = Fact<AmbulatoryStatus>.Missing }).Evaluate();

        var board = Assert.Single(result.Recs(RecommendationCodes.TumourBoard));
        Assert.True(board.Urgent);
        Assert.True(result.Radiotherapy("Condition/t10").Urgent);
    }

    [Fact]
    public void Post_operative_prefers_30_Gy_in_10_with_20_Gy_in_5_as_alternative()
    {
        var result = Facts.Patient(Facts.FlatBone()).WithSurgery("Condition/iliac").Evaluate();

        var rt = result.Radiotherapy("Condition/iliac");
        Assert.Equal(Rt30, rt.PreferredCode());
        Assert.Equal([Rt20], rt.AlternativeCodes());
        Assert.Contains(Situation.Postoperative, rt.Situations);
        Assert.Empty(result.Recs(RecommendationCodes.CorticosteroidCover));
    }

    [Fact]
    public void Post_operative_painful_long_bone_still_prefers_30_Gy_in_10()
    {
        var result = Facts.Patient(Facts.LongBoneWithMirels(5).Painful()).WithSurgery("Condition/femur").Evaluate();

        Assert.Equal(Rt30, result.Radiotherapy("Condition/femur").PreferredCode());
    }

    [Fact]
    public void Spinal_lesions_carry_the_cord_EQD2_for_each_option()
    {
        var result = Facts.MsccPatientWithPoints(9, 8, 8, 9, 4).Evaluate();

        var rt = result.Radiotherapy("Condition/t10");
        Assert.NotEmpty(rt.Regimens);
        Assert.All(rt.Regimens, o =>
        {
            Assert.NotNull(o.Cord);
            var d = o.Regimen.TotalDoseGy / o.Regimen.Fractions;
            Assert.Equal(Math.Round(Spec.Eqd2(o.Regimen.Fractions, d, Spec.CordAlphaBeta), 2), o.Cord.Eqd2Gy);
        });
        Assert.Equal(40.45m, rt.Regimens.Single(o => o.Regimen.Code == Rt30).Cord!.Eqd2Gy);
        Assert.Equal(33.94m, rt.Regimens.Single(o => o.Regimen.Code == Rt20).Cord!.Eqd2Gy);
        Assert.Equal(24.72m, rt.Regimens.Single(o => o.Regimen.Code == Rt8).Cord!.Eqd2Gy);
    }

    [Fact]
    public void Non_spinal_lesions_carry_no_cord_dose()
    {
        var result = Facts.Patient(Facts.FlatBone().Painful()).Evaluate();

        Assert.All(result.Radiotherapy("Condition/iliac").Regimens, o => Assert.Null(o.Cord));
    }

    [Fact]
    public void Each_option_says_why()
    {
        var result = Facts.Patient(Facts.FlatBone().Painful()).Evaluate();

        Assert.All(result.Radiotherapy("Condition/iliac").Regimens, o =>
        {
            Assert.False(string.IsNullOrWhiteSpace(o.Why.En));
            Assert.False(string.IsNullOrWhiteSpace(o.Why.Fr));
        });
    }

    public static TheoryData<string> Scenarios => ["uncomplicated", "complicated", "poor", "mscc-1", "mscc-3", "postop", "oligo"];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_radiotherapy_recommendation_has_exactly_one_preferred_option(string scenario)
    {
        var patient = scenario switch
        {
            "uncomplicated" => Facts.Patient(Facts.FlatBone().Painful()),
            "complicated" => Facts.Patient(Facts.Vertebra(epidural: true).Painful()),
            "poor" => Facts.Patient(Facts.Vertebra(epidural: true).Painful()).WithEcog(4),
            "mscc-1" => Facts.MsccPatientWithPoints(5, 6, 5, 3, 9),
            "mscc-3" => Facts.MsccPatientWithPoints(9, 8, 8, 9, 4),
            "postop" => Facts.Patient(Facts.LongBoneWithMirels(10)).WithSurgery("Condition/femur"),
            _ => Facts.Patient(Facts.Vertebra().Painful().WellDefined()) with { VisceralMetastases = Facts.Of(false) },
        };

        var rts = patient.Evaluate().Recs(RecommendationCodes.Radiotherapy);

        Assert.NotEmpty(rts);
        Assert.All(rts, r => Assert.Single(r.Regimens, o => o.Preferred));
        Assert.All(rts, r => Assert.True(r.Regimens[0].Preferred, "the preferred option comes first"));
    }
}
