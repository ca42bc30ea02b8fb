using System.Diagnostics;
using BoneMetRT.Fhir.Pipeline;

namespace BoneMetRT.Api.Infrastructure;

/// <summary>
/// Warms the $assess pipeline (validation schemas, then a made-up request) in the background as the service starts,
/// so that the first real request is fast. Does not delay start-up; validations that arrive before it has finished
/// wait for it instead of compiling the same schemas again. <see cref="IsDone"/> answers <c>/ready</c>, so that a load
/// balancer (a Kubernetes readiness probe) sends requests only to instances that are warm.
/// </summary>
public sealed class WarmUp(AssessPipeline pipeline, ILogger<WarmUp> logger, IServiceProvider services) : IHostedService
{
    private volatile bool _done;

    /// <summary>True once the warm-up has finished (successfully or not: a failed warm-up only costs the first requests time).</summary>
    public bool IsDone => _done;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        BoneMetRT.Fhir.StartupTimeline.Process.Mark("warm-up: started");
        _ = pipeline.BeginWarmUp().ContinueWith(
            _ =>
            {
                _done = true;
                logger.LogInformation("Warm-up done in {ElapsedMs:F0} ms", Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                StartupLog.Write(services, "when the warm-up was done");
            },
            System.Threading.Tasks.TaskScheduler.Default);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
