using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Scoring;

namespace BoneMetRT.Domain.Tests.Rades;

/// <summary>
/// guideline §3 (interval ≤ 15 / &gt; 15 months) and §8 (never guess an item): a date given only as a year or a month is
/// never completed; the item is decided only when every day it can stand for gives the same band.
/// </summary>
public class PartialDateTests
{
    private static AssessmentResult WithDiagnosis(PartialDate diagnosis, DateOnly onset) =>
        (Facts.MsccPatient() with { PrimaryDiagnosisDate = Facts.Of(diagnosis, "Condition/primary") })
            .WithMscc(m => m with { Onset = Facts.Of<PartialDate>(onset, "Condition/mscc") })
            .Evaluate();

    [Fact]
    public void A_year_that_straddles_15_months_withholds_the_interval_and_names_it()
    {
        // Diagnosis "2024", compression 2026-03-10: from 2024-01-01 that is > 15 months, from 2024-12-31 ≤ 15 months.
        var result = WithDiagnosis(PartialDate.Year(2024), new DateOnly(2026, 3, 10));

        var rades = Assert.Single(result.Rades);
        Assert.Null(rades.Total);
        Assert.Null(rades.Items[1].Points);
        var f = Assert.Single(result.Findings, f => f.Item == rades.Items[1].Item);
        Assert.Equal(FindingKind.MissingItem, f.Kind);
        Assert.Contains("dated 2024 ", f.Text.En, StringComparison.Ordinal);
        Assert.Contains("2026-03-10", f.Text.Fr, StringComparison.Ordinal);
        Assert.Contains(result.Recommendations, r => r.Code == RecommendationCodes.TumourBoard && r.Urgent);
    }

    [Fact]
    public void A_year_within_15_months_whatever_the_day_is_used()
    {
        // Diagnosis "2025": any day of 2025 plus 15 months is on or after 2026-04-01, after the compression.
        Assert.Equal(6, Assert.Single(WithDiagnosis(PartialDate.Year(2025), new DateOnly(2026, 3, 10)).Rades).Items[1].Points);
    }

    [Fact]
    public void A_year_that_decides_the_band_is_used()
    {
        // Diagnosis "2020", compression in 2026: more than 15 months whatever the day.
        var result = WithDiagnosis(PartialDate.Year(2020), new DateOnly(2026, 3, 10));

        Assert.Equal(8, Assert.Single(result.Rades).Items[1].Points);
    }

    [Theory]
    [InlineData(2024, 12, 8)]    // + 15 months = 2026-03-01 .. 2026-03-31, both before 2026-04-15: > 15 months
    [InlineData(2025, 1, null)]  // + 15 months = 2026-04-01 (before: > 15) .. 2026-04-30 (after: ≤ 15): undecided
    [InlineData(2025, 6, 6)]     // + 15 months = 2026-09-01 .. 2026-09-30, both after: ≤ 15 months
    public void A_month_is_decided_from_both_ends(int year, int month, int? points)
    {
        var result = WithDiagnosis(PartialDate.Month(year, month), new DateOnly(2026, 4, 15));

        Assert.Equal(points, Assert.Single(result.Rades).Items[1].Points);
    }
}
