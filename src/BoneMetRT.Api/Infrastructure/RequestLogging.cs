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
    public static IApplicationBuilder UseRequestTiming(this IApplicationBuilder app)
    {
        // One logger for the service's lifetime: the factory takes a lock to find a category's logger, once per
        // request before, which every concurrent request then queued on.
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("BoneMetRT.Requests");
        return app.Use(async (context, next) => await Timed(context, next, logger));
    }

    private static async Task Timed(HttpContext context, Func<Task> next, ILogger logger)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next();
        }
        finally
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("{Method} {Route} -> {Status} in {ElapsedMs:F1} ms",
                    context.Request.Method, RouteOf(context), context.Response.StatusCode, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }
    }

    /// <summary>The matched route template, or a placeholder for unmatched requests.</summary>
    public static string RouteOf(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(unmatched)";
}
