using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Situations;

namespace BoneMetRT.Domain.Tests.Rades;

/// <summary>
/// guideline §1.3 and §3 on whole records: every compressing level is its own urgent course with its own Rades score and
/// target levels; a compression is matched to a lesion by an explicit link or its level, never by "the only vertebra".
/// </summary>
public class SeveralCompressionsTests
{
    private static MsccFacts Compression(string id, string level, string? lesionId, int daysAgo = 2, AmbulatoryStatus ambulatory = AmbulatoryStatus.AmbulatoryWithoutAid) => new()
    {
        Id = id,
        Label = level,
        Level = level,
        LesionId = lesionId,
        Onset = Facts.Of<PartialDate>(Facts.Today.AddDays(-daysAgo), id),
        Ambulatory = Facts.Of(ambulatory, "Observation/ambulatory"),
        MotorDeficitDays = Facts.Of(10m, "Observation/deficit"),
    };

    /// <summary>Breast primary diagnosed 24 months earlier, no visceral metastasis: 8 + 8 + 8 = 24 before the compression items.</summary>
    private static PatientFacts Patient(IReadOnlyList<LesionFacts> lesions, params MsccFacts[] compressions) => new()
    {
        AssessmentDate = Facts.Today,
        Lesions = lesions,
        PrimaryTumour = Facts.Of(PrimaryTumourType.Breast, "Condition/primary"),
        PrimaryDiagnosisDate = Facts.Of<PartialDate>(Facts.Today.AddMonths(-24), "Condition/primary"),
        VisceralMetastases = Facts.Of(false, "Observation/visceral"),
        Compressions = compressions,
    };

    [Fact]
    public void Two_compressing_levels_get_two_urgent_courses_each_with_its_rades_and_its_target_levels()
    {
        var t6 = Facts.Vertebra("Condition/t6", "T6", epidural: false);
        var l2 = Facts.Vertebra("Condition/l2", "L2", epidural: true);
        var patient = Patient([t6, l2, Facts.LongBone(id: "Condition/femur")],
            Compression("Condition/mscc-t6", "T6", t6.Id, daysAgo: 10),
            Compression("Condition/mscc-l2", "L2", l2.Id, daysAgo: 1, ambulatory: AmbulatoryStatus.NonAmbulatory));

        var result = patient.Evaluate();

        // Rades: breast 8 + > 15 months 8 + no visceral 8 + deficit 8–14 days 7 = 31, plus motor function.
        Assert.Equal(2, result.Rades.Count);
        Assert.Equal(41, result.Rades.Single(r => r.MsccId == "Condition/mscc-t6").Total); // + ambulatory without aid 10 → group III
        Assert.Equal(34, result.Rades.Single(r => r.MsccId == "Condition/mscc-l2").Total); // + not ambulatory 3 → group II
        Assert.Equal(2, result.Situations.Count(s => s.Situation == Situation.Mscc));

        var rtT6 = result.Radiotherapy("Condition/t6");
        var rtL2 = result.Radiotherapy("Condition/l2");
        Assert.True(rtT6.Urgent);
        Assert.True(rtL2.Urgent);
        Assert.Contains("T5–T7", rtT6.TargetVolume!.Text.En, StringComparison.Ordinal);
        Assert.Contains("T12–L4", rtL2.TargetVolume!.Text.En, StringComparison.Ordinal); // epidural extension: two on each side
        Assert.Contains("41/44", rtT6.Rationale.En, StringComparison.Ordinal);
        Assert.Contains("34/44", rtL2.Rationale.En, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Findings, f => f.Text.En.Contains("no radiotherapy is proposed", StringComparison.Ordinal) && f.SubjectId != "Condition/femur");

        // Group II at L2 only: the neurosurgical opinion is for L2, not T6.
        Assert.Equal(["Condition/l2"], result.Recs(RecommendationCodes.NeurosurgicalOpinion).Select(r => r.SubjectId));
    }

    [Fact]
    public void A_compression_not_linked_to_a_lesion_is_aimed_at_its_own_level_never_at_the_only_vertebra()
    {
        var l4 = Facts.Vertebra("Condition/l4", "L4");
        var patient = Patient([l4], Compression("Condition/mscc-t9", "T9", lesionId: null));

        var result = patient.Evaluate();

        var urgent = Assert.Single(result.Recommendations, r => r.Code == RecommendationCodes.Radiotherapy && r.Urgent);
        Assert.Equal("Condition/mscc-t9", urgent.SubjectId);
        Assert.Contains("T8–T10", urgent.TargetVolume!.Text.En, StringComparison.Ordinal);
        Assert.DoesNotContain("L4", urgent.TargetVolume.Text.En, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Recommendations, r => r.SubjectId == "Condition/l4" && r.Urgent);
        Assert.Contains(result.Findings, f => f.SubjectId == "Condition/mscc-t9" && f.Text.En.Contains("not linked", StringComparison.Ordinal));
    }

    [Fact]
    public void The_worst_group_decides_the_regimen_when_two_compressions_share_a_lesion()
    {
        var t10 = Facts.Vertebra();
        var patient = Patient([t10],
            Compression("Condition/mscc-a", "T10", t10.Id),
            Compression("Condition/mscc-b", "T10", t10.Id, ambulatory: AmbulatoryStatus.Paraplegic)) with
        {
            VisceralMetastases = Facts.Of(true, "Condition/liver"),
        };

        var result = patient.Evaluate();

        // 8 + 8 + 5 + 7 = 28 before motor function: + 10 = 38 (III), + 1 = 29 (II). Group II favours the longer course,
        // group III too; the worst (II) also asks for a neurosurgical opinion.
        Assert.Equal([38, 29], result.Rades.Select(r => r.Total!.Value));
        Assert.Single(result.Recs(RecommendationCodes.NeurosurgicalOpinion));
        Assert.Equal("rt-30gy-10fx", result.Radiotherapy("Condition/t10").PreferredCode());
    }
}
