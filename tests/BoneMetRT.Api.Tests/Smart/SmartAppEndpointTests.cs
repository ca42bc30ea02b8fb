using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace BoneMetRT.Api.Tests.Smart;

/// <summary>The SMART app's files and settings as the service serves them.</summary>
public sealed class SmartAppEndpointTests : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly WebApplicationFactory<Program> _factory;

    public SmartAppEndpointTests(WebApplicationFactory<Program> factory) => _factory = factory;

    [Theory]
    [InlineData("/app/", "src=\"app.js\"")]
    [InlineData("/app/index.html", "src=\"app.js\"")]
    [InlineData("/app/launch.html", "src=\"launch.js\"")]
    [InlineData("/app/guideline.html", "id=\"s8\"")]
    public async Task The_pages_are_served_with_a_content_security_policy(string path, string expected)
    {
        var response = await _factory.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task App_without_a_slash_redirects_to_the_folder()
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync("/app");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/app/", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task The_bundles_are_served_and_a_missing_file_is_an_OperationOutcome()
    {
        var client = _factory.CreateClient();
        foreach (var js in new[] { "/app/app.js", "/app/launch.js" })
        {
            var response = await client.GetAsync(js);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        }

        var missing = await client.GetAsync("/app/nope.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("OperationOutcome", JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement.GetProperty("resourceType").GetString());
    }

    [Fact]
    public async Task Config_gives_the_registration_and_minimal_read_scopes_by_default()
    {
        var json = JsonDocument.Parse(await _factory.CreateClient().GetStringAsync("/app/config.json")).RootElement;
        Assert.Equal("bonemetrt", json.GetProperty("clientId").GetString());
        Assert.Equal("launch/patient openid fhirUser patient/Observation.rs patient/Condition.rs patient/Procedure.rs", json.GetProperty("scope").GetString());
        Assert.False(json.GetProperty("writeBack").GetBoolean());
        Assert.Equal("/fhir/$assess", json.GetProperty("assessUrl").GetString());
    }
}
