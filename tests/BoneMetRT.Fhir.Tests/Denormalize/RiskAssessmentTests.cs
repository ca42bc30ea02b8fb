using BoneMetRT.Fhir.Tests.Builders;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Tests.Builders.Assessed;

namespace BoneMetRT.Fhir.Tests.Denormalize;

/// <summary>Contract §3: one RiskAssessment per score, with method, basis and prediction.</summary>
public sealed class RiskAssessmentTests
{
    [Theory]
    [InlineData(7, 4, "low")]
    [InlineData(8, 15, "moderate")]
    [InlineData(10, 33, "high")]
    public void Mirels_risk_predicts_a_pathological_fracture_with_the_band_probability_in_percent(int total, int percent, string qualitative)
    {
        var c = total switch { 7 => Scenarios.Mirels7(), 8 => Scenarios.Mirels8(), _ => Scenarios.Mirels10() };

        var response = Run(c.B);

        var ra = Assert.Single(response.All<RiskAssessment>());
        Assert.Equal("mirels", ra.Method.BoneMet());
        Assert.Equal(ObservationStatus.Final, ra.Status);
        Assert.Equal(c.B.FullUrl(c.Lesion!), ra.Condition!.Reference);
        var prediction = Assert.Single(ra.Prediction);
        Assert.Equal("pathological-fracture", prediction.Outcome.BoneMet());
        Assert.Equal(percent, prediction.Probability.Dec());
        Assert.Equal(qualitative, Assert.Single(prediction.QualitativeRisk!.Coding, x => x.System == PackageCanonicals.RiskProbability).Code);
    }

    [Theory]
    [InlineData(1, 89, "high")]
    [InlineData(2, 29, "moderate")]
    [InlineData(3, 1, "low")]
    public void Rades_risk_predicts_the_adverse_outcome_not_ambulatory_with_100_minus_the_group_rate_in_percent(int group, int percent, string qualitative)
    {
        var c = group switch { 1 => Scenarios.RadesGroup1(), 2 => Scenarios.RadesGroup2(), _ => Scenarios.Rades() };

        var ra = Assert.Single(Run(c.B).All<RiskAssessment>());

        Assert.Equal("rades", ra.Method.BoneMet());
        Assert.Equal(c.B.FullUrl(c.Mscc!), ra.Condition!.Reference);
        var prediction = Assert.Single(ra.Prediction);
        Assert.Equal("not-ambulatory-after-radiotherapy", prediction.Outcome.BoneMet());
        Assert.Equal(percent, prediction.Probability.Dec());
        Assert.Equal(qualitative, prediction.QualitativeRisk!.Coding[0].Code);
    }

    [Fact]
    public void Basis_is_the_score_Observation_first_then_the_inputs()
    {
        var c = Scenarios.Rades();

        var response = Run(c.B);

        var ra = Assert.Single(response.All<RiskAssessment>());
        var score = Assert.Single(response.Scores("rades-score"));
        Assert.Equal(response.FullUrlOf(score), ra.Basis[0].Reference);
        Assert.Same(score, response.Resolve(ra.Basis[0]));
        foreach (var input in c.Items)
        {
            Assert.Contains(ra.Basis, r => r.Reference == c.B.FullUrl(input));
        }

        Assert.Contains(ra.Basis, r => r.Reference == c.B.FullUrl(c.Mscc!));
    }

    [Fact]
    public void One_RiskAssessment_per_score_each_based_on_its_own_score()
    {
        var c = Scenarios.RadesAndMirels();

        var response = Run(c.B);

        var risks = response.All<RiskAssessment>();
        Assert.Equal(2, risks.Count);
        Assert.Equal(["mirels", "rades"], risks.Select(r => r.Method.BoneMet()).Order());
        foreach (var ra in risks)
        {
            var score = Assert.IsType<Observation>(response.Resolve(ra.Basis[0]));
            Assert.Equal(ra.Method.BoneMet() + "-score", score.Code.BoneMet());
        }
    }

    [Fact]
    public void Probability_is_a_percentage_within_0_100()
    {
        var c = Scenarios.RadesAndMirels();

        foreach (var ra in Run(c.B).All<RiskAssessment>())
        {
            var p = ra.Prediction[0].Probability.Dec();
            Assert.InRange(p, 1m, 100m);
        }
    }

    [Theory]
    [InlineData("mirels8")]
    [InlineData("rades")]
    [InlineData("both")]
    public void Predictions_state_no_time_horizon_the_guideline_does_not_give(string scenario)
    {
        var risks = Run(CarePlanTests.Make(scenario).B).All<RiskAssessment>();

        Assert.NotEmpty(risks);
        Assert.All(risks, ra => Assert.Null(Assert.Single(ra.Prediction).When));
    }
}
