using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Scoring;

namespace BoneMetRT.Domain.Tests.Rades;

/// <summary>guideline.md §3: the engine always warns when the primary is NSCLC (the 5 points predate targeted therapy).</summary>
public class NsclcCaveatTests
{
    private static bool IsCaveat(Finding f) => f.Kind == FindingKind.Caveat && f.Item == "primary-tumour-type";

    [Fact]
    public void Nsclc_with_a_Rades_score_warns()
    {
        var result = Facts.MsccPatient(primary: PrimaryTumourType.Nsclc).Evaluate();

        var caveat = Assert.Single(result.Findings, IsCaveat);
        Assert.Equal(Severity.Warning, caveat.Severity);
        Assert.Contains("molecular", caveat.Text.En, StringComparison.Ordinal);
        Assert.Contains("moléculaire", caveat.Text.Fr, StringComparison.Ordinal);
        Assert.Equal("§3", caveat.Reference.SpecSection);
    }

    [Fact]
    public void Nsclc_warns_even_when_the_score_is_withheld()
    {
        var result = Facts.MsccPatient(primary: PrimaryTumourType.Nsclc)
            .WithMscc(m => m with { Ambulatory = Fact<AmbulatoryStatus>.Missing })
            .Evaluate();

        Assert.Null(Assert.Single(result.Rades).Total);
        Assert.Single(result.Findings, IsCaveat);
    }

    [Theory]
    [InlineData(PrimaryTumourType.Breast)]
    [InlineData(PrimaryTumourType.Prostate)]
    [InlineData(PrimaryTumourType.MyelomaLymphoma)]
    [InlineData(PrimaryTumourType.Sclc)]
    [InlineData(PrimaryTumourType.UnknownPrimary)]
    [InlineData(PrimaryTumourType.Kidney)]
    [InlineData(PrimaryTumourType.Colorectal)]
    [InlineData(PrimaryTumourType.Other)]
    public void Other_primaries_do_not_warn(PrimaryTumourType primary)
    {
        var result = Facts.MsccPatient(primary: primary).Evaluate();

        Assert.DoesNotContain(result.Findings, f => f.Kind == FindingKind.Caveat);
    }
}
