using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Scoring;
using FsCheck.Xunit;

namespace BoneMetRT.Domain.Tests.Rades;

/// <summary>Properties of the Rades score over every combination of answers (guideline.md §3 and §8).</summary>
public class RadesPropertyTests
{
    [Property(Arbitrary = new[] { typeof(DomainArbitraries) })]
    public void Total_is_21_to_44_and_the_group_follows_it(RadesAnswers answers)
    {
        var rades = answers.ToPatient().Evaluate().Rades.Single();

        Assert.NotNull(rades.Total);
        Assert.InRange(rades.Total.Value, 21, 44);
        Assert.Equal(answers.SpecTotal, rades.Total);
        var group = Spec.RadesGroup(rades.Total.Value);
        Assert.Equal(group, rades.Group!.Number);
        Assert.Equal(Spec.AmbulatoryRate(group), rades.Group.AmbulatoryRate);
        Assert.Equal(rades.Total, rades.Items.Sum(i => i.Points));
    }

    [Property(Arbitrary = new[] { typeof(DomainArbitraries) })]
    public void Removing_any_one_item_withholds_the_score_and_names_that_item(Removal<RadesAnswers> removal)
    {
        var patient = removal.Answers.ToPatient();
        patient = removal.Index switch
        {
            0 => patient with { PrimaryTumour = Fact<PrimaryTumourType>.Missing },
            1 => patient with { PrimaryDiagnosisDate = Fact<PartialDate>.Missing },
            2 => patient.WithMscc(m => m with { Onset = Fact<PartialDate>.Missing }),
            3 => patient with { VisceralMetastases = Fact<bool>.Missing },
            4 => patient.WithMscc(m => m with { Ambulatory = Fact<AmbulatoryStatus>.Missing }),
            _ => patient.WithMscc(m => m with { MotorDeficitDays = Fact<decimal>.Missing }),
        };
        var removed = new[] { "primary-tumour-type", "interval-to-mscc", "interval-to-mscc", "visceral-metastases", "ambulatory-status", "motor-deficit-duration" }[removal.Index];

        var result = patient.Evaluate();

        Assert.Null(Assert.Single(result.Rades).Total);
        Assert.Null(Assert.Single(result.Rades).Group);
        var named = Assert.Single(result.Findings, f => Spec.RadesItemCodes.Contains(f.Item) && f.SubjectId == "Condition/mscc" && f.Kind != FindingKind.Caveat);
        Assert.Equal(removed, named.Item);
        Assert.Equal(FindingKind.MissingItem, named.Kind);
        Assert.Contains(result.Recommendations, r => r.Code == RecommendationCodes.TumourBoard && r.Urgent);
    }
}
