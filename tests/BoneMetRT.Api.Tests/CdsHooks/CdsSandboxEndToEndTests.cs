using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using BoneMetRT.Api.Features.CdsHooks;
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
/// End to end without a browser: the sandbox test EHR is the CDS client. It discovers the services, signs its CDS
/// client JWT with its own key (the service fetches the EHR's JWK Set from its URL), fills the prefetch templates from
/// its FHIR API or lets the service read it with a SMART token it issued. The service runs on the real clock.
/// </summary>
public sealed class CdsSandboxEndToEndTests : IClassFixture<SmartHostsFixture>, IDisposable
{
    private const string Scopes = "launch/patient openid fhirUser patient/Patient.rs patient/Condition.rs patient/Observation.rs patient/Procedure.rs";
    private const string Scenario = "fracture-femur-mirels-8";
    private readonly SmartHosts _hosts;
    private readonly WebApplicationFactory<Program> _service;

    public CdsSandboxEndToEndTests(SmartHostsFixture fixture)
    {
        _hosts = fixture.Hosts;
        _service = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("BoneMetRT:FhirServer:BaseUrl", SmartHosts.FhirBase);
            b.UseSetting("BoneMetRT:Auth:RequireToken", "false");
            b.UseSetting("BoneMetRT:CdsHooks:TrustedClients:0:Issuer", SmartHosts.EhrUrl);
            b.UseSetting("BoneMetRT:CdsHooks:TrustedClients:0:JwksUrl", SmartHosts.EhrUrl + "/.well-known/jwks.json");
            b.ConfigureTestServices(s =>
            {
                s.AddHttpClient<FhirServerClient>().ConfigurePrimaryHttpMessageHandler(() => _hosts.Ehr.Server.CreateHandler());
                s.AddHttpClient(CdsClientAuth.JwksClient).ConfigurePrimaryHttpMessageHandler(() => _hosts.Ehr.Server.CreateHandler());
            });
        });
    }

    public void Dispose() => _service.Dispose();

    /// <summary>The EHR's CDS client JWT for a service URL, signed with the EHR's own key.</summary>
    private string ClientJwt(string url) =>
        _hosts.Ehr.Services.GetRequiredService<Tokens>().Create(SmartHosts.EhrUrl, url, "bonemetrt-test-ehr", TimeSpan.FromMinutes(5), new Dictionary<string, object>());

    private string PatientId => _hosts.Ehr.Services.GetRequiredService<PatientStore>().Patients.Single(p => p.Scenario == Scenario).Id;

    private static void AssertFemurCard(JsonElement body)
    {
        var card = Assert.Single(body.GetProperty("cards").EnumerateArray());
        CdsCalls.AssertCardShape(card);
        Assert.Equal("warning", card.GetProperty("indicator").GetString());
        Assert.StartsWith("Fracture risk (Mirels 8)", card.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal("smart", card.GetProperty("links")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task The_test_EHR_discovers_the_service_and_calls_patient_view_with_its_JWT_and_its_FHIR_server()
    {
        var client = _service.CreateClient();
        var discovery = await CdsCalls.OkAsync(await client.GetAsync("/cds-services"));
        var service = discovery.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("hook").GetString() == "patient-view");
        var url = $"http://localhost/cds-services/{service.GetProperty("id").GetString()}";

        var token = await SmartHosts.TokenAsync(_hosts.Ehr, Scopes, PatientId);
        var call = CdsCalls.Call("patient-view", PatientId, null, fhirServer: SmartHosts.FhirBase, accessToken: token);
        AssertFemurCard(await CdsCalls.OkAsync(await CdsCalls.PostAsync(client, url, call, ClientJwt(url))));

        // The same JWT again is a replay.
        var jwt = ClientJwt(url);
        Assert.Equal(200, (int)(await CdsCalls.PostAsync(client, url, call, jwt)).StatusCode);
        await CdsCalls.RefusedAsync(await CdsCalls.PostAsync(client, url, call, jwt), 401);
    }

    [Fact]
    public async Task The_test_EHR_fills_the_prefetch_templates_from_its_FHIR_API()
    {
        var client = _service.CreateClient();
        var discovery = await CdsCalls.OkAsync(await client.GetAsync("/cds-services"));
        var service = discovery.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("hook").GetString() == "patient-view");
        var token = await SmartHosts.TokenAsync(_hosts.Ehr, Scopes, PatientId);
        using var ehr = _hosts.Ehr.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(SmartHosts.EhrUrl) });
        ehr.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var prefetch = new JsonObject();
        foreach (var template in service.GetProperty("prefetch").EnumerateObject())
        {
            var query = template.Value.GetString()!.Replace("{{context.patientId}}", PatientId, StringComparison.Ordinal);
            var response = await ehr.GetAsync($"/fhir/{query}");
            // An EHR that cannot run a template sends null for it (the service then reads that key itself).
            prefetch[template.Name] = response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
        }

        Assert.Equal("Patient", prefetch["patient"]?["resourceType"]?.GetValue<string>());
        // The EHR pages by 3: its Observation prefetch is a first page only, which the service completes from the server.
        Assert.Contains(prefetch["observations"]!["link"]!.AsArray(), l => l!["relation"]!.GetValue<string>() == "next");
        var url = $"http://localhost/cds-services/{service.GetProperty("id").GetString()}";
        var call = CdsCalls.Call("patient-view", PatientId, prefetch, fhirServer: SmartHosts.FhirBase, accessToken: token);
        AssertFemurCard(await CdsCalls.OkAsync(await CdsCalls.PostAsync(client, url, call, ClientJwt(url))));
    }

    [Fact]
    public async Task A_JWT_signed_by_another_EHR_is_refused()
    {
        var client = _service.CreateClient();
        const string url = "http://localhost/cds-services/bonemetrt-patient-view";
        var other = _hosts.NewEhr().Services.GetRequiredService<Tokens>().Create(SmartHosts.EhrUrl, url, "impostor", TimeSpan.FromMinutes(5), new Dictionary<string, object>());
        var call = CdsCalls.Call("patient-view", PatientId, null, fhirServer: SmartHosts.FhirBase, accessToken: "x");
        await CdsCalls.RefusedAsync(await CdsCalls.PostAsync(client, url, call, other), 401);
    }
}
