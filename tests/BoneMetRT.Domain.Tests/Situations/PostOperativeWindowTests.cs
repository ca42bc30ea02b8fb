using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Scoring;
using BoneMetRT.Domain.Situations;

namespace BoneMetRT.Domain.Tests.Situations;

/// <summary>guideline.md §4: start between day 15 and day 21 after the operation, on healed skin.</summary>
public class PostOperativeWindowTests
{
    private static readonly DateOnly Surgery = new(2025, 1, 1);

    private static PostOperativeWindow Window(int day, bool? skinHealed, List<Finding>? findings = null)
    {
        var surgery = new ProcedureFacts
        {
            Id = "Procedure/fixation",
            Kind = ProcedureKind.Fixation,
            PerformedOn = Facts.Of<PartialDate>(Surgery),
            TargetIds = ["Condition/femur"],
            SkinHealed = skinHealed is { } s ? Facts.Of(s) : Fact<bool>.Missing,
        };
        var window = PostOperativeRule.Evaluate(surgery, "Condition/femur", Surgery.AddDays(day), EngineSettings.Default);
        findings?.AddRange(window.Findings);
        return window;
    }

    [Theory]
    [InlineData(0, WindowStatus.NotYetOpen)]
    [InlineData(14, WindowStatus.NotYetOpen)]
    [InlineData(15, WindowStatus.Open)]
    [InlineData(21, WindowStatus.Open)]
    [InlineData(22, WindowStatus.Passed)]
    [InlineData(42, WindowStatus.Passed)]
    public void Status_by_day_with_healed_skin(int day, WindowStatus expected)
    {
        var window = Window(day, skinHealed: true);

        Assert.Equal(expected, window.Status);
        Assert.Equal(day, window.DaysSinceSurgery);
        Assert.False(window.IsHeld);
    }

    [Fact]
    public void Window_runs_from_day_15_to_day_21()
    {
        var window = Window(3, skinHealed: true);

        Assert.Equal(new DateOnly(2025, 1, 16), window.Start);
        Assert.Equal(new DateOnly(2025, 1, 22), window.End);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(21)]
    [InlineData(22)]
    public void Held_with_a_reason_when_the_skin_is_not_healed(int day)
    {
        var window = Window(day, skinHealed: false);

        Assert.Equal(WindowStatus.HeldSkinNotHealed, window.Status);
        Assert.True(window.IsHeld);
        Assert.Contains("skin is not healed", window.Rationale.En, StringComparison.Ordinal);
        Assert.Contains("cicatrisée", window.Rationale.Fr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(22)]
    public void Held_when_skin_healing_is_not_documented(int day)
    {
        var findings = new List<Finding>();
        var window = Window(day, skinHealed: null, findings);

        Assert.Equal(WindowStatus.HeldSkinUnknown, window.Status);
        Assert.True(window.IsHeld);
        var finding = Assert.Single(findings);
        Assert.Equal("skin-healed", finding.Item);
        Assert.Equal(FindingKind.MissingItem, finding.Kind);
        Assert.Equal("Procedure/fixation", finding.SubjectId);
    }

    [Fact]
    public void Conflicting_skin_healing_holds_and_is_reported_as_a_conflict()
    {
        var surgery = new ProcedureFacts { Id = "Procedure/fixation", Kind = ProcedureKind.Fixation, PerformedOn = Facts.Of<PartialDate>(Surgery), SkinHealed = Facts.Conflict<bool>() };

        var window = PostOperativeRule.Evaluate(surgery, null, Surgery.AddDays(16), EngineSettings.Default);

        Assert.True(window.IsHeld);
        Assert.Equal(FindingKind.ConflictingItem, Assert.Single(window.Findings).Kind);
    }

    [Fact]
    public void Before_day_15_the_window_is_not_yet_open_whatever_the_skin()
    {
        Assert.Equal(WindowStatus.NotYetOpen, Window(14, skinHealed: false).Status);
        Assert.Equal(WindowStatus.NotYetOpen, Window(14, skinHealed: null).Status);
    }

    [Theory]
    [InlineData(14, true, WindowStatus.NotYetOpen, false)]
    [InlineData(15, true, WindowStatus.Open, false)]
    [InlineData(21, true, WindowStatus.Open, false)]
    [InlineData(22, true, WindowStatus.Passed, false)]
    [InlineData(18, false, WindowStatus.HeldSkinNotHealed, true)]
    public void Through_the_engine_the_recommendation_carries_the_window(int daysAgo, bool skinHealed, WindowStatus status, bool onHold)
    {
        var result = Facts.Patient(Facts.FlatBone()).WithSurgery("Condition/iliac", daysAgo, skinHealed).Evaluate();

        var rt = result.Radiotherapy("Condition/iliac");
        Assert.NotNull(rt.Window);
        Assert.Equal(status, rt.Window.Status);
        Assert.Equal(onHold, rt.OnHold);
        Assert.Equal(Facts.Today.AddDays(-daysAgo + 15), rt.Window.Start);
        Assert.Equal(Facts.Today.AddDays(-daysAgo + 21), rt.Window.End);
    }

    [Fact]
    public void Through_the_engine_missing_skin_healing_holds_and_names_the_item()
    {
        var result = Facts.Patient(Facts.FlatBone()).WithSurgery("Condition/iliac", 18, skinHealed: null).Evaluate();

        Assert.True(result.Radiotherapy("Condition/iliac").OnHold);
        Assert.Contains(result.Findings, f => f.Item == "skin-healed" && f.Kind == FindingKind.MissingItem);
    }
}
