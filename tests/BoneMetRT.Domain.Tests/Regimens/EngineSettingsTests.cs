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
    public void Ablative_options_use_the_setting_too()
    {
        var patient = Facts.Patient(Facts.Vertebra().WellDefined()) with { VisceralMetastases = Facts.Of(false) };

        var rec = Assert.Single(patient.Evaluate(new EngineSettings(CordAlphaBetaGy: 2m)).Recs("specialised-tumour-board-review"));

        // SBRT 18 Gy/1 at α/β 2: 18 · (18 + 2) / 4 = 90 Gy.
        Assert.Equal(90m, rec.Regimens.Single(o => o.Regimen == Regimen.Sbrt18Gy1).Cord!.Eqd2Gy);
    }
}
