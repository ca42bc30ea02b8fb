using BoneMetRT.Domain.Regimens;

namespace BoneMetRT.Domain.Tests.Regimens;

/// <summary>Naming the vertebrae of the target volume (seed §2.1: ±1, ±2 with epidural extension).</summary>
public sealed class VertebralLevelTests
{
    [Theory]
    [InlineData("T10 vertebra", 1, "T9–T11")]
    [InlineData("T10 vertebra", 2, "T8–T12")]
    [InlineData("L1", 1, "T12–L2")]
    [InlineData("C7 vertebral body", 2, "C5–T2")]
    [InlineData("L5", 1, "L4–S1")]
    [InlineData("C1", 2, "C1–C3")]
    public void Range_around_a_level_crosses_the_regions(string label, int margin, string expected) =>
        Assert.Equal(expected, VertebralLevel.Range(label, margin));

    [Theory]
    [InlineData("lumbar spine")]
    [InlineData("T13")]
    [InlineData("")]
    public void No_range_when_the_label_names_no_level(string label) =>
        Assert.Null(VertebralLevel.Range(label, 1));

    [Fact]
    public void Target_volume_text_names_the_levels()
    {
        var lesion = new Domain.Facts.LesionFacts { Id = "Condition/t10", Label = "T10 vertebra", Kind = Domain.Facts.BoneKind.Vertebra, EpiduralExtension = Domain.Facts.Fact<bool>.Of(true) };

        var tv = TargetVolumeRule.For(lesion, operated: false);

        Assert.Equal(2, tv.VertebraeAboveAndBelow);
        Assert.Contains("T8–T12", tv.Text.En, StringComparison.Ordinal);
        Assert.Contains("T8–T12", tv.Text.Fr, StringComparison.Ordinal);
    }
}
