using System.Text.Json;
using System.Text.Json.Nodes;

namespace BoneMetRT.Api.Tests.CdsHooks;

/// <summary><c>patient-view</c> with prefetch built from every valid example, checked against the examples' known answers (examples/README.md).</summary>
public sealed class CdsPatientViewTests(CdsApiFactory factory) : IClassFixture<CdsApiFactory>
{
    private const string Url = "/cds-services/bonemetrt-patient-view";

    // MSCC: urgent radiotherapy.
    private static readonly string[] Mscc = ["mscc-group-1.json", "mscc-breast-rades-group-3.json", "mscc-nsclc.json", "icd10-coded.json", "combined-mscc-postoperative-vertebra.json",
        "multi-two-mscc-levels.json", "multi-mscc-level-not-linked.json", "multi-visceral-conflict.json", "multi-future-and-partial-dates.json",
        "snomed-descendant-vertebral.json", "icd10cm-coded.json", "cim10-coded.json"];

    // A long bone with Mirels >= 8 (no compression).
    private static readonly string[] Fracture = ["fracture-femur-mirels-8.json", "fracture-peritrochanteric-mirels-10-lysis.json", "lysis-in-mm.json",
        "combined-painful-femur-high-mirels.json", "conflicting-mirels-pain.json", "transaction-bundle.json", "french-language.json", "status-filtering.json",
        "multi-mirels-9-fixation-then-rt.json", "multi-mirels-9-unfit.json", "mcode-secondary-with-bodysite.json", "us-core-profiled-record.json"];

    // Not urgent, but not routine: a re-irradiation, an established fracture, pain that cannot be placed on a lesion.
    private static readonly string[] WarningOnly = ["multi-prior-radiotherapy.json", "multi-established-fracture.json", "multi-patient-level-pain-three-lesions.json"];

    // Nothing urgent, no Mirels >= 8, no withheld score.
    private static readonly string[] InfoOnly = ["fracture-humerus-mirels-7.json", "searchset-bundle.json", "pain-uncomplicated-rib.json", "non-long-bone-pelvis.json",
        "postoperative-femur-day-18-healed.json", "postoperative-skin-not-healed.json", "batch-bundle.json", "oligometastatic-prostate-two-sites.json",
        "multi-biopsy-then-nail.json", "multi-postop-past-horizon-and-vertebra-uncomplicated.json", "unaccepted-code-system.json"];

    private async Task<JsonElement[]> CardsAsync(string example, string? language = null)
    {
        var (patient, chart) = CdsCalls.Chart(example);
        var response = await CdsCalls.PostAsync(factory.CreateClient(), Url, CdsCalls.Call("patient-view", patient, CdsCalls.Prefetch(chart)), language: language);
        var body = await CdsCalls.OkAsync(response);
        return [.. body.GetProperty("cards").EnumerateArray()];
    }

    [Fact]
    public void Every_valid_example_has_an_expected_answer_here()
    {
        var covered = Mscc.Concat(Fracture).Concat(InfoOnly).Concat(WarningOnly).Append("missing-mirels-items.json").ToHashSet();
        Assert.Equal(ExampleCatalog.Valid.Select(Path.GetFileName).Order(), covered.Order());
    }

