using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using BoneMetRT.Api.Tests.Sandbox;
using BoneMetRT.TestEhr;
using Microsoft.Extensions.DependencyInjection;

namespace BoneMetRT.Api.Tests.Smart;

/// <summary>
/// The SMART app's write-back as the app does it, over HTTP: the service turns the answer of the instance-level
/// <c>$assess</c> into a transaction (<c>POST /app/write-back</c>), which is posted to the test EHR with the app's
/// patient-level token. Outputs, the engine's Device and the Provenance are saved, caveats become notes, the EHR's own
/// records are not saved again, and saving twice changes nothing.
/// </summary>
public sealed class WriteBackTests : IClassFixture<SmartHostsFixture>
{
    private const string Patient = "fracture-femur-mirels-8";
    private const string Scopes = "launch/patient openid fhirUser patient/Patient.rs patient/Condition.rs patient/Observation.rs patient/Procedure.rs "
        + "patient/CarePlan.c patient/RequestGroup.c patient/ServiceRequest.c patient/RiskAssessment.c patient/Observation.c patient/Device.c patient/Provenance.c";

    private readonly SmartHosts _hosts;

    public WriteBackTests(SmartHostsFixture fixture) => _hosts = fixture.Hosts;

    private static HttpRequestMessage Post(string url, string token, string body) => new(HttpMethod.Post, url)
    {
        Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
        Content = new StringContent(body, Encoding.UTF8, "application/fhir+json"),
    };

