using System.Net;
using System.Net.Http.Headers;
using BoneMetRT.Api.Tests.Smart;
using BoneMetRT.Api.Tests.TestSupport;

namespace BoneMetRT.Api.Tests.Cpg;

/// <summary><c>$apply</c> carries patient data, so outside Development it needs a valid token exactly as <c>$assess</c> does.</summary>
public sealed class ApplyTokenTests : IClassFixture<SmartHostsFixture>
{
    private const string Femur = "fracture-femur-mirels-8";
    private const string AppScopes = "launch/patient openid fhirUser patient/Observation.rs patient/Condition.rs patient/Procedure.rs";
    private readonly SmartHosts _hosts;

    /// <summary>Uses the shared test EHR and its authorization server.</summary>
    public ApplyTokenTests(SmartHostsFixture fixture) => _hosts = fixture.Hosts;

    private static HttpRequestMessage Apply(string url, string? token)
    {
        var body = BoneMetRT.Fhir.FhirSerialization.Serialize(ApplyAgreementTests.ApplyRequest(Femur + ".json"), BoneMetRT.Fhir.FhirFormat.Json);
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Wire.Body(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    [Theory]
    [InlineData("/fhir/PlanDefinition/bone-metastasis-radiotherapy/$apply", HttpStatusCode.OK)]
    // Type level without url: past the token check, the parameter error.
    [InlineData("/fhir/PlanDefinition/$apply", HttpStatusCode.UnprocessableEntity)]
    public async Task Outside_Development_apply_needs_a_valid_token(string url, HttpStatusCode withValidToken)
    {
        var service = _hosts.Service(("environment", "Production"));

        using (var anonymous = await service.SendAsync(Apply(url, null)))
        {
            await Wire.AssertOutcomeAsync(anonymous, HttpStatusCode.Unauthorized);
            Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        }

        var token = await SmartHosts.TokenAsync(_hosts.Ehr, AppScopes, Femur);
        using var withToken = await service.SendAsync(Apply(url, token));
        Assert.Equal(withValidToken, withToken.StatusCode);
    }
}
