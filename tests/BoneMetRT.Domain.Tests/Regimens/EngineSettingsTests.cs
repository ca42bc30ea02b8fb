using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Regimens;

namespace BoneMetRT.Domain.Tests.Regimens;

/// <summary>guideline.md §6: "The α/β must be a setting, not a constant buried in code."</summary>
public class EngineSettingsTests
{
    [Fact]
    public void Default_cord_alpha_beta_is_0_87() => Assert.Equal(0.87m, EngineSettings.Default.CordAlphaBetaGy);

    [Fact]
    public void A_different_cord_alpha_beta_changes_the_EQD2()
    {
        var patient = Facts.MsccPatientWithPoints(9, 8, 8, 9, 4);

        var byDefault = patient.Evaluate().Radiotherapy("Condition/t10");
        var withTwo = patient.Evaluate(new EngineSettings(CordAlphaBetaGy: 2m)).Radiotherapy("Condition/t10");

        var defaultCord = byDefault.Regimens.Single(o => o.Regimen == Regimen.Rt30Gy10).Cord!;
        var twoCord = withTwo.Regimens.Single(o => o.Regimen == Regimen.Rt30Gy10).Cord!;
        Assert.Equal(40.45m, defaultCord.Eqd2Gy);
        Assert.Equal(2m, twoCord.AlphaBetaGy);
        // 30 · (3 + 2) / (2 + 2) = 37.5 Gy
        Assert.Equal(37.5m, twoCord.Eqd2Gy);
        Assert.Contains("α/β 2", twoCord.Text.En, StringComparison.Ordinal);
    }

    [Fact]
    public void The_settings_used_are_reported_in_the_result()
    {
        var settings = new EngineSettings(CordAlphaBetaGy: 1.5m);

        Assert.Equal(settings, Facts.Patient().Evaluate(settings).Settings);
    }

    [Fact]
    public void Post_operative_horizon_is_a_setting()
    {
        var patient = Facts.Patient(Facts.FlatBone()).WithSurgery("Condition/iliac", daysAgo: 50);

        Assert.Empty(patient.Evaluate().Recs("radiotherapy"));
        var rt = patient.Evaluate(new EngineSettings(PostOperativeHorizonDays: 60)).Radiotherapy("Condition/iliac");
        Assert.Equal(BoneMetRT.Domain.Situations.WindowStatus.Passed, rt.Window!.Status);
    }

    [Theory]
    [InlineData(40, true)]
    [InlineData(50, false)]
    public void Karnofsky_cut_off_is_a_setting_matching_ecog_3_by_default(int karnofsky, bool poor)
    {
        var patient = Facts.Patient(Facts.FlatBone().Painful()) with { Performance = Facts.Of(new PerformanceStatus(PerformanceScale.Karnofsky, karnofsky)) };

        Assert.Equal(poor ? "rt-20gy-5fx" : "rt-8gy-1fx", patient.Evaluate().Radiotherapy("Condition/iliac").PreferredCode());
        Assert.Equal("rt-20gy-5fx", patient.Evaluate(new EngineSettings(PoorPerformanceKarnofsky: 50)).Radiotherapy("Condition/iliac").PreferredCode());
    }


}
