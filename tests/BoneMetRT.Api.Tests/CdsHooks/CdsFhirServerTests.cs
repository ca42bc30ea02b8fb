using System.Text.Json;
using BoneMetRT.Api.Features.Smart;
using BoneMetRT.Api.Infrastructure;
using BoneMetRT.Api.Tests.Smart;
using BoneMetRT.TestEhr;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BoneMetRT.Api.Tests.CdsHooks;

/// <summary>
/// patient-view without prefetch: the service reads the chart from the call's <c>fhirServer</c> (the sandbox test EHR, with
/// its paging of 3) with the call's <c>fhirAuthorization</c> token, and gives the same cards as from prefetch.
/// </summary>
public sealed class CdsFhirServerTests : IClassFixture<SmartHostsFixture>, IDisposable
{
    private const string Scopes = "launch/patient openid fhirUser patient/Patient.rs patient/Condition.rs patient/Observation.rs patient/Procedure.rs";
    private readonly SmartHosts _hosts;
    private readonly WebApplicationFactory<Program> _service;
    private readonly CdsApiFactory _prefetchService = new();

    public CdsFhirServerTests(SmartHostsFixture fixture)
    {
        _hosts = fixture.Hosts;
        _service = _prefetchService.WithWebHostBuilder(b =>
        {
            b.UseSetting("BoneMetRT:FhirServer:BaseUrl", SmartHosts.FhirBase);
            b.UseSetting("BoneMetRT:Auth:RequireToken", "false");
            b.ConfigureTestServices(s => s.AddHttpClient<FhirServerClient>().ConfigurePrimaryHttpMessageHandler(() => _hosts.Ehr.Server.CreateHandler()));
        });
    }

    public void Dispose()
    {
        _service.Dispose();
        _prefetchService.Dispose();
    }

    private static IEnumerable<(string Indicator, string Summary)> Summaries(JsonElement body) =>
        body.GetProperty("cards").EnumerateArray().Select(c => (c.GetProperty("indicator").GetString()!, c.GetProperty("summary").GetString()!));

    [Theory]
    [MemberData(nameof(ExampleCatalog.ValidData), MemberType = typeof(ExampleCatalog))]
    public async Task Every_example_read_from_the_EHR_gives_the_cards_of_its_prefetch(string example)
    {
        var stem = Path.GetFileNameWithoutExtension(example);
        var patient = _hosts.Ehr.Services.GetRequiredService<PatientStore>().Patients.Single(p => p.Scenario == stem).Id;
        var token = await SmartHosts.TokenAsync(_hosts.Ehr, Scopes, patient);
        var fromServer = await CdsCalls.OkAsync(await CdsCalls.PostAsync(_service.CreateClient(), "/cds-services/bonemetrt-patient-view",
            CdsCalls.Call("patient-view", patient, null, fhirServer: SmartHosts.FhirBase, accessToken: token)));

        var (prefetchPatient, chart) = CdsCalls.Chart(example);
        var fromPrefetch = await CdsCalls.OkAsync(await CdsCalls.PostAsync(_service.CreateClient(), "/cds-services/bonemetrt-patient-view",
            CdsCalls.Call("patient-view", prefetchPatient, CdsCalls.Prefetch(chart))));
        Assert.NotEmpty(Summaries(fromServer));
        Assert.Equal(Summaries(fromPrefetch).Order(), Summaries(fromServer).Order());
    }

    [Fact]
    public async Task A_token_the_EHR_refuses_is_412_not_401()
    {
        var response = await CdsCalls.PostAsync(_service.CreateClient(), "/cds-services/bonemetrt-patient-view",
            CdsCalls.Call("patient-view", "fracture-femur-mirels-8", null, fhirServer: SmartHosts.FhirBase, accessToken: "forged"));
        Assert.Contains("fhirAuthorization", await CdsCalls.RefusedAsync(response, 412), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_partial_prefetch_is_completed_from_the_EHR()
    {
        var patient = _hosts.Ehr.Services.GetRequiredService<PatientStore>().Patients.Single(p => p.Scenario == "mscc-group-1").Id;
        var token = await SmartHosts.TokenAsync(_hosts.Ehr, Scopes, patient);
        var full = await CdsCalls.OkAsync(await CdsCalls.PostAsync(_service.CreateClient(), "/cds-services/bonemetrt-patient-view",
            CdsCalls.Call("patient-view", patient, null, fhirServer: SmartHosts.FhirBase, accessToken: token)));

        // The client could fill only the Patient: one search is null (could not prefetch), one an OperationOutcome (2.0), one absent.
        var store = _hosts.Ehr.Services.GetRequiredService<PatientStore>();
        var failed = new System.Text.Json.Nodes.JsonObject
        {
            ["resourceType"] = "OperationOutcome",
            ["issue"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["severity"] = "error", ["code"] = "timeout" }),
        };
        var prefetch = new System.Text.Json.Nodes.JsonObject { ["patient"] = store.Read("Patient", patient)!.DeepClone(), ["conditions"] = null, ["observations"] = failed };
        var partial = await CdsCalls.OkAsync(await CdsCalls.PostAsync(_service.CreateClient(), "/cds-services/bonemetrt-patient-view",
            CdsCalls.Call("patient-view", patient, prefetch, fhirServer: SmartHosts.FhirBase, accessToken: token)));
        Assert.Equal(Summaries(full), Summaries(partial));
        Assert.Contains(Summaries(partial), c => c.Indicator == "critical");
    }
}