    private static async Task<JsonObject> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return (JsonObject)JsonNode.Parse(text)!;
    }

    private async Task<List<string>> SaveAsync(HttpClient service, HttpClient ehr, string token, string answer)
    {
        var enterer = Uri.EscapeDataString($"{SmartHosts.FhirBase}/Practitioner/{PatientStore.ClinicianId}");
        var transaction = await JsonAsync(await service.SendAsync(Post($"/app/write-back?base={Uri.EscapeDataString(SmartHosts.FhirBase)}&enterer={enterer}", token, answer)), HttpStatusCode.OK);
        Assert.Equal("transaction", transaction["type"]!.GetValue<string>());
        var saved = await JsonAsync(await ehr.SendAsync(Post("/fhir", token, transaction.ToJsonString())), HttpStatusCode.OK);
        return [.. saved["entry"]!.AsArray().Select(e => e!["response"]!["status"]!.GetValue<string>())];
    }

    [Fact]
    public async Task The_answer_is_saved_with_its_Device_Provenance_and_caveats_and_saving_twice_changes_nothing()
    {
        // Hosts of its own: this test writes to the EHR.
        using var hosts = new SmartHosts();
        var ehrHost = hosts.Ehr;
        var store = ehrHost.Services.GetRequiredService<PatientStore>();
        var token = await SmartHosts.TokenAsync(ehrHost, Scopes, Patient);
        var service = hosts.Service();
        var ehr = ehrHost.CreateClient(new() { BaseAddress = new Uri(SmartHosts.EhrUrl) });
        var answer = await (await service.SendAsync(Post($"/fhir/Patient/{Patient}/$assess", token,
            """{"resourceType":"Parameters","parameter":[{"name":"assessmentDate","valueDate":"2026-03-16"}]}"""))).Content.ReadAsStringAsync();
        var conditions = store.Search("Condition", Patient).Count;

        var first = await SaveAsync(service, ehr, token, answer);

        Assert.All(first, s => Assert.Equal("201 Created", s));
        Assert.Equal(conditions, store.Search("Condition", Patient).Count); // the EHR's own records are not saved again
        Assert.Empty(StoredReferences.Dangling(store));
        var plan = Assert.Single(store.Search("CarePlan", Patient));
        Assert.Equal("draft", plan["status"]!.GetValue<string>());
        var device = Assert.Single(store.All("Device"));
        Assert.Equal($"Device/{device["id"]}", plan["author"]!["reference"]!.GetValue<string>());
        // The caveats of the OperationOutcome, written by the engine, next to the plan's own notes.
        Assert.Contains(plan["note"]!.AsArray(), n => n!["authorReference"]?["reference"]?.GetValue<string>() == $"Device/{device["id"]}");
        var provenance = Assert.Single(store.Search("Provenance", Patient));
        Assert.Contains(provenance["agent"]!.AsArray(), a => a!["who"]!["reference"]!.GetValue<string>() == $"Practitioner/{PatientStore.ClinicianId}");
        Assert.Contains(provenance["target"]!.AsArray(), t => t!["reference"]!.GetValue<string>() == $"CarePlan/{plan["id"]}");
        // Its sources are the EHR's own records, by their ids.
        Assert.Contains(provenance["entity"]!.AsArray(), e => e!["what"]!["reference"]!.GetValue<string>().StartsWith("Condition/", StringComparison.Ordinal)
            && store.Read("Condition", e["what"]!["reference"]!.GetValue<string>()[10..]) is not null);

        var before = StoredReferences.Dump(store);
        var second = await SaveAsync(service, ehr, token, answer);
        Assert.All(second, s => Assert.Equal("200 OK", s));
        Assert.Equal(before, StoredReferences.Dump(store));

        // Assessed again (a new answer, made later, in French): the same assessment, nothing new.
        var again = await (await service.SendAsync(Post($"/fhir/Patient/{Patient}/$assess", token,
            """{"resourceType":"Parameters","parameter":[{"name":"assessmentDate","valueDate":"2026-03-16"},{"name":"language","valueCode":"fr"}]}"""))).Content.ReadAsStringAsync();
        Assert.True(again.Contains("\"type\":\"collection\"", StringComparison.Ordinal), again[..Math.Min(3000, again.Length)]);
        Assert.All(await SaveAsync(service, ehr, token, again), s => Assert.Equal("200 OK", s));
        Assert.Equal(before, StoredReferences.Dump(store));
    }

    [Fact]
    public async Task Without_the_Device_create_scope_the_EHR_refuses_the_whole_transaction()
    {
        using var hosts = new SmartHosts();
        var ehrHost = hosts.Ehr;
        var store = ehrHost.Services.GetRequiredService<PatientStore>();
        var token = await SmartHosts.TokenAsync(ehrHost, Scopes.Replace(" patient/Device.c", "", StringComparison.Ordinal), Patient);
        var service = hosts.Service();
        var answer = await (await service.SendAsync(Post($"/fhir/Patient/{Patient}/$assess", token,
            """{"resourceType":"Parameters","parameter":[{"name":"assessmentDate","valueDate":"2026-03-16"}]}"""))).Content.ReadAsStringAsync();
        var transaction = await JsonAsync(await service.SendAsync(Post($"/app/write-back?base={Uri.EscapeDataString(SmartHosts.FhirBase)}", token, answer)), HttpStatusCode.OK);
        var before = StoredReferences.Dump(store);

        var refused = await JsonAsync(await ehrHost.CreateClient(new() { BaseAddress = new Uri(SmartHosts.EhrUrl) })
            .SendAsync(Post("/fhir", token, transaction.ToJsonString())), HttpStatusCode.Forbidden);

        Assert.Equal("OperationOutcome", refused["resourceType"]!.GetValue<string>());
        Assert.Equal(before, StoredReferences.Dump(store));
    }

    [Theory]
    [InlineData("""{"resourceType":"Bundle","type":"transaction"}""", "", HttpStatusCode.UnprocessableEntity)]
    [InlineData("""{"resourceType":"Parameters","parameter":[{"name":"data","valueString":"x"}]}""", "", HttpStatusCode.UnprocessableEntity)]
    [InlineData("""{"resourceType":"Bundle","type":"collection"}""", "?base=ftp%3A%2F%2Fehr", HttpStatusCode.BadRequest)]
    [InlineData("""{"resourceType":"Bundle","type":"collection"}""", "?enterer=nobody", HttpStatusCode.BadRequest)]
    public async Task The_write_back_endpoint_refuses_what_is_not_an_answer_with_an_OperationOutcome(string body, string query, HttpStatusCode status)
    {
        var response = await _hosts.Service(("BoneMetRT:Auth:RequireToken", "false")).PostAsync($"/app/write-back{query}", new StringContent(body, Encoding.UTF8, "application/fhir+json"));
        var outcome = await JsonAsync(response, status);
        Assert.Equal("OperationOutcome", outcome["resourceType"]!.GetValue<string>());
    }
}
