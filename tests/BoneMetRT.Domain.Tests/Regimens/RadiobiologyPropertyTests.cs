using BoneMetRT.Domain.Regimens;
using FsCheck;
using FsCheck.Fluent;

namespace BoneMetRT.Domain.Tests.Regimens;

/// <summary>guideline.md §6: EQD2 is the 2-Gy-equivalent dose, so at d = 2 Gy it equals the total dose, whatever α/β.</summary>
public class RadiobiologyPropertyTests
{
    private static readonly Arbitrary<(int Fractions, decimal AlphaBeta)> FractionsAndAlphaBeta =
        Gen.Choose(1, 50).SelectMany(n => Gen.Choose(1, 2000).Select(ab => (n, ab / 100m))).ToArbitrary();

    [FsCheck.Xunit.Property]
    public Property Eqd2_equals_the_total_dose_when_d_is_2_Gy() =>
        Prop.ForAll(FractionsAndAlphaBeta, x =>
        {
            var total = 2m * x.Fractions;
            return Math.Abs(Radiobiology.Eqd2(total, x.Fractions, x.AlphaBeta) - total) < 0.000000001m;
        });

    [FsCheck.Xunit.Property]
    public Property Bed_and_Eqd2_follow_the_formulas() =>
        Prop.ForAll(FractionsAndAlphaBeta, Gen.Choose(1, 2400).ToArbitrary(), (x, centiGyPerFraction) =>
        {
            var d = centiGyPerFraction / 100m;
            var total = d * x.Fractions;
            var bed = Radiobiology.Bed(total, x.Fractions, x.AlphaBeta);
            var eqd2 = Radiobiology.Eqd2(total, x.Fractions, x.AlphaBeta);
            return Math.Abs(bed - Spec.Bed(x.Fractions, d, x.AlphaBeta)) < 0.000001m
                && Math.Abs(eqd2 - Spec.Eqd2(x.Fractions, d, x.AlphaBeta)) < 0.000001m
                // EQD2 = BED / (1 + 2/(α/β))
                && Math.Abs(eqd2 - (bed / (1 + (2 / x.AlphaBeta)))) < 0.000001m;
        });
}
