using System.Net;
using System.Text;
using BoneMetRT.Api.Tests.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace BoneMetRT.Api.Tests.Infrastructure;

/// <summary>
/// <c>BoneMetRT:LogStartupTimeline</c> logs the phases of start-up once the first request is answered (and once the
/// warm-up is done): phase names and times, the first request's method, route template and status, never request
/// data. Off by default.
/// </summary>
public sealed class StartupTimelineLogTests
{
    private const string Family = "Timelinegarnier";
    private const string Mrn = "MRN-TL-4412";

    private sealed class TimelineApiFactory : ApiFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["BoneMetRT:LogStartupTimeline"] = "true",
        };
    }

    private static WebApplicationFactory<Program> Capturing(WebApplicationFactory<Program> factory, CapturingLoggerProvider logs) =>
        factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace)));

    private static string Body() =>
        Encoding.UTF8.GetString(Wire.ValidExample("pain-uncomplicated-rib.json"))
            .Replace("Garnier", Family, StringComparison.Ordinal)
            .Replace("EX-0001", Mrn, StringComparison.Ordinal);

    private static List<string> Timelines(CapturingLoggerProvider logs, string when) =>
        [.. logs.Entries.Where(e => e.Contains($"Start-up timeline {when}", StringComparison.Ordinal))];

    [Fact]
    public async Task On_the_timeline_is_logged_once_after_the_first_request_without_request_data()
    {
        var logs = new CapturingLoggerProvider();
        using var api = new TimelineApiFactory();
        using var factory = Capturing(api, logs);
        using var client = factory.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            using var response = await Wire.PostAsync(client, "/fhir/$assess", Wire.Body(Body()));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The first request only. Its own marks are in the timeline only while the process's timeline has room (a test
        // process starts many hosts, each marking its start-up), so the header names the request.
        var timeline = Assert.Single(Timelines(logs, "after the first request"));
        Assert.Contains("after the first request (POST /fhir/$assess -> 200)", timeline, StringComparison.Ordinal);
        Assert.Matches(@"\d+ ms wall, +\d+ ms CPU, +\d+ methods jitted in +\d+ ms, thread +\d+: ", timeline);
        foreach (var secret in new[] { Family, Mrn, "Hélène", "resourceType" })
        {
            Assert.DoesNotContain(secret, timeline, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Off_by_default_nothing_is_logged()
    {
        var logs = new CapturingLoggerProvider();
        using var api = new ApiFactory();
        using var factory = Capturing(api, logs);
        using var client = factory.CreateClient();
        using var response = await Wire.PostAsync(client, "/fhir/$assess", Wire.Body(Body()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.NotEmpty(logs.Entries); // the request line is logged, so the capture works
        Assert.DoesNotContain(logs.Entries, e => e.Contains("Start-up timeline", StringComparison.Ordinal));
    }
}
