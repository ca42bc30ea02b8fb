using System.Text.Json;
using System.Text.Json.Nodes;

namespace BoneMetRT.Api.Tests.CdsHooks;

/// <summary><c>order-select</c> and <c>order-sign</c> with right and wrong draft radiotherapy orders (examples/README.md answers).</summary>
public sealed class CdsOrderHookTests(CdsApiFactory factory) : IClassFixture<CdsApiFactory>
{
    private const string Snomed = "http://snomed.info/sct";
    private const string BoneMet = "https://bonemetrt.org/fhir/CodeSystem/bonemet";

    private static JsonObject Draft(string patient, string? lesion, string? regimen, string id = "draft-rt-1", string? occurrence = null,
        (decimal Gy, int Fractions)? dose = null, JsonArray? bodySite = null)
    {
        var coding = new JsonArray(new JsonObject { ["system"] = Snomed, ["code"] = "1217123003" });
        if (regimen is not null)
        {
            coding.Add(new JsonObject { ["system"] = BoneMet, ["code"] = regimen });
        }

        var sr = new JsonObject
        {
            ["resourceType"] = "ServiceRequest",
            ["id"] = id,
            ["status"] = "draft",
            ["intent"] = "order",
            ["code"] = new JsonObject { ["coding"] = coding, ["text"] = "Radiotherapy" },
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{patient}" },
        };
        if (lesion is not null)
        {
            sr["reasonReference"] = new JsonArray(new JsonObject { ["reference"] = lesion });
        }

        if (bodySite is not null)
        {
            sr["bodySite"] = bodySite;
        }

        if (occurrence is not null)
        {
            sr["occurrenceDateTime"] = occurrence;
        }

        if (dose is { } d)
        {
            sr["extension"] = new JsonArray(new JsonObject
            {
                ["url"] = "https://bonemetrt.org/fhir/StructureDefinition/regimen-dose",
                ["extension"] = new JsonArray(
                    new JsonObject { ["url"] = "totalDose", ["valueQuantity"] = new JsonObject { ["value"] = d.Gy, ["unit"] = "Gy", ["system"] = "http://unitsofmeasure.org", ["code"] = "Gy" } },
                    new JsonObject { ["url"] = "fractions", ["valuePositiveInt"] = d.Fractions }),
            });
        }

        return sr;
    }

    private async Task<JsonElement[]> CardsAsync(string example, string hook, params JsonObject[] drafts)
    {
        var (patient, chart) = CdsCalls.Chart(example);
        var bundle = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection", ["entry"] = new JsonArray([.. drafts.Select(d => (JsonNode?)new JsonObject { ["resource"] = d })]) };
        var response = await CdsCalls.PostAsync(factory.CreateClient(), $"/cds-services/bonemetrt-{hook}", CdsCalls.Call(hook, patient, CdsCalls.Prefetch(chart), bundle));
        var cards = (await CdsCalls.OkAsync(response)).GetProperty("cards").EnumerateArray().ToArray();
        Assert.All(cards, CdsCalls.AssertCardShape);
        return cards;
    }

    private static string PatientOf(string example) => CdsCalls.Chart(example).PatientId;

    private static JsonElement UpdateOf(JsonElement card)
    {
        var action = Assert.Single(card.GetProperty("suggestions")[0].GetProperty("actions").EnumerateArray());
        Assert.Equal("update", action.GetProperty("type").GetString());
        return action.GetProperty("resource");
    }

    private static string[] Codes(JsonElement sr) => [.. sr.GetProperty("code").GetProperty("coding").EnumerateArray().Select(c => c.GetProperty("code").GetString()!)];

    /// <summary>The codes of the orderDetail items, where the engine keeps the regimen (CodeX style, not in code).</summary>
    private static string[] Details(JsonElement sr) => sr.TryGetProperty("orderDetail", out var details)
        ? [.. details.EnumerateArray().SelectMany(d => d.GetProperty("coding").EnumerateArray()).Select(c => c.GetProperty("code").GetString()!)]
        : [];

