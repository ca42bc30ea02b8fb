using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Regimens;

namespace BoneMetRT.Domain.Tests.Regimens;

/// <summary>guideline.md §6 target volumes (seed §2.1) and §4 (post-operative: all hardware and the scar).</summary>
public class TargetVolumeTests
{
    [Fact]
    public void Long_bone_includes_the_whole_bone_and_hardware()
    {
        var volume = TargetVolumeRule.For(Facts.LongBone(), operated: false);

        Assert.Null(volume.VertebraeAboveAndBelow);
        Assert.Contains("whole involved bone", volume.Text.En, StringComparison.Ordinal);
        Assert.Contains("hardware", volume.Text.En, StringComparison.Ordinal);
        Assert.Contains("l'ensemble de l'os", volume.Text.Fr, StringComparison.Ordinal);
    }

    [Fact]
    public void Vertebra_without_epidural_extension_is_one_above_and_one_below()
    {
        var volume = TargetVolumeRule.For(Facts.Vertebra(epidural: false), operated: false);

        Assert.Equal(1, volume.VertebraeAboveAndBelow);
        Assert.Contains("one vertebra above and one below", volume.Text.En, StringComparison.Ordinal);
        Assert.Contains("transverse processes", volume.Text.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Vertebra_with_epidural_extension_is_two_above_and_two_below()
    {
        var volume = TargetVolumeRule.For(Facts.Vertebra(epidural: true), operated: false);

        Assert.Equal(2, volume.VertebraeAboveAndBelow);
        Assert.Contains("two vertebrae above and two below", volume.Text.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Vertebra_with_unknown_epidural_extension_is_one_each_side_and_says_to_extend_if_present()
    {
        var volume = TargetVolumeRule.For(Facts.Vertebra(epidural: null), operated: false);

        Assert.Equal(1, volume.VertebraeAboveAndBelow);
        Assert.Contains("not documented", volume.Text.En, StringComparison.Ordinal);
        Assert.Contains("if present, extend to two above and two below", volume.Text.En, StringComparison.Ordinal);
        Assert.Contains("étendre", volume.Text.Fr, StringComparison.Ordinal);
    }

    [Fact]
    public void Conflicting_epidural_extension_is_treated_as_unknown()
    {
        var volume = TargetVolumeRule.For(Facts.Vertebra() with { EpiduralExtension = Facts.Conflict<bool>() }, operated: false);

        Assert.Equal(1, volume.VertebraeAboveAndBelow);
        Assert.Contains("if present", volume.Text.En, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BoneKind.LongBone)]
    [InlineData(BoneKind.Vertebra)]
    [InlineData(BoneKind.Other)]
    public void Post_operative_adds_hardware_and_scar(BoneKind kind)
    {
        var lesion = new LesionFacts { Id = "Condition/x", Label = "x", Kind = kind };

        var operated = TargetVolumeRule.For(lesion, operated: true);
        var notOperated = TargetVolumeRule.For(lesion, operated: false);

        Assert.Contains("all the hardware and the scar", operated.Text.En, StringComparison.Ordinal);
        Assert.Contains("cicatrice", operated.Text.Fr, StringComparison.Ordinal);
        Assert.DoesNotContain("scar", notOperated.Text.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Engine_attaches_the_vertebral_volume_to_the_radiotherapy_recommendation()
    {
        var result = Facts.MsccPatient(epidural: true).Evaluate();

        Assert.Equal(2, result.Radiotherapy("Condition/t10").TargetVolume!.VertebraeAboveAndBelow);
    }

    [Fact]
    public void Engine_attaches_hardware_and_scar_after_surgery()
    {
        var result = Facts.Patient(Facts.LongBoneWithMirels(10)).WithSurgery("Condition/femur").Evaluate();

        Assert.Contains("scar", result.Radiotherapy("Condition/femur").TargetVolume!.Text.En, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("S1", false, "L5–S2")]
    [InlineData("S3", true, "S1–S5")]
    public void The_sacrum_is_a_vertebral_level_for_target_volumes(string level, bool epidural, string range)
    {
        var sacrum = Facts.Vertebra("Condition/sacrum", level, epidural) with { Label = $"sacrum ({level})" };

        var target = TargetVolumeRule.For(sacrum, operated: false);

        Assert.Contains($"Levels {range}.", target.Text.En, StringComparison.Ordinal);
        Assert.Equal(epidural ? 2 : 1, target.VertebraeAboveAndBelow);
    }
}
