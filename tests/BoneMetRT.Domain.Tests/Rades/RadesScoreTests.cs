using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Rades;

namespace BoneMetRT.Domain.Tests.Rades;

/// <summary>guideline.md §3: every row of the Rades item table and the three groups.</summary>
public class RadesScoreTests
{
    // Baseline for the row tests: breast (8), ≤ 15 months (6), no visceral (8), ambulatory without aid (10), 8–14 days (7) = 39.
    private const int Baseline = 8 + 6 + 8 + 10 + 7;

    [Theory]
    [InlineData(PrimaryTumourType.Breast, 8, "breast")]
    [InlineData(PrimaryTumourType.Prostate, 7, "prostate")]
    [InlineData(PrimaryTumourType.MyelomaLymphoma, 9, "myeloma-lymphoma")]
    [InlineData(PrimaryTumourType.Nsclc, 5, "nsclc")]
    [InlineData(PrimaryTumourType.Sclc, 6, "sclc")]
    [InlineData(PrimaryTumourType.UnknownPrimary, 5, "unknown-primary")]
    [InlineData(PrimaryTumourType.Kidney, 6, "kidney")]
    [InlineData(PrimaryTumourType.Colorectal, 6, "colorectal")]
    [InlineData(PrimaryTumourType.Other, 6, "other")]
    public void Primary_tumour_row(PrimaryTumourType primary, int points, string answerCode)
    {
        var rades = Facts.MsccPatient(primary: primary).Evaluate().Rades.Single();

        var item = rades.Items[0];
        Assert.Equal("primary-tumour-type", item.Item);
        Assert.Equal(points, item.Points);
        Assert.Equal(answerCode, item.AnswerCode);
        Assert.Equal(Baseline - 8 + points, rades.Total);
    }

    [Theory]
    [InlineData(false, 6)]
    [InlineData(true, 8)]
    public void Interval_row(bool moreThan15Months, int points)
    {
        var rades = Facts.MsccPatient(moreThan15Months: moreThan15Months).Evaluate().Rades.Single();

        Assert.Equal("interval-to-mscc", rades.Items[1].Item);
        Assert.Equal(points, rades.Items[1].Points);
        Assert.Equal(Baseline - 6 + points, rades.Total);
    }

    [Theory]
    [InlineData(true, 5)]
    [InlineData(false, 8)]
    public void Visceral_metastases_row(bool visceral, int points)
    {
        var rades = Facts.MsccPatient(visceral: visceral).Evaluate().Rades.Single();

        Assert.Equal("visceral-metastases", rades.Items[2].Item);
        Assert.Equal(points, rades.Items[2].Points);
        Assert.Equal(Baseline - 8 + points, rades.Total);
    }

    [Theory]
    [InlineData(AmbulatoryStatus.AmbulatoryWithoutAid, 10, "ambulatory-without-aid")]
    [InlineData(AmbulatoryStatus.AmbulatoryWithAid, 9, "ambulatory-with-aid")]
    [InlineData(AmbulatoryStatus.NonAmbulatory, 3, "non-ambulatory")]
    [InlineData(AmbulatoryStatus.Paraplegic, 1, "paraplegic")]
    public void Motor_function_row(AmbulatoryStatus ambulatory, int points, string answerCode)
    {
        var rades = Facts.MsccPatient(ambulatory: ambulatory).Evaluate().Rades.Single();

        Assert.Equal("ambulatory-status", rades.Items[3].Item);
        Assert.Equal(points, rades.Items[3].Points);
        Assert.Equal(answerCode, rades.Items[3].AnswerCode);
        Assert.Equal(Baseline - 10 + points, rades.Total);
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(10, 7)]
    [InlineData(30, 9)]
    public void Motor_deficit_row(int days, int points)
    {
        var rades = Facts.MsccPatient(deficitDays: days).Evaluate().Rades.Single();

        Assert.Equal("motor-deficit-duration", rades.Items[4].Item);
        Assert.Equal(points, rades.Items[4].Points);
        Assert.Equal(Baseline - 7 + points, rades.Total);
    }

