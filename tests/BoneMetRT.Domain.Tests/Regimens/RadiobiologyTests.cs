using BoneMetRT.Domain.Regimens;

namespace BoneMetRT.Domain.Tests.Regimens;

/// <summary>guideline.md §6: BED and EQD2 formulas and the cord table at α/β 0.87 Gy.</summary>
public class RadiobiologyTests
{
    // The table of §6, to 0.01 Gy.
    [Theory]
    [InlineData("rt-30gy-10fx", 40.45)]
    [InlineData("rt-24gy-6fx", 40.72)]
    [InlineData("rt-20gy-5fx", 33.94)]
    [InlineData("rt-8gy-1fx", 24.72)]
    public void Cord_EQD2_table_at_alpha_beta_0_87(string code, double eqd2)
    {
        var regimen = Regimen.All.Single(r => r.Code == code);
        var cord = CordDose.For(regimen, Spec.CordAlphaBeta);

        Assert.Equal((decimal)eqd2, cord.Eqd2Gy);
        Assert.Equal(Spec.CordAlphaBeta, cord.AlphaBetaGy);
    }

    [Theory]
    [InlineData(30, 10, 40.45)]
    [InlineData(24, 6, 40.72)]
    [InlineData(20, 5, 33.94)]
    [InlineData(8, 1, 24.72)]
    public void Eqd2_formula_matches_the_table(int total, int fractions, double eqd2) =>
        Assert.Equal((decimal)eqd2, Math.Round(Radiobiology.Eqd2(total, fractions, Spec.CordAlphaBeta), 2));

    [Theory]
    [InlineData(30, 10)]
    [InlineData(24, 6)]
    [InlineData(20, 5)]
    [InlineData(8, 1)]
    [InlineData(18, 1)]
    [InlineData(24, 2)]
    public void Bed_by_the_formula(int total, int fractions)
    {
        var d = (decimal)total / fractions;
        var expected = Spec.Bed(fractions, d, Spec.CordAlphaBeta);

        Assert.Equal(Math.Round(expected, 10), Math.Round(Radiobiology.Bed(total, fractions, Spec.CordAlphaBeta), 10));
    }

    [Fact]
    public void Bed_of_8_Gy_single_fraction_is_8_times_1_plus_8_over_0_87()
    {
        // 8 · (1 + 8/0.87) = 81.563… Gy
        Assert.Equal(81.56m, CordDose.For(Regimen.Rt8Gy1, 0.87m).BedGy);
    }

    [Theory]
    [InlineData(0.87)]
    [InlineData(2)]
    [InlineData(10)]
    public void Eqd2_of_2_Gy_fractions_is_the_total_dose(double alphaBeta) =>
        Assert.Equal(50m, Radiobiology.Eqd2(50m, 25, (decimal)alphaBeta));

    [Fact]
    public void Invalid_inputs_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Radiobiology.Eqd2(30m, 0, 0.87m));
        Assert.Throws<ArgumentOutOfRangeException>(() => Radiobiology.Eqd2(30m, 10, 0m));
        Assert.Throws<ArgumentOutOfRangeException>(() => Radiobiology.Bed(-1m, 10, 0.87m));
    }
}
