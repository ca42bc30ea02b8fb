using System.Net;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Hosting;

namespace BoneMetRT.Api.Tests.Infrastructure;

/// <summary>Settings of section <c>BoneMetRT</c>: the base path moves every FHIR endpoint, not /health.</summary>
public sealed class BoneMetRTOptionsTests(CustomBasePathApiFactory api) : IClassFixture<CustomBasePathApiFactory>
{
    private const string Base = CustomBasePathApiFactory.BasePath;
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Assess_moves_to_the_configured_base_path()
    {
        const string file = "mscc-breast-rades-group-3.json";

        using var response = await Wire.PostAsync(_client, Base + "/$assess", Wire.Body(Wire.ValidExample(file)));

        var bundle = Assert.IsType<Bundle>(await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json));
        Golden.AssertMatches(ExampleCatalog.ValidFolder, file, bundle);
    }

    [Theory]
    [InlineData("/metadata", typeof(CapabilityStatement))]
    [InlineData("/OperationDefinition/assess", typeof(OperationDefinition))]
    public async Task Conformance_moves_to_the_configured_base_path(string path, Type type)
    {
        using var response = await Wire.GetAsync(_client, Base + path);

        Assert.IsType(type, await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json));
    }

    [Fact]
    public async Task Validate_moves_to_the_configured_base_path()
    {
        using var response = await Wire.PostAsync(_client, Base + "/Patient/$validate", Wire.Body("""{"resourceType":"Patient","id":"p1"}"""));

        Assert.IsType<OperationOutcome>(await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json));
    }

    [Theory]
    [InlineData("POST", "/fhir/$assess")]
    [InlineData("GET", "/fhir/metadata")]
    [InlineData("GET", "/fhir/OperationDefinition/assess")]
    public async Task The_default_base_path_is_gone(string method, string url)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method == "POST")
        {
            request.Content = Wire.Body(Wire.ValidExample("mscc-breast-rades-group-3.json"));
        }

        using var response = await _client.SendAsync(request);

        await Wire.AssertOutcomeAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/", "/metadata")]
    [InlineData("api/r4", "/api/r4/metadata")]
    [InlineData("/api/r4/", "/api/r4/metadata")]
    public async Task Base_path_is_read_with_or_without_slashes(string basePath, string metadata)
    {
        using var factory = api.WithWebHostBuilder(b => b.UseSetting("BoneMetRT:BasePath", basePath));
        using var client = factory.CreateClient();

        using var response = await Wire.GetAsync(client, metadata);

        Assert.IsType<CapabilityStatement>(await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json));
    }

    [Fact]
    public async Task Health_stays_at_the_root()
    {
        using var response = await _client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