    [Fact]
    public void Tables_have_exactly_the_rows_of_the_guideline()
    {
        Assert.Equal(Spec.PrimaryPoints.OrderBy(p => p.Key), RadesTable.Primary.Select(r => KeyValuePair.Create(r.Value, r.Points)).OrderBy(p => p.Key));
        Assert.Equal(Spec.AmbulatoryPoints.OrderBy(p => p.Key), RadesTable.Ambulatory.Select(r => KeyValuePair.Create(r.Value, r.Points)).OrderBy(p => p.Key));
        Assert.Equal(Spec.VisceralPoints(true), RadesTable.Visceral.Single(r => r.Value).Points);
        Assert.Equal(Spec.VisceralPoints(false), RadesTable.Visceral.Single(r => !r.Value).Points);
        Assert.Equal(Spec.IntervalPoints(false), RadesTable.Interval.Single(r => r.Value == RadesInterval.UpTo15Months).Points);
        Assert.Equal(Spec.IntervalPoints(true), RadesTable.Interval.Single(r => r.Value == RadesInterval.MoreThan15Months).Points);
    }

    // Groups through the engine, built from spec points; the boundaries 28/29 and 37/38 and the extremes 21 and 44.
    [Theory]
    [InlineData(5, 6, 5, 1, 4, 21, 1, "rades-group-1", 0.11)]
    [InlineData(5, 6, 5, 3, 9, 28, 1, "rades-group-1", 0.11)]
    [InlineData(6, 6, 5, 3, 9, 29, 2, "rades-group-2", 0.71)]
    [InlineData(9, 8, 8, 3, 9, 37, 2, "rades-group-2", 0.71)]
    [InlineData(9, 8, 8, 9, 4, 38, 3, "rades-group-3", 0.99)]
    [InlineData(9, 8, 8, 10, 9, 44, 3, "rades-group-3", 0.99)]
    public void Group_from_total(int primary, int interval, int visceral, int ambulatory, int deficit, int total, int group, string interpretation, double ambulatoryRate)
    {
        var rades = Facts.MsccPatientWithPoints(primary, interval, visceral, ambulatory, deficit).Evaluate().Rades.Single();

        Assert.Equal(total, rades.Total);
        Assert.NotNull(rades.Group);
        Assert.Equal(group, rades.Group.Number);
        Assert.Equal(interpretation, rades.Group.Interpretation);
        Assert.Equal((decimal)ambulatoryRate, rades.Group.AmbulatoryRate);
    }

    [Theory]
    [InlineData(21, 1)]
    [InlineData(28, 1)]
    [InlineData(29, 2)]
    [InlineData(37, 2)]
    [InlineData(38, 3)]
    [InlineData(44, 3)]
    public void Group_boundaries(int total, int group) => Assert.Equal(group, RadesGroup.ForTotal(total).Number);

    [Theory]
    [InlineData(20)]
    [InlineData(45)]
    public void Group_of_an_impossible_total_is_refused(int total) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RadesGroup.ForTotal(total));

    [Fact]
    public void Group_I_says_no_benefit_from_surgery_and_favour_hypofractionation()
    {
        var rades = Facts.MsccPatientWithPoints(5, 6, 5, 3, 9).Evaluate().Rades.Single();
        Assert.Contains("no benefit from surgery", rades.Rationale.En, StringComparison.Ordinal);
        Assert.Contains("hypofractionation", rades.Rationale.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Group_III_says_excellent_result_without_surgery()
    {
        var rades = Facts.MsccPatientWithPoints(9, 8, 8, 10, 9).Evaluate().Rades.Single();
        Assert.Contains("excellent result without surgery", rades.Rationale.En, StringComparison.Ordinal);
    }
}
