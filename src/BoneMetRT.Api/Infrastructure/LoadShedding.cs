using System.Threading.RateLimiting;
using BoneMetRT.Domain;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Infrastructure;

/// <summary>
/// One process-wide gate in front of the CPU-heavy operations (<c>$assess</c> at every level, <c>$validate</c>; at
/// instance level around the pipeline only, not the reads from the FHIR server): a
/// <see cref="ConcurrencyLimiter"/> with <see cref="LoadOptions.EffectiveMaxConcurrentRequests"/> slots and a bounded
/// FIFO queue. A request that finds the queue full, or waits longer than <see cref="LoadOptions.QueueTimeoutSeconds"/>,
/// is refused with 503, <c>Retry-After</c> and an OperationOutcome through <see cref="ErrorHandling"/>. The gate sits
/// before the body is read, so a refused or waiting request costs neither CPU nor a parsed copy of its body.
/// </summary>
public sealed class CpuGate : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly LoadOptions _settings;

    /// <summary>Creates the gate from <c>BoneMetRT:Load</c>.</summary>
    public CpuGate(IOptions<BoneMetRTOptions> options)
    {
        _settings = options.Value.Load;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = _settings.EffectiveMaxConcurrentRequests,
            QueueLimit = _settings.EffectiveQueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Waits for a slot; throws the 503 when there is none to be had in time.</summary>
    public async Task<RateLimitLease> EnterAsync(CancellationToken requestAborted)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        wait.CancelAfter(TimeSpan.FromSeconds(_settings.QueueTimeoutSeconds));
        RateLimitLease lease;
        try
        {
            lease = await _limiter.AcquireAsync(1, wait.Token);
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            throw Overloaded();
        }

        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw Overloaded();
        }

        return lease;
    }

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();

    private FhirRequestException Overloaded() => new(503, OperationOutcome.IssueType.Transient,
        new LocalizedText(
            $"The service is at capacity; the request was not processed. Retry after {_settings.RetryAfterSeconds} s.",
            $"Le service est saturé ; la requête n'a pas été traitée. Réessayer dans {_settings.RetryAfterSeconds} s."))
    {
        RetryAfterSeconds = _settings.RetryAfterSeconds,
    };
}

/// <summary>Puts endpoints behind the <see cref="CpuGate"/>.</summary>
public static class LoadShedding
{
    /// <summary>The endpoint waits for a CPU slot before it runs (503 with Retry-After when none comes).</summary>
    public static RouteHandlerBuilder WithLoadShedding(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            using var lease = await http.RequestServices.GetRequiredService<CpuGate>().EnterAsync(http.RequestAborted);
            return await next(context);
        });
}
