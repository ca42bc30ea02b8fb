using System.Runtime.CompilerServices;
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
    /// <summary>
    /// Marks the first request of this host (its start, and its end with method, route template and status only) and
    /// logs the timeline after it.
    /// </summary>
    public static IApplicationBuilder UseStartupTimeline(this IApplicationBuilder app)
    {
        var first = new StrongBox<int>(); // per host: a process may run several (the API tests do)
        return app.Use((context, next) => Interlocked.Exchange(ref first.Value, 1) == 0 ? First(context, next) : next(context));
    }

    private static async Task First(HttpContext context, RequestDelegate next)
    {
        StartupTimeline.Process.Mark("first request: received");
        try
        {
            await next(context);
        }
        finally
        {
            var request = $"{context.Request.Method} {RequestLogging.RouteOf(context)} -> {context.Response.StatusCode}";
            StartupTimeline.Process.Mark($"first request: answered {request}");
            Write(context.RequestServices, $"after the first request ({request})");
        }
    }

    /// <summary>Logs the timeline so far, if <c>BoneMetRT:LogStartupTimeline</c> is on.</summary>
    public static void Write(IServiceProvider services, string when)
    {
        if (services.GetRequiredService<IOptions<BoneMetRTOptions>>().Value.LogStartupTimeline)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger("BoneMetRT.Startup")
                .LogInformation("Start-up timeline {When}:\n{Timeline}", when, StartupTimeline.Process.Format());
        }
    }
}
