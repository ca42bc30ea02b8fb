using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Mirels;
using BoneMetRT.Domain.Scoring;

namespace BoneMetRT.Domain.Tests.Mirels;

/// <summary>
/// guideline.md §2 cortical-osteolysis rule (axial &gt; 30 and circumferential &gt; 50 % with Mirels ≥ 9 → discuss
/// consolidation surgery first) and §7 (axial in % or mm, &gt; 30 for either, the rationale says which).
/// </summary>
public class CorticalLysisTests
{
    private static LesionFacts Lesion(int mirels, decimal? axial, LysisUnit unit, decimal? circumferential) =>
        Facts.LongBoneWithMirels(mirels) with
        {
            CorticalLysisAxial = axial is { } a ? Facts.Of(new LysisMeasure(a, unit), "Observation/axial") : Fact<LysisMeasure>.Missing,
            CorticalLysisCircumferential = circumferential is { } c ? Facts.Of(c, "Observation/circ") : Fact<decimal>.Missing,
        };

    [Theory]
    [InlineData(30.1, 50.1, LysisOutcome.Positive)]
    [InlineData(30.0, 50.1, LysisOutcome.Negative)]
    [InlineData(30.1, 50.0, LysisOutcome.Negative)]
    [InlineData(30.0, 50.0, LysisOutcome.Negative)]
    [InlineData(80, 90, LysisOutcome.Positive)]
    public void Thresholds_with_Mirels_9_in_percent(double axial, double circumferential, LysisOutcome expected)
    {
        var result = CorticalLysisRule.Evaluate(Lesion(9, (decimal)axial, LysisUnit.Percent, (decimal)circumferential), 9);
        Assert.Equal(expected, result.Outcome);
        Assert.Equal(expected == LysisOutcome.Positive, result.ConsolidationSurgeryDiscussion);
    }

    [Theory]
    [InlineData(30.1, 50.1, LysisOutcome.Positive)]
    [InlineData(30.0, 50.1, LysisOutcome.Negative)]
    [InlineData(30.1, 50.0, LysisOutcome.Negative)]
    public void Thresholds_with_Mirels_9_in_millimetres(double axial, double circumferential, LysisOutcome expected)
    {
        var result = CorticalLysisRule.Evaluate(Lesion(9, (decimal)axial, LysisUnit.Millimetre, (decimal)circumferential), 9);
        Assert.Equal(expected, result.Outcome);
    }

    [Theory]
    [InlineData(30.1, 50.1)]
    [InlineData(80, 90)]
    public void Not_applicable_with_Mirels_8(double axial, double circumferential)
    {
        var result = CorticalLysisRule.Evaluate(Lesion(8, (decimal)axial, LysisUnit.Percent, (decimal)circumferential), 8);
        Assert.Equal(LysisOutcome.NotApplicable, result.Outcome);
        Assert.False(result.ConsolidationSurgeryDiscussion);
    }

    [Fact]
    public void Positive_rule_through_the_engine_recommends_consolidation_surgery_discussion()
    {
        var result = Facts.Patient(Lesion(9, 30.1m, LysisUnit.Percent, 50.1m)).Evaluate();

        var mirels = Assert.Single(result.Mirels);
        Assert.Equal(LysisOutcome.Positive, mirels.Lysis.Outcome);
        var rec = Assert.Single(result.Recs(RecommendationCodes.ConsolidationSurgery));
        Assert.Equal("Condition/femur", rec.SubjectId);
    }

    [Theory]
    [InlineData(30.0, 50.1)]
    [InlineData(30.1, 50.0)]
    public void Negative_rule_through_the_engine_gives_no_consolidation_discussion(double axial, double circumferential)
    {
        var result = Facts.Patient(Lesion(9, (decimal)axial, LysisUnit.Percent, (decimal)circumferential)).Evaluate();

        Assert.Equal(LysisOutcome.Negative, Assert.Single(result.Mirels).Lysis.Outcome);
        Assert.Empty(result.Recs(RecommendationCodes.ConsolidationSurgery));
    }

    [Fact]
    public void Mirels_8_with_heavy_lysis_gives_no_consolidation_discussion()
    {
        var result = Facts.Patient(Lesion(8, 80m, LysisUnit.Percent, 90m)).Evaluate();

        Assert.Equal(LysisOutcome.NotApplicable, Assert.Single(result.Mirels).Lysis.Outcome);
        Assert.Empty(result.Recs(RecommendationCodes.ConsolidationSurgery));
    }

    [Fact]
    public void Rationale_names_percent_as_the_seed_measure()
    {
        var result = CorticalLysisRule.Evaluate(Lesion(9, 31m, LysisUnit.Percent, 60m), 9);

        Assert.Contains("31 %", result.Rationale.En, StringComparison.Ordinal);
        Assert.Contains("seed", result.Rationale.En, StringComparison.Ordinal);
        Assert.DoesNotContain("mm", result.Rationale.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Rationale_names_millimetres_as_the_literature_measure()
    {
        var result = CorticalLysisRule.Evaluate(Lesion(9, 31m, LysisUnit.Millimetre, 60m), 9);

        Assert.Contains("31 mm", result.Rationale.En, StringComparison.Ordinal);
        Assert.Contains("van der Linden", result.Rationale.En, StringComparison.Ordinal);
        Assert.Contains("31 mm", result.Rationale.Fr, StringComparison.Ordinal);
    }

    [Fact]
    public void Millimetre_measure_is_reported_as_a_discrepancy()
    {
        var result = Facts.Patient(Lesion(9, 31m, LysisUnit.Millimetre, 60m)).Evaluate();

        var finding = Assert.Single(result.Findings, f => f.Kind == FindingKind.Discrepancy);
        Assert.Equal("cortical-lysis-axial", finding.Item);
        Assert.Equal("§7", finding.Reference.SpecSection);
        Assert.Contains("mm", finding.Text.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Percent_measure_is_not_a_discrepancy()
    {
        var result = Facts.Patient(Lesion(9, 31m, LysisUnit.Percent, 60m)).Evaluate();

        Assert.DoesNotContain(result.Findings, f => f.Kind == FindingKind.Discrepancy);
    }

    [Fact]
    public void Missing_measure_with_Mirels_9_is_undetermined_and_reported()
    {
        var result = Facts.Patient(Lesion(9, null, LysisUnit.Percent, null)).Evaluate();

        Assert.Equal(LysisOutcome.Undetermined, Assert.Single(result.Mirels).Lysis.Outcome);
        Assert.Contains(result.Findings, f => f.Kind == FindingKind.MissingItem && f.Item == "cortical-lysis-axial");
    }

    [Fact]
    public void Missing_circumferential_measure_is_named_by_its_own_code()
    {
        var result = Facts.Patient(Lesion(9, 35m, LysisUnit.Percent, null)).Evaluate();

        Assert.Contains(result.Findings, f => f.Kind == FindingKind.MissingItem && f.Item == "cortical-lysis-circumferential");
        Assert.DoesNotContain(result.Findings, f => f.Kind == FindingKind.MissingItem && f.Item == "cortical-lysis-axial");
    }

    [Fact]
    public void Both_missing_measures_are_named()
    {
        var result = Facts.Patient(Lesion(9, null, LysisUnit.Percent, null)).Evaluate();

        Assert.Contains(result.Findings, f => f.Kind == FindingKind.MissingItem && f.Item == "cortical-lysis-axial");
        Assert.Contains(result.Findings, f => f.Kind == FindingKind.MissingItem && f.Item == "cortical-lysis-circumferential");
    }
}
