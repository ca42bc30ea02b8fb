using BoneMetRT.Fhir;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Infrastructure;

/// <summary>
/// Marks the host's own start-up phases and the first request in <see cref="StartupTimeline"/>, and logs the timeline
/// when <c>BoneMetRT:LogStartupTimeline</c> is on: when the warm-up is done and when the first request has been
/// answered. The timeline holds phase names and times only, never request data.
/// </summary>
public static class StartupLog
{
    private static int s_firstRequest;

    /// <summary>Marks the first request's start and end (method and route template only) and logs the timeline after it.</summary>
    public static IApplicationBuilder UseStartupTimeline(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (Interlocked.Exchange(ref s_firstRequest, 1) != 0)
        {
            await next(context);
            return;
        }

        StartupTimeline.Mark("first request: received");
        try
        {
            await next(context);
        }
        finally
        {
            StartupTimeline.Mark($"first request: answered {context.Request.Method} {RequestLogging.RouteOf(context)} -> {context.Response.StatusCode}");
            Write(context.RequestServices, "after the first request");
        }
    });

    /// <summary>Logs the timeline so far, if <c>BoneMetRT:LogStartupTimeline</c> is on.</summary>
    public static void Write(IServiceProvider services, string when)
    {
        if (services.GetRequiredService<IOptions<BoneMetRTOptions>>().Value.LogStartupTimeline)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger("BoneMetRT.Startup")
                .LogInformation("Start-up timeline {When}:\n{Timeline}", when, StartupTimeline.Format());
        }
    }
}
