using System.Net;
using System.Text.Json;
using BoneMetRT.Api.Tests.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Tests.Infrastructure;

/// <summary>
/// Response headers: FHIR answers (successes and errors) <c>nosniff</c> and <c>no-store</c>; the app's CSP without
/// wildcards, <c>connect-src</c> the allowed EHRs, <c>frame-ancestors</c> configurable (default none); HSTS over HTTPS.
/// </summary>
public sealed class SecurityHeadersTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static void AssertFhirHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Headers.CacheControl}");
    }

    private static string Csp(HttpResponseMessage response) => response.Headers.GetValues("Content-Security-Policy").Single();

    private static string Directive(string csp, string name) =>
        csp.Split(';', StringSplitOptions.TrimEntries).Single(d => d.StartsWith(name + " ", StringComparison.Ordinal))[(name.Length + 1)..];

    [Fact]
    public async Task FHIR_answers_are_neither_stored_nor_sniffed_whatever_their_status()
    {
        var client = api.CreateClient();

        using (var metadata = await Wire.GetAsync(client, "/fhir/metadata"))
        {
            Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
            AssertFhirHeaders(metadata);
        }

        using (var assessed = await Wire.PostAsync(client, "/fhir/$assess", Wire.Body(Wire.ValidExample("fracture-femur-mirels-8.json"))))
        {
            Assert.Equal(HttpStatusCode.OK, assessed.StatusCode);
            AssertFhirHeaders(assessed);
        }

        // Errors pass through the error handler, which clears the response: the headers are still there.
        using (var unsupported = await Wire.PostAsync(client, "/fhir/$assess", Wire.Body("{}", "text/plain")))
        {
            await Wire.AssertOutcomeAsync(unsupported, HttpStatusCode.UnsupportedMediaType);
            AssertFhirHeaders(unsupported);
        }

        using var missing = await Wire.GetAsync(client, "/fhir/Nothing/here/at/all");
        await Wire.AssertOutcomeAsync(missing, HttpStatusCode.NotFound);
        AssertFhirHeaders(missing);
    }

    [Theory]
    [InlineData("/app/launch.html")]
    [InlineData("/app/index.html")]
    [InlineData("/app/app.js")]
    [InlineData("/app/config.json")]
    public async Task The_app_has_a_CSP_without_wildcards_naming_the_allowed_EHRs_and_no_framing(string path)
    {
        using var factory = api.WithWebHostBuilder(b =>
        {
            b.UseSetting("BoneMetRT:FhirServer:BaseUrl", "https://ehr.example.org/fhir/r4");
            b.UseSetting("BoneMetRT:SmartApp:AllowedEhrs", "https://ehr.example.org/fhir/r4 https://other-ehr.example.net:8443/api/fhir/");
            b.UseSetting("BoneMetRT:SmartApp:ConnectOrigins", "https://login.example.org");
        });

        using var response = await factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = Csp(response);
        Assert.DoesNotContain("*", csp, StringComparison.Ordinal);
        Assert.Equal("'self' https://ehr.example.org https://other-ehr.example.net:8443 https://login.example.org", Directive(csp, "connect-src"));
        Assert.Equal("'none'", Directive(csp, "frame-ancestors"));
        Assert.Equal("'self'", Directive(csp, "script-src"));
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task An_EHR_that_embeds_apps_can_be_allowed_to_frame_it()
    {
        using var factory = api.WithWebHostBuilder(b => b.UseSetting("BoneMetRT:SmartApp:FrameAncestors", "https://ehr.example.org"));

        using var response = await factory.CreateClient().GetAsync("/app/launch.html");

        Assert.Equal("https://ehr.example.org", Directive(Csp(response), "frame-ancestors"));
        Assert.False(response.Headers.Contains("X-Frame-Options"));
    }

    [Theory]
    [InlineData("BoneMetRT:SmartApp:FrameAncestors", "*")]
    [InlineData("BoneMetRT:SmartApp:FrameAncestors", "https://*.example.org")]
    [InlineData("BoneMetRT:SmartApp:FrameAncestors", "'none' https://ehr.example.org")]
    [InlineData("BoneMetRT:SmartApp:ConnectOrigins", "https://login.example.org/path")]
    [InlineData("BoneMetRT:SmartApp:AllowedEhrs", "ehr.example.org/fhir")]
    public void A_wildcard_or_malformed_origin_stops_the_service(string key, string value)
    {
        using var factory = api.WithWebHostBuilder(b => b.UseSetting(key, value));

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_app_config_lists_the_allowed_EHRs()
    {
        using var factory = api.WithWebHostBuilder(b => b.UseSetting("BoneMetRT:FhirServer:BaseUrl", "https://ehr.example.org/fhir/"));

        using var response = await factory.CreateClient().GetAsync("/app/config.json");

        Assert.True(response.Headers.CacheControl?.NoStore);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["https://ehr.example.org/fhir"], json.GetProperty("allowedEhrs").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task HSTS_is_sent_over_HTTPS_outside_Development_only()
    {
        using var https = await api.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://bonemetrt.example.org") }).GetAsync("/fhir/metadata");
        Assert.StartsWith("max-age=", https.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);

        using var http = await api.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://bonemetrt.example.org") }).GetAsync("/fhir/metadata");
        Assert.False(http.Headers.Contains("Strict-Transport-Security"));

        using var development = api.WithWebHostBuilder(b => b.UseEnvironment("Development"));
        using var dev = await development.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://bonemetrt.example.org") }).GetAsync("/fhir/metadata");
        Assert.False(dev.Headers.Contains("Strict-Transport-Security"));
    }
}
