using System.Net;
using System.Text.Json;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Domain;

namespace BoneMetRT.Api.Tests;

/// <summary>What Program.cs maps outside the FHIR base: the health check and the readiness check.</summary>
public sealed class ProgramTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Health_is_ok_with_the_engine_version()
    {
        using var client = api.CreateClient();

        using var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(EngineInfo.Version, json.RootElement.GetProperty("engine").GetString());
    }

    [Fact]
    public async Task Ready_answers_503_until_the_warm_up_is_done_then_200()
    {
        using var client = api.CreateClient();
        using var first = await client.GetAsync("/ready");
        Assert.Contains(first.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable });

        // The warm-up compiles the schemas and runs a sample request: seconds on a loaded machine, bounded here
        // generously because this is a liveness bound, not a speed target.
        var deadline = DateTime.UtcNow.AddMinutes(3);
        var status = first.StatusCode;
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            await Task.Delay(100);
            using var again = await client.GetAsync("/ready");
            status = again.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, status);
    }
}
