using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace BoneMetRT.Api.Tests.CdsHooks;

/// <summary>The CDS client's JWT (CDS Hooks 2.0 §Trusting CDS Clients): issuer, signature, audience, lifetime, replay.</summary>
public sealed class CdsClientAuthTests(CdsAuthApiFactory factory) : IClassFixture<CdsAuthApiFactory>
{
    private const string Path = "/cds-services/bonemetrt-patient-view";
    private const string Audience = "http://localhost" + Path;

    private static JsonObject Body()
    {
        var (patient, chart) = CdsCalls.Chart("pain-uncomplicated-rib.json");
        return CdsCalls.Call("patient-view", patient, CdsCalls.Prefetch(chart));
    }

    private async Task<string> RefusedAsync(string? jwt)
    {
        var response = await CdsCalls.PostAsync(factory.CreateClient(), Path, Body(), jwt);
        var text = await CdsCalls.RefusedAsync(response, 401);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        return text;
    }

    [Fact]
    public async Task Without_a_token_the_call_is_refused() =>
        Assert.Contains("JWT", await RefusedAsync(null), StringComparison.Ordinal);

    [Fact]
    public async Task A_token_that_is_not_a_JWT_is_refused() => await RefusedAsync("not-a-jwt");

    [Fact]
    public async Task An_untrusted_issuer_is_refused() =>
        Assert.Contains("iss", await RefusedAsync(CdsClientKeys.Trusted.Token(Audience, issuer: "https://other-ehr.example.org")), StringComparison.Ordinal);

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused() =>
        Assert.Contains("signature", await RefusedAsync(CdsClientKeys.Other.Token(Audience)), StringComparison.Ordinal);

    [Fact]
    public async Task A_token_for_another_service_URL_is_refused()
    {
        Assert.Contains("aud", await RefusedAsync(CdsClientKeys.Trusted.Token("http://localhost/cds-services/bonemetrt-order-sign")), StringComparison.Ordinal);
        await RefusedAsync(CdsClientKeys.Trusted.Token("https://elsewhere.example.org/cds-services/bonemetrt-patient-view"));
    }

    [Fact]
    public async Task An_expired_token_is_refused() =>
        Assert.Contains("expired", await RefusedAsync(CdsClientKeys.Trusted.Token(Audience, issuedAgo: TimeSpan.FromMinutes(10), lifetime: TimeSpan.FromMinutes(5))), StringComparison.Ordinal);

    [Fact]
    public async Task A_token_living_longer_than_five_minutes_is_refused() =>
        await RefusedAsync(CdsClientKeys.Trusted.Token(Audience, lifetime: TimeSpan.FromHours(1)));

    [Fact]
    public async Task A_replayed_jti_is_refused()
    {
        var jti = Guid.NewGuid().ToString();
        var first = await CdsCalls.PostAsync(factory.CreateClient(), Path, Body(), CdsClientKeys.Trusted.Token(Audience, jti: jti));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("jti", await RefusedAsync(CdsClientKeys.Trusted.Token(Audience, jti: jti)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hook_call_is_audited_with_its_client_and_patient_apart_from_the_request_log()
    {
        var logs = new TestSupport.CapturingLoggerProvider();
        using var audited = factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        var (patient, _) = CdsCalls.Chart("pain-uncomplicated-rib.json");

        var response = await CdsCalls.PostAsync(audited.CreateClient(), Path, Body(), CdsClientKeys.Trusted.Token(Audience));
        await CdsCalls.OkAsync(response);

        var audit = Assert.Single(logs.Entries, e => e.StartsWith("BoneMetRT.Audit ", StringComparison.Ordinal));
        Assert.Contains($"Patient/{patient}", audit, StringComparison.Ordinal);
        Assert.Contains(CdsClientKeys.Issuer, audit, StringComparison.Ordinal);
        Assert.Contains("HTTP 200", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Entries, e => !e.StartsWith("BoneMetRT.Audit ", StringComparison.Ordinal) && e.Contains(patient, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_valid_token_RS384_or_ES384_is_accepted(bool ec)
    {
        var response = await CdsCalls.PostAsync(factory.CreateClient(), Path, Body(), CdsClientKeys.Trusted.Token(Audience, ec: ec));
        var body = await CdsCalls.OkAsync(response);
        Assert.NotEmpty(body.GetProperty("cards").EnumerateArray());
    }

    [Fact]
    public async Task Feedback_needs_a_token_for_the_feedback_URL()
    {
        var feedback = JsonNode.Parse("""{"feedback":[{"card":"4f8b2a56-8bd2-4d5f-9a47-0f6f1a1a6c11","outcome":"accepted","acceptedSuggestions":[{"id":"e56e1945-20b3-4393-8503-a1a20fd73152"}],"outcomeTimestamp":"2026-03-16T12:00:00Z"}]}""")!;
        var url = Path + "/feedback";
        await CdsCalls.RefusedAsync(await CdsCalls.PostAsync(factory.CreateClient(), url, feedback), 401);
        await CdsCalls.RefusedAsync(await CdsCalls.PostAsync(factory.CreateClient(), url, feedback, CdsClientKeys.Trusted.Token(Audience)), 401);
        var ok = await CdsCalls.PostAsync(factory.CreateClient(), url, feedback, CdsClientKeys.Trusted.Token("http://localhost" + url));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Discovery_is_open()
    {
        var response = await factory.CreateClient().GetAsync("/cds-services");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
