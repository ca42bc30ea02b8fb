using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Scoring;
using BoneMetRT.Domain.Situations;

namespace BoneMetRT.Domain.Tests.Assessment;

/// <summary>
/// Whole-record combinations a review found wrong, each from the guideline and README "Clinical choices": an operated
/// fracture, undated surgery beside old ones, old decompressions, broken compressing vertebrae, unmatched compressions
/// as bone sites, SBRT on an irradiated site, and conflicts that must be errors.
/// </summary>
public class ReviewedEdgeCaseTests
{
    private static LesionFacts Fractured(LesionFacts lesion) => lesion with { PathologicalFracture = Facts.Of(true, "Condition/fracture") };

    [Fact]
    public void A_fracture_fixed_long_ago_is_not_sent_back_to_surgery()
    {
        var result = Facts.Patient(Fractured(Facts.LongBone(id: "Condition/femur").Painful())).WithSurgery("Condition/femur", daysAgo: 60).Evaluate();

        Assert.Empty(result.Recs(RecommendationCodes.OrthopaedicOpinion));
        Assert.Null(result.Radiotherapy("Condition/femur").After);
        Assert.Empty(result.Mirels);
    }

    [Fact]
    public void An_undated_operation_beside_only_old_ones_holds_the_window()
    {
        var result = Facts.Patient(Facts.FlatBone())
            .WithSurgery("Condition/iliac", daysAgo: 420)
            .WithProcedure("Condition/iliac", ProcedureKind.Resection, Fact<PartialDate>.Missing, skinHealed: true)
            .Evaluate();

        var rt = result.Radiotherapy("Condition/iliac");
        Assert.Equal(WindowStatus.HeldDateUnknown, rt.Window!.Status);
        Assert.True(rt.OnHold);
    }

    [Fact]
    public void A_decompression_older_than_the_horizon_is_still_not_followed_by_a_new_neurosurgical_opinion()
    {
        var patient = Facts.MsccPatientWithPoints(primary: 5, interval: 6, visceral: 5, ambulatory: 9, deficit: 7) // group II
            .WithSurgery("Condition/mscc", daysAgo: 50, kind: ProcedureKind.Decompression);

        var result = patient.Evaluate();

        Assert.Empty(result.Recs(RecommendationCodes.NeurosurgicalOpinion));
        Assert.True(result.Radiotherapy("Condition/t10").Urgent);
        Assert.Contains("operated on earlier", result.Radiotherapy("Condition/t10").Rationale.En, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_compressing_vertebra_keeps_its_urgent_course_and_gets_a_spinal_surgical_opinion()
    {
        var patient = Facts.MsccPatientWithPoints(primary: 8, interval: 8, visceral: 8, ambulatory: 10, deficit: 9); // group III
        patient = patient with { Lesions = [Fractured(patient.Lesions[0])] };

        var result = patient.Evaluate();

        Assert.True(result.Radiotherapy("Condition/t10").Urgent);
        var opinion = Assert.Single(result.Recs(RecommendationCodes.OrthopaedicOpinion));
        Assert.True(opinion.Urgent);
        Assert.Contains("without delaying the radiotherapy", opinion.Text.En, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unmatched_compression_is_a_bone_site_for_the_oligometastatic_count_and_for_patient_level_pain()
    {
        var lesions = new[] { Facts.Vertebra("Condition/l1", "L1").WellDefined(), Facts.FlatBone().WellDefined(), Facts.FlatBone("Condition/rib", "rib").WellDefined() };
        var compression = Assert.Single(Facts.MsccPatient().Compressions) with { Id = "Condition/mscc-t4", Label = "T4", Level = "T4", LesionId = null };
        var patient = Facts.Patient(lesions) with { VisceralMetastases = Facts.Of(false), Compressions = [compression] };

        Assert.Equal(Eligibility.NotEligible, patient.Evaluate().Oligometastatic.Eligibility); // 4 sites, not 3

        var single = Facts.Patient(Facts.FlatBone()) with { Compressions = [compression], AnalgesicRefractoryPain = Facts.Of(true) };
        var result = single.Evaluate();
        Assert.DoesNotContain(result.Situations, s => s.Situation == Situation.Pain && s.SubjectId == "Condition/iliac");
        Assert.Contains(result.Findings, f => f.Item == "analgesic-refractory-pain" && f.SubjectId == "Condition/iliac");
    }

    [Fact]
    public void No_SBRT_schedule_is_proposed_on_an_irradiated_site()
    {
        var patient = (Facts.Patient(Facts.Vertebra().WellDefined()) with { VisceralMetastases = Facts.Of(false) })
            .WithProcedure("Condition/t10", ProcedureKind.Radiotherapy, Facts.Of<PartialDate>(new DateOnly(2024, 5, 2)), doseGy: 8m, fractions: 1);

        var board = Assert.Single(patient.Evaluate().Recs(RecommendationCodes.SpecialisedTumourBoard));

        Assert.Empty(board.Regimens);
        Assert.Contains("irradiated before", board.Rationale.En, StringComparison.Ordinal);
    }

    [Fact]
    public void A_contradictory_fracture_withholds_Mirels_goes_to_the_tumour_board_and_never_gets_8_Gy()
    {
        var lesion = Facts.LongBoneWithMirels(6).Painful() with { PathologicalFracture = Facts.Conflict<bool>() };

        var result = Facts.Patient(lesion).Evaluate();

        Assert.Empty(result.Mirels);
        Assert.Contains(result.Recs(RecommendationCodes.TumourBoard), r => r.SubjectId == "Condition/femur");
        Assert.NotEqual("rt-8gy-1fx", result.Radiotherapy("Condition/femur").PreferredCode());
        Assert.Contains(result.Findings, f => f.Item == "pathological-fracture" && f.Severity == Severity.Error);
    }

    [Fact]
    public void Conflicts_on_skin_operation_date_and_visceral_metastases_are_errors()
    {
        var skin = Facts.Patient(Facts.FlatBone()).WithSurgery("Condition/iliac", 18, skinHealed: null) is var p
            ? p with { Procedures = [p.Procedures[0] with { SkinHealed = Facts.Conflict<bool>() }] } : null;
        Assert.Contains(skin!.Evaluate().Findings, f => f.Item == "skin-healed" && f.Severity == Severity.Error);

        var visceral = Facts.Patient(Facts.FlatBone().WellDefined()) with { VisceralMetastases = Facts.Conflict<bool>() };
        Assert.Contains(visceral.Evaluate().Findings, f => f.Item == "visceral-metastases" && f.Kind == FindingKind.ConflictingItem && f.Severity == Severity.Error);
    }
}
