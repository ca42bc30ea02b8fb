using System.Net;
using BoneMetRT.Api.Infrastructure;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Tests.Infrastructure;

/// <summary>
/// Load shedding at a small scale: one slot and no queue, the slot held, and the other requests refused at once with 503, <c>Retry-After</c> and an OperationOutcome; the service then answers normally.
/// Also the cap on Bundle entries and the checks of the settings.
/// </summary>
public sealed class LoadSheddingTests
{
    private const string Example = "mscc-breast-rades-group-3.json";

    /// <summary>The service with one slot for the CPU-heavy operations and the given queue.</summary>
    private sealed class OneSlotFactory(int queue, int queueTimeoutSeconds = 300, int maxEntries = 1000) : ApiFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["BoneMetRT:Load:MaxConcurrentRequests"] = "1",
            ["BoneMetRT:Load:QueueLimit"] = queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BoneMetRT:Load:QueueTimeoutSeconds"] = queueTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BoneMetRT:Load:RetryAfterSeconds"] = "7",
            ["BoneMetRT:MaxBundleEntries"] = maxEntries.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static Task<HttpResponseMessage> ProbeAsync(HttpClient client, string url) =>
        Wire.PostAsync(client, url, Wire.Body("""{"resourceType":"Patient","id":"p1"}"""));

    [Fact]
    public async Task Beyond_the_slots_and_the_queue_requests_get_503_with_Retry_After_and_the_service_recovers()
    {
        using var factory = new OneSlotFactory(queue: 0);
        using var client = factory.CreateClient();
        // The only slot is taken, as a long request would take it: through the same gate the endpoints use.
        var lease = await factory.Services.GetRequiredService<CpuGate>().EnterAsync(CancellationToken.None);

        using (var refused = await ProbeAsync(client, "/fhir/Patient/$validate"))
        {
            Assert.Equal(TimeSpan.FromSeconds(7), refused.Headers.RetryAfter?.Delta);
            var issue = Assert.Single(await Wire.AssertOutcomeAsync(refused, HttpStatusCode.ServiceUnavailable));
            Assert.Equal(OperationOutcome.IssueType.Transient, issue.Code);
            Assert.Contains("Retry after 7 s", issue.Details!.Text, StringComparison.Ordinal);
        }

        // Concurrent requests on every CPU-heavy endpoint are all refused at once.
        var urls = new[] { "/fhir/$assess", "/fhir/Patient/$assess", "/fhir/$validate", "/fhir/Patient/$validate" };
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Wire.PostAsync(client, urls[i % urls.Length], Wire.Body(Wire.ValidExample(Example))))).WaitAsync(TimeSpan.FromSeconds(60));
        foreach (var response in concurrent)
        {
            Assert.NotNull(response.Headers.RetryAfter);
            await Wire.AssertOutcomeAsync(response, HttpStatusCode.ServiceUnavailable);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Post, "/fhir/$validate") { Content = Wire.Body("""{"resourceType":"Patient"}""") })
        {
            request.Headers.AcceptLanguage.ParseAdd("fr");
            using var french = await client.SendAsync(request);
            var issue = Assert.Single(await Wire.AssertOutcomeAsync(french, HttpStatusCode.ServiceUnavailable));
            Assert.Contains("Le service est saturé", issue.Details!.Text, StringComparison.Ordinal);
        }

        // Cheap endpoints are not behind the gate.
        using (var metadata = await Wire.GetAsync(client, "/fhir/metadata"))
        {
            Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        }

        // Once the slot is free, the service answers normally.
        lease.Dispose();
        using var after = await Wire.PostAsync(client, "/fhir/$assess", Wire.Body(Wire.ValidExample(Example)));
        Assert.IsType<Bundle>(await Wire.ReadAsync(after, HttpStatusCode.OK, FhirFormat.Json));
        using var validated = await ProbeAsync(client, "/fhir/Patient/$validate");
        Assert.Equal(HttpStatusCode.OK, validated.StatusCode);
    }

    [Fact]
    public async Task A_queued_request_is_served_when_the_slot_frees_and_refused_after_the_queue_timeout()
    {
        using var factory = new OneSlotFactory(queue: 1, queueTimeoutSeconds: 1);
        using var client = factory.CreateClient();
        var gate = factory.Services.GetRequiredService<CpuGate>();
        var lease = await gate.EnterAsync(CancellationToken.None);

        // Queued behind the held slot for the 1 s timeout, then refused.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using (var timedOut = await ProbeAsync(client, "/fhir/$validate"))
        {
            await Wire.AssertOutcomeAsync(timedOut, HttpStatusCode.ServiceUnavailable);
            Assert.NotNull(timedOut.Headers.RetryAfter);
        }

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"refused after {watch.Elapsed}, before the queue timeout");

        // A queued request that gets the slot in time is served.
        var queued = ProbeAsync(client, "/fhir/Patient/$validate");
        await Task.Delay(200);
        lease.Dispose();
        using var served = await queued.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Theory]
    [InlineData("/fhir/$assess")]
    [InlineData("/fhir/$validate")]
    public async Task A_Bundle_over_the_entry_limit_is_413_naming_the_limit(string url)
    {
        using var factory = new OneSlotFactory(queue: 8, maxEntries: 5);
        using var client = factory.CreateClient();
        var parameters = (Parameters)Wire.ParseValidExample(Example);
        var data = (Bundle)parameters.Parameter[0].Resource!;
        Assert.True(data.Entry.Count > 5, $"{data.Entry.Count} entries");

        using var response = await Wire.PostAsync(client, url, Wire.Body(Wire.ValidExample(Example)));

        var issue = Assert.Single(await Wire.AssertOutcomeAsync(response, HttpStatusCode.RequestEntityTooLarge));
        Assert.Equal(OperationOutcome.IssueType.TooCostly, issue.Code);
        Assert.Contains("the limit is 5", issue.Details!.Text, StringComparison.Ordinal);
        Assert.Equal(["Parameters.parameter[0].resource"], issue.Expression);

        // A Bundle within the limit is processed.
        data.Entry.RemoveRange(5, data.Entry.Count - 5);
        using var small = await Wire.PostAsync(client, "/fhir/$validate", Wire.Body(FhirSerialization.ToText(data, FhirFormat.Json)));
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
    }

    [Theory]
    [InlineData("BoneMetRT:Load:MaxConcurrentRequests", "0")]
    [InlineData("BoneMetRT:Load:QueueLimit", "-1")]
    [InlineData("BoneMetRT:Load:QueueTimeoutSeconds", "0")]
    [InlineData("BoneMetRT:MaxBundleEntries", "0")]
    [InlineData("BoneMetRT:MaxRequestBytes", "-5")]
    [InlineData("BoneMetRT:FhirServer:BaseUrl", "ftp://ehr.example.org/fhir")]
    [InlineData("BoneMetRT:FhirServer:MaxReadBytes", "0")]
    [InlineData("BoneMetRT:Auth:Algorithms", "HS256")]
    [InlineData("BoneMetRT:Auth:Algorithms", "RS256 none")]
    [InlineData("BoneMetRT:Audit:Sink", "syslog")]
    [InlineData("BoneMetRT:Audit:Sink", "file")]
    public void A_wrong_setting_stops_the_service_at_start_naming_the_key(string key, string value)
    {
        using var factory = new ApiFactory().WithWebHostBuilder(b => b.UseSetting(key, value));

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
