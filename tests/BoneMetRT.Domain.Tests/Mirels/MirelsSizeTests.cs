using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Mirels;

namespace BoneMetRT.Domain.Tests.Mirels;

/// <summary>guideline.md §2 size column: &lt; 1/3, 1/3 – 2/3 (both ends included), &gt; 2/3 of the cortex.</summary>
public class MirelsSizeTests
{
    [Theory]
    [InlineData(0, MirelsSize.LessThanOneThird)]
    [InlineData(33.33, MirelsSize.LessThanOneThird)]
    [InlineData(33.34, MirelsSize.OneToTwoThirds)]
    [InlineData(50, MirelsSize.OneToTwoThirds)]
    [InlineData(66.66, MirelsSize.OneToTwoThirds)]
    [InlineData(66.67, MirelsSize.MoreThanTwoThirds)]
    [InlineData(100, MirelsSize.MoreThanTwoThirds)]
    public void Size_from_percent(double percent, MirelsSize expected) =>
        Assert.Equal(expected, MirelsTable.SizeFromPercent((decimal)percent));

    [Fact]
    public void Exactly_one_third_is_in_the_middle_row() =>
        Assert.Equal(MirelsSize.OneToTwoThirds, MirelsTable.SizeFromPercent(100m / 3m));

    [Fact]
    public void Exactly_two_thirds_is_in_the_middle_row() =>
        Assert.Equal(MirelsSize.OneToTwoThirds, MirelsTable.SizeFromPercent(200m / 3m));

    [Fact]
    public void One_third_computed_from_a_measure_is_in_the_middle_row()
    {
        // 10 mm of a 30 mm cortex: exactly one third.
        var percent = 10m / 30m * 100m;
        Assert.Equal(MirelsSize.OneToTwoThirds, MirelsTable.SizeFromPercent(percent));
    }

    [Fact]
    public void Two_thirds_computed_from_a_measure_is_in_the_middle_row()
    {
        // 20 mm of a 30 mm cortex: exactly two thirds.
        var percent = 20m / 30m * 100m;
        Assert.Equal(MirelsSize.OneToTwoThirds, MirelsTable.SizeFromPercent(percent));
    }
}
