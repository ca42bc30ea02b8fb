using BoneMetRT.Fhir.Tests.Builders;
using BoneMetRT.Fhir.Tests.Examples;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Tests.Builders.Assessed;
using static BoneMetRT.Fhir.Tests.Builders.PatientBundle;

namespace BoneMetRT.Fhir.Tests.Denormalize;

/// <summary>Contract §3: one score Observation per computed score.</summary>
public sealed class ScoreObservationTests
{
    [Fact]
    public void Mirels_score_Observation_has_the_total_the_items_the_band_the_inputs_and_the_lesion()
    {
        var c = Scenarios.Mirels8();

        var response = Run(c.B);

        var score = Assert.Single(response.Scores("mirels-score"));
        Assert.Equal(ObservationStatus.Final, score.Status);
        Assert.Equal(8, score.Value.Int());
        Assert.Equal("mirels-tumour-board", score.Interpretation[0].BoneMet());
        Assert.Equal(["mirels-site", "mirels-size", "lesion-type", "mirels-pain"], score.Component.Select(x => x.Code.BoneMet()));
        Assert.Equal([2, 2, 2, 2], score.Component.Select(x => x.Value.Int()));
        Assert.Equal(c.B.FullUrl(c.Lesion!), Assert.Single(score.Focus).Reference);
        Assert.Equal(c.Items.Select(o => c.B.FullUrl(o)).Order(), score.DerivedFrom.Select(r => r.Reference).Order());
        Assert.Equal(PatientBundle.Server + "Patient/p1", score.Subject!.Reference);
        Assert.Equal("2026-03-16", Assert.IsType<FhirDateTime>(score.Effective).Value);
    }

    [Theory]
    [InlineData(7, "mirels-radiotherapy")]
    [InlineData(8, "mirels-tumour-board")]
    [InlineData(10, "mirels-fixation")]
    public void Mirels_interpretation_is_the_band(int total, string band)
    {
        var c = total switch { 7 => Scenarios.Mirels7(), 8 => Scenarios.Mirels8(), _ => Scenarios.Mirels10() };

        var score = Assert.Single(Run(c.B).Scores("mirels-score"));

        Assert.Equal(total, score.Value.Int());
        Assert.Equal(total, score.Component.Sum(x => x.Value.Int()));
        Assert.Equal(band, score.Interpretation[0].BoneMet());
    }

    [Fact]
    public void Rades_score_Observation_has_the_total_the_five_items_the_group_and_the_inputs()
    {
        var c = Scenarios.Rades();

        var score = Assert.Single(Run(c.B).Scores("rades-score"));

        Assert.Equal(ObservationStatus.Final, score.Status);
        Assert.Equal(43, score.Value.Int());
        Assert.Equal("rades-group-3", score.Interpretation[0].BoneMet());
        Assert.Equal(["primary-tumour-type", "interval-to-mscc", "visceral-metastases", "ambulatory-status", "motor-deficit-duration"],
            score.Component.Select(x => x.Code.BoneMet()));
        Assert.Equal([8, 8, 8, 10, 9], score.Component.Select(x => x.Value.Int()));
        Assert.Equal(c.Items.Select(o => c.B.FullUrl(o)).Order(), score.DerivedFrom.Select(r => r.Reference).Order());
    }

    [Fact]
    public void Rades_score_focus_is_the_compressing_lesion()
    {
        var c = Scenarios.Rades();

        var score = Assert.Single(Run(c.B).Scores("rades-score"));

        Assert.Equal(c.B.FullUrl(c.Lesion!), Assert.Single(score.Focus).Reference);
    }

    [Fact]
    public void Rades_score_has_no_focus_when_no_lesion_is_known_for_the_compression()
    {
        var b = PatientBundle.WithPatient();
        b.Condition("primary", BoneMetRT.Fhir.CodeSystems.Snomed, "254837009", "2019-06-03");
        b.Mscc("mscc", "2026-03-09", bodySite: "7610001", siteText: "T10");
        b.Item("visceral", "visceral-metastases", new FhirBoolean(false));
        b.Item("ambulatory", "ambulatory-status", Answer("ambulatory-without-aid"));
        b.Item("deficit", "motor-deficit-duration", Qty(21, "d"));

        var score = Assert.Single(Run(b).Scores("rades-score"));

        Assert.Empty(score.Focus);
    }

    [Theory]
    [InlineData(1, 22, "rades-group-1")]
    [InlineData(2, 32, "rades-group-2")]
    [InlineData(3, 43, "rades-group-3")]
    public void Rades_interpretation_is_the_group(int group, int total, string code)
    {
        var c = group switch { 1 => Scenarios.RadesGroup1(), 2 => Scenarios.RadesGroup2(), _ => Scenarios.Rades() };

        var score = Assert.Single(Run(c.B).Scores("rades-score"));

        Assert.Equal(total, score.Value.Int());
        Assert.Equal(code, score.Interpretation[0].BoneMet());
    }

    [Fact]
    public void One_score_Observation_per_computed_score()
    {
        var c = Scenarios.RadesAndMirels();

        var response = Run(c.B);

        Assert.Single(response.Scores("mirels-score"));
        Assert.Single(response.Scores("rades-score"));
        Assert.Equal(2, response.All<Observation>().Count);
    }

    [Fact]
    public void Missing_item_gives_no_score_Observation()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        b.Item("type", "lesion-type", Answer("lytic"), femur);
        b.Item("size", "mirels-size", Pct(50), femur);

        var response = Run(b);

        Assert.Empty(response.Scores("mirels-score"));
        Assert.Empty(response.All<RiskAssessment>());
    }

    [Fact]
    public void Conflicting_item_gives_no_score_Observation()
    {
        var c = Scenarios.Mirels8();
        c.B.Item("pain-2", "mirels-pain", Answer("functional"), c.Lesion, "2026-03-10");

        var response = Run(c.B);

        Assert.Empty(response.Scores("mirels-score"));
        Assert.Empty(response.All<RiskAssessment>());
    }

    [Fact]
    public void Score_derivedFrom_names_only_Observations()
    {
        var c = Scenarios.Rades();

        var score = Assert.Single(Run(c.B).Scores("rades-score"));

        Assert.All(score.DerivedFrom, r => Assert.StartsWith(PatientBundle.Server + "Observation/", r.Reference, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("fracture-peritrochanteric-mirels-10-lysis.json", "lysis-rule-positive")]
    [InlineData("lysis-in-mm.json", "lysis-rule-positive")]
    [InlineData("french-language.json", "lysis-rule-negative")]
    [InlineData("multi-mirels-9-fixation-then-rt.json", "lysis-rule-negative")]
    [InlineData("transaction-bundle.json", null)]
    public void A_decided_cortical_lysis_rule_is_the_second_interpretation_of_the_Mirels_score(string example, string? rule)
    {
        var (kind, body) = ExampleSnapshotTests.Run(Path.Combine(ExampleCatalog.ValidFolder, example));
        Assert.Equal(OutcomeKind.Success, kind);

        var mirels = Assert.Single(Assert.IsType<Bundle>(body).Scores("mirels-score"));

        Assert.StartsWith("mirels-", mirels.Interpretation[0].BoneMet(), StringComparison.Ordinal);
        Assert.Equal(rule, mirels.Interpretation.Skip(1).SingleOrDefault().BoneMet());
    }
}
