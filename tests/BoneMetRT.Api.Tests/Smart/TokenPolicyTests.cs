using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BoneMetRT.Api.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Tests.Smart;

/// <summary>
/// Which requests need a token, by environment and settings: outside Development the system- and type-level
/// <c>$assess</c> (patient data in the body) need one by default, <c>Auth:Disabled</c> is refused, and the
/// CapabilityStatement says what is in force.
/// </summary>
public sealed class TokenPolicyTests : IClassFixture<SmartHostsFixture>
{
    private const string Femur = "fracture-femur-mirels-8";
    private const string AppScopes = "launch/patient openid fhirUser patient/Observation.rs patient/Condition.rs patient/Procedure.rs";
    private static readonly (string, string) Production = ("environment", "Production");

    private readonly SmartHosts _hosts;

    public TokenPolicyTests(SmartHostsFixture fixture) => _hosts = fixture.Hosts;

    private static HttpRequestMessage Assess(string url, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Wire.Body(Wire.ValidExample(Femur + ".json")) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private static async Task<JsonElement> SecurityAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/fhir/metadata");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("rest")[0].GetProperty("security");
    }

    [Theory]
    [InlineData("/fhir/$assess")]
    [InlineData("/fhir/Patient/$assess")]
    public async Task Outside_Development_system_level_assess_needs_a_valid_token_by_default(string url)
    {
        var service = _hosts.Service(Production);

        using (var anonymous = await service.SendAsync(Assess(url, null)))
        {
            await Wire.AssertOutcomeAsync(anonymous, HttpStatusCode.Unauthorized);
            Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        }

        // Signed by another key under the same issuer name: refused as at instance level.
        var forged = await SmartHosts.TokenAsync(_hosts.NewEhr(), AppScopes, Femur);
        using (var refused = await service.SendAsync(Assess(url, forged)))
        {
            await Wire.AssertOutcomeAsync(refused, HttpStatusCode.Unauthorized);
            Assert.Contains("invalid_token", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        var token = await SmartHosts.TokenAsync(_hosts.Ehr, AppScopes, Femur);
        using var ok = await service.SendAsync(Assess(url, token));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task A_public_test_deployment_can_turn_the_token_off_and_the_CapabilityStatement_says_so()
    {
        var open = _hosts.Service(Production, ("BoneMetRT:Auth:RequireToken", "false"));
        using (var ok = await open.SendAsync(Assess("/fhir/$assess", null)))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var security = await SecurityAsync(open);
        Assert.False(security.GetProperty("cors").GetBoolean());
        Assert.Equal("SMART-on-FHIR", security.GetProperty("service")[0].GetProperty("coding")[0].GetProperty("code").GetString());
        Assert.Contains("System- and type-level $assess need no token.", security.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("ne demande pas de jeton", security.GetProperty("_description").GetRawText(), StringComparison.Ordinal);

        var closed = await SecurityAsync(_hosts.Service(Production));
        Assert.Contains("System- and type-level $assess need a valid bearer JWT", closed.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_authorization_server_the_CapabilityStatement_claims_no_SMART_security()
    {
        using var api = new ApiFactory();
        var security = await SecurityAsync(api.CreateClient());

        Assert.False(security.GetProperty("cors").GetBoolean());
        Assert.False(security.TryGetProperty("service", out _));
        Assert.StartsWith("No SMART authorization server is configured", security.GetProperty("description").GetString(), StringComparison.Ordinal);

        var disabled = await SecurityAsync(_hosts.Service(("BoneMetRT:Auth:Disabled", "true")));
        Assert.False(disabled.TryGetProperty("service", out _));
        Assert.StartsWith("Token checks are off", disabled.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Auth_disabled_stops_the_service_outside_Development()
    {
        var error = Assert.Throws<OptionsValidationException>(() => _hosts.Service(Production, ("BoneMetRT:Auth:Disabled", "true")));
        Assert.Contains("BoneMetRT:Auth:Disabled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Requiring_a_token_without_an_authorization_server_stops_the_service()
    {
        var error = Assert.Throws<OptionsValidationException>(() => _hosts.Service(Production, ("BoneMetRT:Auth:Authority", "")));
        Assert.Contains("BoneMetRT:Auth:RequireToken", error.Message, StringComparison.Ordinal);
    }
}
