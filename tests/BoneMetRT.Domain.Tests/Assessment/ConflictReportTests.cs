using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Scoring;

namespace BoneMetRT.Domain.Tests.Assessment;

/// <summary>guideline §8: every item that has a conflict is reported, for scores and for regimen choice alike, once.</summary>
public class ConflictReportTests
{
    [Fact]
    public void Conflicting_items_used_for_the_regimen_are_reported_not_read_as_absent()
    {
        var patient = Facts.Patient(Facts.Vertebra(epidural: null).Painful() with
        {
            NeuropathicPain = Facts.Conflict<bool>(),
            EpiduralExtension = Facts.Conflict<bool>(),
        }) with
        {
            Performance = Facts.Conflict<PerformanceStatus>(),
        };

        var result = patient.Evaluate();

        foreach (var item in new[] { "neuropathic-pain", "epidural-extension", "performance-status" })
        {
            var f = Assert.Single(result.Findings, f => f.Item == item);
            Assert.Equal(FindingKind.ConflictingItem, f.Kind);
            Assert.Equal(Severity.Error, f.Severity);
            Assert.Equal(["Observation/a", "Observation/b"], f.Sources);
            Assert.Contains("contradict", f.Text.Fr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_conflict_a_score_already_reported_is_not_reported_twice()
    {
        var lesion = Facts.LongBoneWithMirels(8) with { Pain = Facts.Conflict<MirelsPain>() };

        var result = Facts.Patient(lesion).Evaluate();

        var f = Assert.Single(result.Findings, f => f.Item == "mirels-pain");
        Assert.Equal(Severity.Error, f.Severity);
    }

    [Fact]
    public void A_conflicting_visceral_item_withholds_rades_and_keeps_the_patient_out_of_the_oligometastatic_situation()
    {
        var patient = Facts.MsccPatient() with { VisceralMetastases = Facts.Conflict<bool>() };

        var result = patient.Evaluate();

        Assert.Null(Assert.Single(result.Rades).Total);
        Assert.Equal(BoneMetRT.Domain.Situations.Eligibility.Undetermined, result.Oligometastatic.Eligibility);
        Assert.Single(result.Findings, f => f.Item == "visceral-metastases" && f.Kind == FindingKind.ConflictingItem && f.SubjectId == "Condition/mscc");
    }
}
