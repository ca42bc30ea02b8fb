using BoneMetRT.Api.Features.Smart;

namespace BoneMetRT.Api.Infrastructure;

/// <summary>Installs the <see cref="AuditTrail"/>.</summary>
public static class AuditTrailMiddleware
{
    /// <summary>Installs the audit; call outside the error handler so that it sees the final status.</summary>
    public static IApplicationBuilder UseAuditTrail(this IApplicationBuilder app, string basePath) => app.Use(async (context, next) =>
    {
        // Wall-clock time: the TimeProvider service is the engine's clock (assessment dates), not the audit's.
        var start = DateTimeOffset.UtcNow;
        try
        {
            await next(context);
        }
        finally
        {
            var audited = context.GetEndpoint()?.Metadata.GetMetadata<AuditedEndpoint>() is not null;
            var underBase = SecurityHeaders.IsUnderBase(context.Request, basePath);
            if (audited || (underBase && SmartAuth.BearerOf(context.Request) is not null))
            {
                await context.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(context, start);
            }
        }
    });
}