    [Theory]
    [MemberData(nameof(ExampleCatalog.ValidData), MemberType = typeof(ExampleCatalog))]
    public async Task Every_valid_example_gives_well_formed_cards_with_the_draft_proposal(string example)
    {
        var cards = await CardsAsync(example);
        Assert.NotEmpty(cards);
        foreach (var card in cards)
        {
            CdsCalls.AssertCardShape(card);
            Assert.StartsWith("BoneMetRT — guideline §", card.GetProperty("source").GetProperty("label").GetString(), StringComparison.Ordinal);
            Assert.Matches(@"^http://localhost/app/guideline\.html#s[1-8]$", card.GetProperty("source").GetProperty("url").GetString());
            var link = Assert.Single(card.GetProperty("links").EnumerateArray());
            Assert.Equal("smart", link.GetProperty("type").GetString());
            Assert.Equal("http://localhost/app/launch.html", link.GetProperty("url").GetString());
            var actions = card.GetProperty("suggestions")[0].GetProperty("actions").EnumerateArray().ToList();
            Assert.All(actions, a => Assert.Equal("create", a.GetProperty("type").GetString()));
            var plan = actions[0].GetProperty("resource");
            Assert.Equal("CarePlan", plan.GetProperty("resourceType").GetString());
            Assert.Equal("draft", plan.GetProperty("status").GetString());
            Assert.NotEmpty(plan.GetProperty("activity").EnumerateArray());
            // The proposal refers to the EHR's own resources relatively, and to the requests it creates by id.
            var text = plan.GetRawText();
            Assert.DoesNotContain("urn:uuid:", text, StringComparison.Ordinal);
            Assert.DoesNotContain("cds-client.invalid", text, StringComparison.Ordinal);
            // Then the courses' RequestGroups (the choice and its order) and their requests: every one created is
            // referenced by the plan or by a created RequestGroup, and none points at a placeholder.
            var created = actions.Skip(1).Select(a => a.GetProperty("resource")).ToList();
            var referencing = text + string.Concat(created.Where(r => r.GetProperty("resourceType").GetString() == "RequestGroup").Select(r => r.GetRawText()));
            foreach (var r in created)
            {
                var type = r.GetProperty("resourceType").GetString();
                Assert.Contains(type, new[] { "RequestGroup", "ServiceRequest" });
                Assert.Contains(r.GetProperty("status").GetString(), new[] { "draft", "on-hold" });
                Assert.Contains($"{type}/{r.GetProperty("id").GetString()}", referencing, StringComparison.Ordinal);
                Assert.DoesNotContain("urn:uuid:", r.GetRawText(), StringComparison.Ordinal);
            }

            Assert.Contains("**", card.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // The cards copy what they change of the answer: the elements answers share are as they were.
        Assert.True(BoneMetRT.Fhir.FhirJsonWriter.FrozenCount > 0, "no element frozen: nothing shared to check");
        Assert.True(BoneMetRT.Fhir.FhirJsonWriter.FrozenUnchanged(), "a shared element was changed by the cards");
    }

    [Fact]
    public async Task Spinal_cord_compression_gives_a_critical_card_citing_the_Rades_section()
    {
        foreach (var example in Mscc)
        {
            var cards = await CardsAsync(example);
            var critical = cards.Where(c => c.GetProperty("indicator").GetString() == "critical").ToList();
            Assert.True(critical.Count >= 1, example);
            Assert.All(critical, c =>
            {
                Assert.Contains("urgent radiotherapy", c.GetProperty("summary").GetString(), StringComparison.Ordinal);
                Assert.Equal("BoneMetRT — guideline §1.3", c.GetProperty("source").GetProperty("label").GetString());
                Assert.Contains("Rades", c.GetProperty("detail").GetString(), StringComparison.Ordinal);
            });
        }
    }

    [Fact]
    public async Task Rades_group_I_proposes_20_Gy_in_5_fractions_with_its_score_in_the_detail()
    {
        var card = (await CardsAsync("mscc-group-1.json")).Single(c => c.GetProperty("indicator").GetString() == "critical");
        Assert.Contains("20 Gy in 5 fractions proposed", card.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("22/44", card.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var created = card.GetProperty("suggestions")[0].GetProperty("actions").EnumerateArray().Skip(1).Select(a => a.GetProperty("resource")).ToList();
        // One RequestGroup (choose one of the three) and its three urgent requests.
        Assert.Single(created, r => r.GetProperty("resourceType").GetString() == "RequestGroup");
        var requests = created.Where(r => r.GetProperty("resourceType").GetString() == "ServiceRequest").ToList();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal("urgent", r.GetProperty("priority").GetString()));
    }

    [Fact]
    public async Task Declared_profiles_the_service_does_not_hold_are_not_listed_on_the_cards()
    {
        var cards = await CardsAsync("us-core-profiled-record.json");
        Assert.NotEmpty(cards);
        Assert.All(cards, c => Assert.DoesNotContain("Declares the profile", c.GetProperty("detail").GetString(), StringComparison.Ordinal));
        Assert.Contains(cards, c => c.GetProperty("summary").GetString()!.Contains("(Mirels 8)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mirels_8_or_more_gives_a_warning_card_with_the_score()
    {
        foreach (var example in Fracture)
        {
            var cards = await CardsAsync(example);
            Assert.DoesNotContain(cards, c => c.GetProperty("indicator").GetString() == "critical");
            var warning = cards.FirstOrDefault(c => c.GetProperty("indicator").GetString() == "warning" && c.GetProperty("summary").GetString()!.Contains("(Mirels", StringComparison.Ordinal));
            Assert.True(warning.ValueKind == JsonValueKind.Object, example);
            Assert.Matches(@"Fracture risk \(Mirels (8|9|10|11|12)\)|Risque fracturaire \(Mirels", warning.GetProperty("summary").GetString());
            Assert.Matches(@"/12", warning.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task Re_irradiation_fracture_and_unplaced_pain_give_a_warning_card_and_no_critical_one()
    {
        foreach (var example in WarningOnly)
        {
            var cards = await CardsAsync(example);
            Assert.DoesNotContain(cards, c => c.GetProperty("indicator").GetString() == "critical");
            Assert.True(cards.Any(c => c.GetProperty("indicator").GetString() == "warning"), example);
        }
    }

    [Fact]
    public async Task Below_Mirels_8_and_without_compression_the_cards_are_info()
    {
        foreach (var example in InfoOnly)
        {
            var cards = await CardsAsync(example);
            Assert.True(cards.All(c => c.GetProperty("indicator").GetString() == "info"), example);
        }
    }

    [Fact]
    public async Task A_withheld_Mirels_score_gives_a_warning_card_naming_the_missing_items()
    {
        var card = Assert.Single(await CardsAsync("missing-mirels-items.json"), c => c.GetProperty("indicator").GetString() == "warning");
        Assert.StartsWith("Score withheld (2 item(s)", card.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var detail = card.GetProperty("detail").GetString()!;
        Assert.Contains("mirels-size", detail, StringComparison.Ordinal);
        Assert.Contains("mirels-pain", detail, StringComparison.Ordinal);
        Assert.Contains("tumour-board-review", card.GetProperty("suggestions")[0].GetProperty("actions")[0].GetProperty("resource").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_lesions_give_one_card_each_and_each_card_creates_only_its_activities()
    {
        var cards = await CardsAsync("oligometastatic-prostate-two-sites.json");
        Assert.Equal(2, cards.Length);
        var plans = cards.Select(c => c.GetProperty("suggestions")[0].GetProperty("actions")[0].GetProperty("resource")).ToList();
        Assert.Equal(2, plans.Select(p => p.GetProperty("id").GetString()).Distinct().Count());
        // L3: one specialised-board activity pointing at its SBRT RequestGroup; the ilium: one activity (no schedule).
        Assert.Equal(2, plans.Sum(p => p.GetProperty("activity").GetArrayLength()));
        Assert.All(cards, c => Assert.Equal("BoneMetRT — guideline §1.5", c.GetProperty("source").GetProperty("label").GetString()));
    }

    [Fact]
    public async Task Accept_Language_fr_gives_French_cards()
    {
        var cards = await CardsAsync("mscc-group-1.json", "fr-FR");
        var card = cards.Single(c => c.GetProperty("indicator").GetString() == "critical");
        Assert.StartsWith("Compression médullaire : radiothérapie urgente", card.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal("BoneMetRT — référentiel §1.3", card.GetProperty("source").GetProperty("label").GetString());
        Assert.Contains("20 Gy en 5 fractions", card.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chart_without_bone_metastasis_gets_no_card()
    {
        var (patient, chart) = CdsCalls.Chart("pain-uncomplicated-rib.json");
        chart["Condition"] = [.. chart["Condition"].Where(c => !c.ToJsonString().Contains("94222008", StringComparison.Ordinal))];
        chart["Observation"] = [];
        var response = await CdsCalls.PostAsync(factory.CreateClient(), Url, CdsCalls.Call("patient-view", patient, CdsCalls.Prefetch(chart)));
        var body = await CdsCalls.OkAsync(response);
        Assert.Empty(body.GetProperty("cards").EnumerateArray());
    }

    [Fact]
    public async Task Without_prefetch_and_without_fhirServer_the_answer_is_412()
    {
        var response = await CdsCalls.PostAsync(factory.CreateClient(), Url, CdsCalls.Call("patient-view", "pat-1", null));
        Assert.Contains("fhirServer", await CdsCalls.RefusedAsync(response, 412), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prefetch_of_only_the_first_page_without_fhirServer_is_412()
    {
        var (patient, chart) = CdsCalls.Chart("mscc-group-1.json");
        var prefetch = CdsCalls.Prefetch(chart);
        prefetch["conditions"]!["link"] = new JsonArray(new JsonObject { ["relation"] = "next", ["url"] = "http://ehr.test/fhir/Condition?patient=x&_offset=3" });
        var response = await CdsCalls.PostAsync(factory.CreateClient(), Url, CdsCalls.Call("patient-view", patient, prefetch));
        Assert.Contains("conditions", await CdsCalls.RefusedAsync(response, 412), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fhirServer_the_service_is_not_configured_for_is_not_called()
    {
        var response = await CdsCalls.PostAsync(factory.CreateClient(), Url, CdsCalls.Call("patient-view", "pat-1", null, fhirServer: "http://169.254.169.254/latest", accessToken: "t"));
        Assert.Contains("AllowedFhirServers", await CdsCalls.RefusedAsync(response, 412), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{", 400)]
    [InlineData("[]", 400)]
    [InlineData("""{"hook":"order-sign","hookInstance":"x","context":{"patientId":"p"}}""", 400)]
    [InlineData("""{"hook":"patient-view","context":{"patientId":"p"}}""", 400)]
    [InlineData("""{"hook":"patient-view","hookInstance":"x","context":{}}""", 400)]
    [InlineData("""{"hook":"patient-view","hookInstance":"x","context":{"patientId":"../etc"}}""", 400)]
    [InlineData("""{"hook":"patient-view","hookInstance":"x","context":{"patientId":"p"},"fhirAuthorization":{"access_token":"t"}}""", 400)]
    [InlineData("""{"hook":"patient-view","hookInstance":"x","context":{"patientId":"p"},"prefetch":{"patient":{"resourceType":"Patient","id":"q"}}}""", 400)]
    [InlineData("""{"hook":"patient-view","hookInstance":"x","context":{"patientId":"p"},"prefetch":{"patient":{"resourceType":"Patient","id":"p","foo":1}}}""", 400)]
    public async Task Bad_calls_are_4xx_OperationOutcomes(string body, int status)
    {
        var response = await CdsCalls.PostAsync(factory.CreateClient(), Url, JsonNode.Parse(body == "{" ? "\"{\"" : body)!);
        if (body == "{")
        {
            var raw = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new StringContent("{", System.Text.Encoding.UTF8, "application/json") };
            response = await factory.CreateClient().SendAsync(raw);
        }

        await CdsCalls.RefusedAsync(response, status);
    }

    [Fact]
    public async Task An_unknown_service_is_404_and_a_non_JSON_body_415()
    {
        await CdsCalls.RefusedAsync(await CdsCalls.PostAsync(factory.CreateClient(), "/cds-services/nope", new JsonObject()), 404);
        var xml = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new StringContent("hook=patient-view", System.Text.Encoding.UTF8, "text/plain") };
        await CdsCalls.RefusedAsync(await factory.CreateClient().SendAsync(xml), 415);
    }
}
