using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Rades;
using BoneMetRT.Domain.Scoring;

namespace BoneMetRT.Domain.Tests.Rades;

/// <summary>guideline.md §3 boundaries: interval ≤ 15 / &gt; 15 months, deficit 1–7 / 8–14 / &gt; 14 days.</summary>
public class RadesBoundaryTests
{
    [Fact]
    public void Interval_of_exactly_15_months_is_up_to_15() =>
        Assert.Equal(RadesInterval.UpTo15Months, RadesTable.IntervalBetween(new DateOnly(2023, 1, 10), new DateOnly(2024, 4, 10)));

    [Fact]
    public void Interval_of_15_months_and_one_day_is_more_than_15() =>
        Assert.Equal(RadesInterval.MoreThan15Months, RadesTable.IntervalBetween(new DateOnly(2023, 1, 10), new DateOnly(2024, 4, 11)));

    [Fact]
    public void Interval_of_15_months_minus_one_day_is_up_to_15() =>
        Assert.Equal(RadesInterval.UpTo15Months, RadesTable.IntervalBetween(new DateOnly(2023, 1, 10), new DateOnly(2024, 4, 9)));

    [Fact]
    public void Compression_revealing_the_cancer_is_up_to_15_months() =>
        Assert.Equal(RadesInterval.UpTo15Months, RadesTable.IntervalBetween(new DateOnly(2024, 5, 1), new DateOnly(2024, 4, 20)));

    [Theory]
    [InlineData(0, 6)]
    [InlineData(1, 8)]
    public void Interval_through_the_engine_with_dates(int extraDays, int points)
    {
        var diagnosis = new DateOnly(2023, 1, 10);
        var onset = diagnosis.AddMonths(15).AddDays(extraDays);
        var patient = Facts.MsccPatient() with { PrimaryDiagnosisDate = Facts.Of<PartialDate>(diagnosis) };
        patient = patient.WithMscc(m => m with { Onset = Facts.Of<PartialDate>(onset) });

        var rades = patient.Evaluate().Rades.Single();

        Assert.Equal(points, rades.Items[1].Points);
    }

    [Theory]
    [InlineData(1, DeficitDuration.OneToSevenDays)]
    [InlineData(7, DeficitDuration.OneToSevenDays)]
    [InlineData(8, DeficitDuration.EightToFourteenDays)]
    [InlineData(14, DeficitDuration.EightToFourteenDays)]
    [InlineData(15, DeficitDuration.MoreThanFourteenDays)]
    [InlineData(14.5, DeficitDuration.MoreThanFourteenDays)]
    public void Deficit_band_from_days(double days, DeficitDuration expected) =>
        Assert.Equal(expected, RadesTable.DeficitFromDays((decimal)days));

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(14)]
    [InlineData(15)]
    public void Deficit_boundaries_through_the_engine(int days)
    {
        var rades = Facts.MsccPatient(deficitDays: days).Evaluate().Rades.Single();
        Assert.Equal(Spec.DeficitPoints(days), rades.Items[4].Points);
    }

    [Fact]
    public void Deficit_of_0_days_counts_in_the_first_row()
    {
        // The table starts at "1–7 days"; a deficit that developed within the first day is the fastest onset and the
        // engine documents that it counts in that row (RadesTable.DeficitFromDays). See the report: spec is silent on 0.
        var rades = Facts.MsccPatient(deficitDays: 0m).Evaluate().Rades.Single();
        Assert.Equal(4, rades.Items[4].Points);
        Assert.NotNull(rades.Total);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(-0.5)]
    public void Negative_deficit_withholds_the_score_with_an_error(double days)
    {
        var result = Facts.MsccPatient(deficitDays: (decimal)days).Evaluate();

        Assert.Null(Assert.Single(result.Rades).Total);
        Assert.Null(Assert.Single(result.Rades).Group);
        var finding = Assert.Single(result.Findings, f => f.Item == "motor-deficit-duration");
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal("Condition/mscc", finding.SubjectId);
        Assert.Contains(result.Recommendations, r => r.Code == RecommendationCodes.TumourBoard && r.Urgent);
    }

    [Fact]
    public void Negative_deficit_band_is_null() => Assert.Null(RadesTable.DeficitFromDays(-1m));
}
