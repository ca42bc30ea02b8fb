using System.Net;
using System.Text.Json;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Domain;

namespace BoneMetRT.Api.Tests;

/// <summary>What Program.cs maps outside the FHIR base: the health check.</summary>
public sealed class ProgramTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async System.Threading.Tasks.Task Health_is_ok_with_the_engine_version()
    {
        using var client = api.CreateClient();

        using var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(EngineInfo.Version, json.RootElement.GetProperty("engine").GetString());
    }
}
