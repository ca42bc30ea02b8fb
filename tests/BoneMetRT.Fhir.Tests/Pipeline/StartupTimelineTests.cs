namespace BoneMetRT.Fhir.Tests.Pipeline;

/// <summary>The start-up timeline records phases in order, with times that do not go back, up to its capacity, and formats one line each.</summary>
public sealed class StartupTimelineTests
{
    [Fact]
    public void Marks_are_kept_in_order_with_times_that_do_not_go_back()
    {
        var timeline = new StartupTimeline(originSinceProcessStartMs: 100);
        timeline.Mark("a");
        Thread.Sleep(5);
        timeline.Mark("b");

        Assert.Equal(["a", "b"], timeline.Marks.Select(m => m.Phase));
        var (a, b) = (timeline.Marks[0], timeline.Marks[1]);
        Assert.True(a.SinceProcessStartMs >= 100);
        Assert.True(b.SinceProcessStartMs >= a.SinceProcessStartMs + 4);
        Assert.True(b.ProcessCpuMs >= a.ProcessCpuMs);
        Assert.True(b.JittedMethods >= a.JittedMethods);
        Assert.Equal(Environment.CurrentManagedThreadId, a.ThreadId);
        var lines = timeline.Format().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^ *\d+ ms wall, +\d+ ms CPU, +\d+ methods jitted in +\d+ ms, thread +\d+: b$", lines[1]);
    }

    [Fact]
    public void Marks_beyond_the_capacity_are_dropped()
    {
        var timeline = new StartupTimeline();
        for (var i = 0; i < StartupTimeline.Capacity + 10; i++)
        {
            timeline.Mark($"phase {i}");
        }

        Assert.Equal(StartupTimeline.Capacity, timeline.Marks.Count);
        Assert.Equal($"phase {StartupTimeline.Capacity - 1}", timeline.Marks[^1].Phase);
    }
}
