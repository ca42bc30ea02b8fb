using System.Diagnostics;
using Microsoft.AspNetCore.Routing;

namespace BoneMetRT.Api.Infrastructure;

/// <summary>
/// One log line per request with its timing. Only the method, the route template (never the raw path, which may hold
/// a patient id), the status and the duration are logged: no query string, no body, no header — no patient data.
/// </summary>
public static class RequestLogging
{
    /// <summary>Installs the request logger.</summary>
    public static IApplicationBuilder UseRequestTiming(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("BoneMetRT.Requests");
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("{Method} {Route} -> {Status} in {ElapsedMs:F1} ms",
                    context.Request.Method, RouteOf(context), context.Response.StatusCode, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }
    });

    /// <summary>The matched route template, or a placeholder for unmatched requests.</summary>
    public static string RouteOf(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(unmatched)";
}