    /// <summary>The update carries the course code alone and the regimen as its first orderDetail item.</summary>
    private static void AssertRegimen(string regimen, JsonElement update)
    {
        Assert.Equal(["1217123003"], Codes(update));
        Assert.Equal(regimen, Details(update).First());
        Assert.Single(Details(update), c => c.StartsWith("rt-", StringComparison.Ordinal) || c.StartsWith("sbrt-", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("order-sign")]
    [InlineData("order-select")]
    public async Task A_single_8_Gy_on_a_compressing_vertebra_is_a_warning_with_an_update_to_20_Gy_in_5(string hook)
    {
        const string example = "mscc-group-1.json";
        var card = Assert.Single(await CardsAsync(example, hook, Draft(PatientOf(example), "Condition/00000007-0000-4000-8000-000000000003", "rt-8gy-1fx")));
        Assert.Equal("warning", card.GetProperty("indicator").GetString());
        Assert.Contains("single 8 Gy fraction", card.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var update = UpdateOf(card);
        Assert.Equal("draft-rt-1", update.GetProperty("id").GetString());
        AssertRegimen("rt-20gy-5fx", update);

        // The order check copies the answer's requests it proposes: the elements answers share are as they were.
        Assert.True(BoneMetRT.Fhir.FhirJsonWriter.FrozenCount > 0, "no element frozen: nothing shared to check");
        Assert.True(BoneMetRT.Fhir.FhirJsonWriter.FrozenUnchanged(), "a shared element was changed by the order check");
    }

    [Fact]
    public async Task A_draft_with_its_regimen_as_an_orderDetail_item_is_read_like_the_engine_writes_it()
    {
        const string example = "mscc-group-1.json";
        const string lesion = "Condition/00000007-0000-4000-8000-000000000003";
        JsonObject InDetail(string regimen)
        {
            var draft = Draft(PatientOf(example), lesion, null);
            draft["orderDetail"] = new JsonArray(new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = BoneMet, ["code"] = regimen }) });
            return draft;
        }

        Assert.Empty(await CardsAsync(example, "order-sign", InDetail("rt-20gy-5fx")));
        var card = Assert.Single(await CardsAsync(example, "order-sign", InDetail("rt-8gy-1fx")));
        Assert.Contains("single 8 Gy fraction", card.GetProperty("detail").GetString(), StringComparison.Ordinal);
        AssertRegimen("rt-20gy-5fx", UpdateOf(card));
    }

    [Fact]
    public async Task The_preferred_regimen_on_the_compressing_vertebra_gives_no_card()
    {
        const string example = "mscc-group-1.json";
        Assert.Empty(await CardsAsync(example, "order-sign", Draft(PatientOf(example), "Condition/00000007-0000-4000-8000-000000000003", "rt-20gy-5fx")));
    }

