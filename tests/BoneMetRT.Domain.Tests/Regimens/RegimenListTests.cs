using BoneMetRT.Domain.Regimens;

namespace BoneMetRT.Domain.Tests.Regimens;

/// <summary>guideline.md §6 (palliative regimens) and §5 (spine SBRT examples); codes from the contract.</summary>
public class RegimenListTests
{
    [Theory]
    [InlineData("rt-30gy-10fx", 30, 10, Technique.Conformal)]
    [InlineData("rt-24gy-6fx", 24, 6, Technique.Conformal)]
    [InlineData("rt-20gy-5fx", 20, 5, Technique.Conformal)]
    [InlineData("rt-8gy-1fx", 8, 1, Technique.Conformal)]
    [InlineData("sbrt-18gy-1fx", 18, 1, Technique.Sbrt)]
    [InlineData("sbrt-24gy-2fx", 24, 2, Technique.Sbrt)]
    public void Regimen_has_the_dose_and_fractions_of_the_guideline(string code, int totalGy, int fractions, Technique technique)
    {
        var regimen = Assert.Single(Regimen.All, r => r.Code == code);
        Assert.Equal(totalGy, regimen.TotalDoseGy);
        Assert.Equal(fractions, regimen.Fractions);
        Assert.Equal(technique, regimen.Technique);
        Assert.Equal((decimal)totalGy / fractions, regimen.DosePerFractionGy);
    }

    [Fact]
    public void There_are_exactly_six_regimens() =>
        Assert.Equal(
            new[] { "rt-20gy-5fx", "rt-24gy-6fx", "rt-30gy-10fx", "rt-8gy-1fx", "sbrt-18gy-1fx", "sbrt-24gy-2fx" },
            Regimen.All.Select(r => r.Code).Order(StringComparer.Ordinal));
}
