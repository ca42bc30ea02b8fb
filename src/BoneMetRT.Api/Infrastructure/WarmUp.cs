using System.Diagnostics;
using BoneMetRT.Fhir.Pipeline;

namespace BoneMetRT.Api.Infrastructure;

/// <summary>
/// Warms the $assess pipeline (validation schemas, then a made-up request) in the background as the service starts,
/// so that the first real request is fast. Does not delay start-up; validations that arrive before it has finished
/// wait for it instead of compiling the same schemas again.
/// </summary>
public sealed class WarmUp(AssessPipeline pipeline, ILogger<WarmUp> logger) : IHostedService
{
    /// <inheritdoc />
    public System.Threading.Tasks.Task StartAsync(CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        _ = pipeline.BeginWarmUp().ContinueWith(
            _ => logger.LogInformation("Warm-up done in {ElapsedMs:F0} ms", Stopwatch.GetElapsedTime(start).TotalMilliseconds),
            System.Threading.Tasks.TaskScheduler.Default);
        return System.Threading.Tasks.Task.CompletedTask;
    }

    /// <inheritdoc />
    public System.Threading.Tasks.Task StopAsync(CancellationToken cancellationToken) => System.Threading.Tasks.Task.CompletedTask;
}