    [Fact]
    public async Task An_alternative_regimen_is_a_warning_naming_the_preferred_one_and_a_dose_only_draft_is_read_by_its_dose()
    {
        const string example = "pain-uncomplicated-rib.json";
        var lesion = "Condition/00000001-0000-4000-8000-000000000003";
        var card = Assert.Single(await CardsAsync(example, "order-sign", Draft(PatientOf(example), lesion, "rt-30gy-10fx")));
        Assert.Contains("alternative", card.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var update = UpdateOf(card);
        AssertRegimen("rt-8gy-1fx", update);
        Assert.Contains("regimen-dose", update.GetRawText(), StringComparison.Ordinal);
        Assert.Empty(await CardsAsync(example, "order-sign", Draft(PatientOf(example), lesion, null, dose: (8m, 1))));
        Assert.Single(await CardsAsync(example, "order-sign", Draft(PatientOf(example), lesion, null, dose: (30m, 10))));
    }

    [Fact]
    public async Task A_draft_found_by_bodySite_is_checked_like_one_with_a_reason()
    {
        const string example = "pain-uncomplicated-rib.json";
        var (patient, chart) = CdsCalls.Chart(example);
        var lesion = chart["Condition"].Single(c => c["id"]!.GetValue<string>() == "00000001-0000-4000-8000-000000000003");
        var card = Assert.Single(await CardsAsync(example, "order-sign", Draft(patient, null, "rt-20gy-5fx", bodySite: (JsonArray)lesion["bodySite"]!.DeepClone())));
        Assert.Equal("warning", card.GetProperty("indicator").GetString());
    }

    [Fact]
    public async Task SBRT_before_the_specialised_tumour_board_is_a_warning()
    {
        const string example = "oligometastatic-prostate-two-sites.json";
        var card = Assert.Single(await CardsAsync(example, "order-sign", Draft(PatientOf(example), "Condition/00000011-0000-4000-8000-000000000003", "sbrt-18gy-1fx")));
        Assert.Contains("RCP-OOS", card.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("BoneMetRT — guideline §1.5", card.GetProperty("source").GetProperty("label").GetString());
    }

    [Fact]
    public async Task SBRT_where_the_guideline_proposes_none_is_a_warning_with_the_preferred_regimen()
    {
        const string example = "pain-uncomplicated-rib.json";
        var card = Assert.Single(await CardsAsync(example, "order-sign", Draft(PatientOf(example), "Condition/00000001-0000-4000-8000-000000000003", "sbrt-24gy-2fx")));
        Assert.Contains("SBRT is not proposed", card.GetProperty("detail").GetString(), StringComparison.Ordinal);
        AssertRegimen("rt-8gy-1fx", UpdateOf(card));
    }

    [Fact]
    public async Task A_post_operative_course_before_day_15_is_moved_into_the_window()
    {
        const string example = "postoperative-femur-day-18-healed.json";
        var lesion = "Condition/00000009-0000-4000-8000-000000000003";
        var card = Assert.Single(await CardsAsync(example, "order-sign", Draft(PatientOf(example), lesion, "rt-30gy-10fx", occurrence: "2026-03-10")));
        Assert.Contains("before day 15", card.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var update = UpdateOf(card);
        Assert.Equal("2026-03-13", update.GetProperty("occurrencePeriod").GetProperty("start").GetString());
        // The regimen is right, so only the window changes: the draft's codes stay as it sent them.
        Assert.Equal(["1217123003", "rt-30gy-10fx"], Codes(update));
        Assert.Empty(await CardsAsync(example, "order-sign", Draft(PatientOf(example), lesion, "rt-30gy-10fx", occurrence: "2026-03-17")));
    }

    [Fact]
    public async Task A_post_operative_course_on_unhealed_skin_is_a_warning()
    {
        const string example = "postoperative-skin-not-healed.json";
        var card = Assert.Single(await CardsAsync(example, "order-sign", Draft(PatientOf(example), "Condition/cond-met-humerus", "rt-30gy-10fx", occurrence: "2026-03-16")));
        Assert.Contains("unhealed", card.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("BoneMetRT — guideline §1.4", card.GetProperty("source").GetProperty("label").GetString());
    }

    [Fact]
    public async Task Radiotherapy_where_fixation_comes_first_is_a_warning_without_an_update()
    {
        const string example = "fracture-peritrochanteric-mirels-10-lysis.json";
        var card = Assert.Single(await CardsAsync(example, "order-sign", Draft(PatientOf(example), "Condition/cond-met-trochanter", "rt-30gy-10fx")));
        Assert.Equal("warning", card.GetProperty("indicator").GetString());
        // Mirels 10: fixation first; the engine's 30 Gy/10 is post-operative, so the draft's regimen is right but not its time.
        Assert.Contains("prophylactic fixation first: radiotherapy of this lesion is post-operative", card.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(card.TryGetProperty("suggestions", out _));
    }

    [Fact]
    public async Task A_draft_for_a_lesion_the_chart_does_not_hold_gives_no_card()
    {
        const string example = "pain-uncomplicated-rib.json";
        Assert.Empty(await CardsAsync(example, "order-sign", Draft(PatientOf(example), "Condition/not-in-the-chart", "rt-30gy-10fx")));
    }

    [Fact]
    public async Task Several_drafts_give_one_card_per_wrong_draft_in_French_when_asked()
    {
        const string example = "mscc-group-1.json";
        var (patient, chart) = CdsCalls.Chart(example);
        var bundle = new JsonObject
        {
            ["resourceType"] = "Bundle", ["type"] = "collection",
            ["entry"] = new JsonArray(
                new JsonObject { ["resource"] = Draft(patient, "Condition/00000007-0000-4000-8000-000000000003", "rt-8gy-1fx", "a") },
                new JsonObject { ["resource"] = Draft(patient, "Condition/00000007-0000-4000-8000-000000000003", "rt-20gy-5fx", "b") }),
        };
        var response = await CdsCalls.PostAsync(factory.CreateClient(), "/cds-services/bonemetrt-order-sign", CdsCalls.Call("order-sign", patient, CdsCalls.Prefetch(chart), bundle), language: "fr");
        var card = Assert.Single((await CdsCalls.OkAsync(response)).GetProperty("cards").EnumerateArray());
        Assert.StartsWith("Prescription de radiothérapie à revoir", card.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal("a", UpdateOf(card).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Orders_that_are_not_radiotherapy_give_no_card_without_reading_the_chart()
    {
        var lab = new JsonObject
        {
            ["resourceType"] = "ServiceRequest", ["id"] = "lab-1", ["status"] = "draft", ["intent"] = "order",
            ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = "2951-2" }) },
            ["subject"] = new JsonObject { ["reference"] = "Patient/p1" },
        };
        var bundle = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection", ["entry"] = new JsonArray(new JsonObject { ["resource"] = lab }) };
        // No prefetch and no fhirServer: had the service tried to read the chart, this would be 412.
        var response = await CdsCalls.PostAsync(factory.CreateClient(), "/cds-services/bonemetrt-order-sign", CdsCalls.Call("order-sign", "p1", null, bundle));
        Assert.Empty((await CdsCalls.OkAsync(response)).GetProperty("cards").EnumerateArray());
    }

    [Fact]
    public async Task Order_hooks_without_draftOrders_are_400()
    {
        var response = await CdsCalls.PostAsync(factory.CreateClient(), "/cds-services/bonemetrt-order-sign", CdsCalls.Call("order-sign", "p1", null));
        Assert.Contains("draftOrders", await CdsCalls.RefusedAsync(response, 400), StringComparison.Ordinal);
    }
}
