using System.Diagnostics;

namespace BoneMetRT.Fhir;

/// <summary>
/// One phase of start-up reached: its name, when (since the process started), the process's CPU time so far, how many
/// methods the JIT had compiled and for how long, and the thread.
/// </summary>
/// <param name="Phase">What was reached, e.g. "package parsed". Never holds request data.</param>
/// <param name="SinceProcessStartMs">Wall time since the operating system started the process, in milliseconds.</param>
/// <param name="ProcessCpuMs">CPU time (user + system) the whole process had used by then, in milliseconds.</param>
/// <param name="JittedMethods">Methods the JIT had compiled so far (all threads; precompiled ReadyToRun code is not counted).</param>
/// <param name="JitMs">Time spent in the JIT so far (all threads), in milliseconds.</param>
/// <param name="ThreadId">The managed thread that reached it.</param>
public sealed record StartupMark(string Phase, double SinceProcessStartMs, double ProcessCpuMs, long JittedMethods, double JitMs, int ThreadId);

/// <summary>
/// The phases of a process's start-up (loading the package and the core definitions, compiling schemas, the warm-up,
/// the first request), each with its wall and CPU time since the process started and the JIT's work so far, so that
/// cold start can be measured phase by phase in the published service (<c>BoneMetRT:LogStartupTimeline</c> logs
/// <see cref="Process"/>) and in benchmarks. Recording is cheap (a few dozen marks, then nothing), so it is always on;
/// only the logging is a setting.
/// </summary>
public sealed class StartupTimeline
{
    /// <summary>Marks kept at most: start-up has a few dozen phases; later marks are dropped.</summary>
    public const int Capacity = 64;

    private readonly Lock _gate = new();
    private readonly List<StartupMark> _recorded = [];
    private readonly long _originTimestamp = Stopwatch.GetTimestamp();
    private readonly double _originSinceProcessStartMs;
    private int _count;

    /// <summary>A timeline whose times count from now plus <paramref name="originSinceProcessStartMs"/>.</summary>
    public StartupTimeline(double originSinceProcessStartMs = 0) => _originSinceProcessStartMs = originSinceProcessStartMs;

    /// <summary>The process's timeline, whose times count from the operating system's start of the process.</summary>
    public static StartupTimeline Process { get; } = new(SinceProcessStart());

    /// <summary>Records that <paramref name="phase"/> was reached now (ignored once <see cref="Capacity"/> marks are kept).</summary>
    public void Mark(string phase)
    {
        if (Volatile.Read(ref _count) >= Capacity)
        {
            return; // start-up is over: nothing more to record, and nothing to compute
        }

        var at = _originSinceProcessStartMs + Stopwatch.GetElapsedTime(_originTimestamp).TotalMilliseconds;
        var cpu = Environment.CpuUsage.TotalTime.TotalMilliseconds;
        lock (_gate)
        {
            if (_recorded.Count < Capacity)
            {
                _recorded.Add(new StartupMark(phase, at, cpu, System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds, Environment.CurrentManagedThreadId));
                _count = _recorded.Count;
            }
        }
    }

    /// <summary>The marks recorded so far, in the order they were recorded.</summary>
    public IReadOnlyList<StartupMark> Marks
    {
        get
        {
            lock (_gate)
            {
                return [.. _recorded];
            }
        }
    }

    /// <summary>The marks as one line each ("  312 ms wall,    420 ms CPU,   1200 methods jitted in   150 ms, thread  4: package parsed").</summary>
    public string Format() =>
        string.Join('\n', Marks.Select(m => $"{m.SinceProcessStartMs,7:F0} ms wall, {m.ProcessCpuMs,6:F0} ms CPU, {m.JittedMethods,6} methods jitted in {m.JitMs,5:F0} ms, thread {m.ThreadId,2}: {m.Phase}"));

    // The operating system's start time of the process is read once; everything after is a monotonic stopwatch. If the
    // start time cannot be read, times count from the first use of the process's timeline.
    private static double SinceProcessStart()
    {
        try
        {
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            return Math.Max(0, (DateTime.Now - self.StartTime).TotalMilliseconds);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            return 0;
        }
    }
}
