using System.Net;
using System.Text;
using System.Text.Json;
using BoneMetRT.Api.Tests.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BoneMetRT.Api.Tests.CdsHooks;

/// <summary>Discovery (CDS Hooks 2.0 §Discovery: services with hook, description, id, prefetch) and feedback.</summary>
public sealed class CdsDiscoveryAndFeedbackTests(CdsApiFactory factory) : IClassFixture<CdsApiFactory>
{
    [Fact]
    public async Task Discovery_lists_the_three_services_with_their_prefetch_templates()
    {
        var root = await CdsCalls.OkAsync(await factory.CreateClient().GetAsync("/cds-services"));
        var services = root.GetProperty("services").EnumerateArray().ToList();
        Assert.Equal(["bonemetrt-patient-view", "bonemetrt-order-select", "bonemetrt-order-sign"], services.Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(["patient-view", "order-select", "order-sign"], services.Select(s => s.GetProperty("hook").GetString()));
        foreach (var s in services)
        {
            Assert.False(string.IsNullOrWhiteSpace(s.GetProperty("title").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(s.GetProperty("description").GetString()));
            var prefetch = s.GetProperty("prefetch");
            Assert.Equal("Patient/{{context.patientId}}", prefetch.GetProperty("patient").GetString());
            Assert.Equal("Condition?patient={{context.patientId}}", prefetch.GetProperty("conditions").GetString());
            Assert.StartsWith("Observation?patient={{context.patientId}}&code=https://bonemetrt.org/fhir/CodeSystem/bonemet|,http://loinc.org|72514-3",
                prefetch.GetProperty("observations").GetString(), StringComparison.Ordinal);
            Assert.Equal("Procedure?patient={{context.patientId}}", prefetch.GetProperty("procedures").GetString());
        }
    }

    [Fact]
    public async Task The_base_path_and_the_language_are_settings()
    {
        using var custom = new CdsCustomApiFactory();
        var root = await CdsCalls.OkAsync(await custom.CreateClient().GetAsync("/ehr/cds"));
        Assert.StartsWith("BoneMetRT : ", root.GetProperty("services")[0].GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await custom.CreateClient().GetAsync("/cds-services")).StatusCode);
        var (patient, chart) = CdsCalls.Chart("mscc-group-1.json");
        var cards = await CdsCalls.OkAsync(await CdsCalls.PostAsync(custom.CreateClient(), "/ehr/cds/bonemetrt-patient-view", CdsCalls.Call("patient-view", patient, CdsCalls.Prefetch(chart))));
        Assert.StartsWith("Compression médullaire", cards.GetProperty("cards")[0].GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_is_accepted_and_logged_without_patient_data()
    {
        var logs = new CapturingLoggerProvider();
        using var logged = factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        const string body = """{"feedback":[{"card":"4f8b2a56-8bd2-4d5f-9a47-0f6f1a1a6c11","outcome":"overridden","overrideReason":{"reason":{"code":"x","display":"Patient Dupuis refuses"},"userComment":"Mme Dupuis, vertebra T6"},"outcomeTimestamp":"2026-03-16T12:00:00Z"},{"card":"5f8b2a56-8bd2-4d5f-9a47-0f6f1a1a6c11","outcome":"accepted","acceptedSuggestions":[{"id":"e56e1945-20b3-4393-8503-a1a20fd73152"}],"outcomeTimestamp":"2026-03-16T12:00:00Z"}]}""";
        var response = await logged.CreateClient().PostAsync("/cds-services/bonemetrt-patient-view/feedback", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = string.Join('\n', logs.Entries);
        Assert.Contains("card 4f8b2a56-8bd2-4d5f-9a47-0f6f1a1a6c11 overridden", lines, StringComparison.Ordinal);
        Assert.Contains("1 suggestion(s) accepted", lines, StringComparison.Ordinal);
        Assert.DoesNotContain("Dupuis", lines, StringComparison.Ordinal);
        // Not "T6" alone: the host's random request ids (e.g. 0HNQGT650UM2T) may hold it.
        Assert.DoesNotContain("vertebra", lines, StringComparison.Ordinal);
        Assert.DoesNotContain("refuses", lines, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"feedback":[]}""")]
    [InlineData("""{"feedback":[{"card":"c","outcome":"maybe"}]}""")]
    [InlineData("""{"feedback":"x"}""")]
    public async Task Bad_feedback_is_400(string body)
    {
        var response = await factory.CreateClient().PostAsync("/cds-services/bonemetrt-patient-view/feedback", new StringContent(body, Encoding.UTF8, "application/json"));
        await CdsCalls.RefusedAsync(response, 400);
    }

    [Fact]
    public async Task A_patient_view_answer_matches_the_CDS_Hooks_2_0_response_shape()
    {
        var (patient, chart) = CdsCalls.Chart("fracture-femur-mirels-8.json");
        var root = await CdsCalls.OkAsync(await CdsCalls.PostAsync(factory.CreateClient(), "/cds-services/bonemetrt-patient-view", CdsCalls.Call("patient-view", patient, CdsCalls.Prefetch(chart))));
        // Only the members the specification defines, with its names.
        Assert.Equal(["cards"], root.EnumerateObject().Select(p => p.Name));
        var allowed = new HashSet<string> { "uuid", "summary", "detail", "indicator", "source", "suggestions", "selectionBehavior", "overrideReasons", "links" };
        foreach (var card in root.GetProperty("cards").EnumerateArray())
        {
            Assert.All(card.EnumerateObject(), p => Assert.Contains(p.Name, allowed));
            Assert.Equal(JsonValueKind.String, card.GetProperty("source").GetProperty("url").ValueKind);
        }
    }
}
