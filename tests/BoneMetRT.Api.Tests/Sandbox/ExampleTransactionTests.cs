using System.Net;
using System.Text.Json.Nodes;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Denormalize;
using BoneMetRT.Fhir.WriteBack;
using BoneMetRT.TestEhr;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Tests.Sandbox;

/// <summary>
/// Issue 10: every example's answer, turned into a transaction by <see cref="ResponseTransaction"/> (as a client saving
/// it would), is stored by the test EHR with every reference resolved; saving it again, or the same assessment in the
/// other language, creates nothing; one dangling reference refuses the whole transaction.
/// </summary>
public sealed class ExampleTransactionTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Base = "http://ehr.test/fhir";
    private const string Clinician = $"Practitioner/{PatientStore.ClinicianId}";

    private async Task<Bundle> AssessAsync(string file, string? language = null)
    {
        var body = Wire.ValidExample(file);
        if (language is not null)
        {
            var parameters = (Parameters)Wire.Parse(body, FhirFormat.Json);
            parameters.Parameter.RemoveAll(p => p.Name == "language");
            parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "language", Value = new Code(language) });
            body = FhirSerialization.Serialize(parameters, FhirFormat.Json);
        }

        var response = await Wire.PostAsync(factory.CreateClient(), "/fhir/$assess", Wire.Body(body));
        return (Bundle)await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json);
    }

    private static TransactionResult Save(PatientStore store, Bundle answer) =>
        Transaction.Process(store, StoredReferences.Json(ResponseTransaction.Build(answer, new WriteBackRequest(Base, Clinician))), Base, null);

    private static List<string> Statuses(TransactionResult result)
    {
        Assert.True(result.Status == 200, result.Body.ToJsonString());
        Assert.Equal("transaction-response", result.Body["type"]!.GetValue<string>());
        return [.. result.Body["entry"]!.AsArray().Select(e => e!["response"]!["status"]!.GetValue<string>())];
    }

    [Theory]
    [MemberData(nameof(ExampleCatalog.ValidData), MemberType = typeof(ExampleCatalog))]
    public async Task Every_answer_is_stored_as_a_transaction_with_no_dangling_reference_and_saving_it_again_changes_nothing(string file)
    {
        var answer = await AssessAsync(file);
        var transaction = ResponseTransaction.Build(answer, new WriteBackRequest(Base, Clinician));
        Assert.All(transaction.Entry, e =>
        {
            Assert.StartsWith("urn:uuid:", e.FullUrl, StringComparison.Ordinal);
            Assert.Equal(Bundle.HTTPVerb.POST, e.Request!.Method);
            Assert.False(string.IsNullOrEmpty(e.Request.IfNoneExist), $"{e.Resource!.TypeName} is not a conditional create");
        });

        var store = new PatientStore();
        var first = Statuses(Save(store, answer));
        Assert.Equal(transaction.Entry.Count, first.Count);
        Assert.All(first, s => Assert.Equal("201 Created", s));
        Assert.Empty(StoredReferences.Dangling(store));

        // The Device and the Provenance are saved; the engine's caveats are notes of the plan, one per issue.
        Assert.Single(store.All("Device"));
        var provenance = Assert.Single(store.All("Provenance"));
        Assert.Contains(provenance["agent"]!.AsArray(), a => a!["who"]!["reference"]!.GetValue<string>() == Clinician);
        var plan = Assert.Single(store.All("CarePlan"));
        var issues = answer.Entry.Select(e => e.Resource).OfType<OperationOutcome>().SelectMany(o => o.Issue).Count();
        var notes = answer.Entry.Select(e => e.Resource).OfType<CarePlan>().Single().Note.Count;
        Assert.Equal(notes + issues, (plan["note"] as JsonArray)?.Count ?? 0);
        // Nothing saved is final (the answer is a proposal), and the engine is named as the maker of each score and risk.
        var engine = $"Device/{store.All("Device")[0]["id"]}";
        var scores = store.All("Observation").Where(r => r["identifier"]?[0]?["system"]?.GetValue<string>() == OutputIdentifiers.OutputSystem).ToList();
        Assert.All(scores.Concat(store.All("RiskAssessment")), r => Assert.Equal("preliminary", r["status"]!.GetValue<string>()));
        Assert.All(scores, r => Assert.Equal(engine, r["device"]!["reference"]!.GetValue<string>()));
        Assert.All(store.All("RiskAssessment"), r => Assert.Equal(engine, r["performer"]!["reference"]!.GetValue<string>()));

        var before = StoredReferences.Dump(store);
        var second = Statuses(Save(store, answer));
        Assert.All(second, s => Assert.Equal("200 OK", s));
        Assert.Equal(before, StoredReferences.Dump(store));
    }

    [Fact]
    public async Task The_same_assessment_in_French_is_the_same_assessment_and_creates_nothing()
    {
        var store = new PatientStore();
        Assert.All(Statuses(Save(store, await AssessAsync("fracture-femur-mirels-8.json", "en"))), s => Assert.Equal("201 Created", s));
        var before = StoredReferences.Dump(store);
        var french = await AssessAsync("fracture-femur-mirels-8.json", "fr");
        Assert.All(Statuses(Save(store, french)), s => Assert.Equal("200 OK", s));
        Assert.Equal(before, StoredReferences.Dump(store));
    }

    [Fact]
    public async Task Another_assessment_date_is_another_assessment()
    {
        var store = new PatientStore();
        Statuses(Save(store, await AssessAsync("fracture-femur-mirels-8.json")));
        var parameters = (Parameters)Wire.ParseValidExample("fracture-femur-mirels-8.json");
        parameters.Parameter.Single(p => p.Name == "assessmentDate").Value = new FhirDateTime("2026-03-17");
        var response = await Wire.PostAsync(factory.CreateClient(), "/fhir/$assess", Wire.Body(FhirSerialization.Serialize(parameters, FhirFormat.Json)));
        var later = (Bundle)await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json);
        var statuses = Statuses(Save(store, later));
        // The inputs and the engine's Device are the same records; every output is new.
        Assert.Contains("201 Created", statuses);
        Assert.Equal(2, store.All("CarePlan").Count);
        Assert.Single(store.All("Device"));
        Assert.Single(store.All("Patient"));
    }

    [Fact]
    public async Task A_changed_measurement_the_engine_uses_is_another_assessment_with_other_identifiers()
    {
        var parameters = (Parameters)Wire.ParseValidExample("fracture-femur-mirels-8.json");
        var size = ((Bundle)parameters.Parameter.Single(p => p.Name == "data").Resource!).Entry.Select(e => e.Resource).OfType<Observation>()
            .Single(o => o.Code.Coding.Any(c => c.Code == "mirels-size"));
        ((Quantity)size.Value!).Value = 55m; // still the same Mirels band: only the data differ
        var response = await Wire.PostAsync(factory.CreateClient(), "/fhir/$assess", Wire.Body(FhirSerialization.Serialize(parameters, FhirFormat.Json)));
        var changed = (Bundle)await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json);
        var original = await AssessAsync("fracture-femur-mirels-8.json");

        Assert.NotEqual(original.Identifier!.Value, changed.Identifier!.Value);
        var plan = (Bundle b) => b.Entry.Select(e => e.Resource).OfType<CarePlan>().Single().Identifier.Single().Value;
        Assert.NotEqual(plan(original), plan(changed));
        // The engine is the same Device either way.
        var device = (Bundle b) => b.Entry.Select(e => e.Resource).OfType<Device>().Single().Identifier.Single().Value;
        Assert.Equal(device(original), device(changed));
    }

    [Fact]
    public async Task One_dangling_reference_refuses_the_whole_transaction_and_nothing_is_stored()
    {
        var store = new PatientStore();
        var before = StoredReferences.Dump(store);
        var transaction = StoredReferences.Json(ResponseTransaction.Build(await AssessAsync("fracture-femur-mirels-8.json"), new WriteBackRequest(Base, Clinician)));
        var plan = transaction["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject()).First(r => r["resourceType"]!.GetValue<string>() == "CarePlan");
        plan["supportingInfo"] = new JsonArray(new JsonObject { ["reference"] = "urn:uuid:0a0a0a0a-0000-4000-8000-000000000000" });

        var result = Transaction.Process(store, transaction, Base, null);

        Assert.Equal(400, result.Status);
        Assert.Equal("not-found", result.Body["issue"]![0]!["code"]!.GetValue<string>());
        Assert.Contains("urn:uuid:0a0a0a0a-0000-4000-8000-000000000000", result.Body["issue"]![0]!["details"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, StoredReferences.Dump(store));
    }

    [Theory]
    [InlineData("Patient/not-here")]
    [InlineData("http://elsewhere.example/fhir/Patient/p1")]
    [InlineData("#absent")]
    public void A_reference_to_an_unknown_resource_another_server_or_a_missing_contained_one_is_refused(string reference)
    {
        var store = new PatientStore();
        var result = Transaction.Process(store, Tx(new JsonObject
        {
            ["resourceType"] = "Device",
            ["patient"] = new JsonObject { ["reference"] = reference },
        }), Base, null);
        Assert.Equal(400, result.Status);
        Assert.Empty(store.All("Device"));
    }

    [Fact]
    public void A_PUT_creates_at_its_id_then_an_identical_PUT_changes_nothing_and_a_different_one_makes_version_2()
    {
        var store = new PatientStore();
        JsonObject Put(string name) => Tx(new JsonObject { ["resourceType"] = "Device", ["id"] = "d1", ["deviceName"] = new JsonArray(new JsonObject { ["name"] = name, ["type"] = "other" }) }, "PUT", "Device/d1");

        var created = Transaction.Process(store, Put("a"), Base, null);
        Assert.Equal("201 Created", created.Body["entry"]![0]!["response"]!["status"]!.GetValue<string>());
        Assert.Equal("Device/d1/_history/1", created.Body["entry"]![0]!["response"]!["location"]!.GetValue<string>());
        Assert.Equal("Device/d1/_history/1", Transaction.Process(store, Put("a"), Base, null).Body["entry"]![0]!["response"]!["location"]!.GetValue<string>());
        var updated = Transaction.Process(store, Put("b"), Base, null);
        Assert.Equal("200 OK", updated.Body["entry"]![0]!["response"]!["status"]!.GetValue<string>());
        Assert.Equal("Device/d1/_history/2", updated.Body["entry"]![0]!["response"]!["location"]!.GetValue<string>());
        Assert.Equal("b", store.Read("Device", "d1")!["deviceName"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void An_ifNoneExist_matching_two_resources_is_412_and_an_unsupported_parameter_is_400()
    {
        var store = new PatientStore();
        JsonObject Device() => Tx(new JsonObject { ["resourceType"] = "Device", ["identifier"] = new JsonArray(new JsonObject { ["system"] = "urn:s", ["value"] = "v" }) });
        Assert.Equal(200, Transaction.Process(store, Device(), Base, null).Status);
        Assert.Equal(200, Transaction.Process(store, Device(), Base, null).Status);
        Assert.Equal(2, store.All("Device").Count);

        Assert.Equal(412, Transaction.Process(store, Tx(new JsonObject { ["resourceType"] = "Device" }, ifNoneExist: "identifier=urn:s|v"), Base, null).Status);
        Assert.Equal(400, Transaction.Process(store, Tx(new JsonObject { ["resourceType"] = "Device" }, ifNoneExist: "name=x"), Base, null).Status);
        Assert.Equal(2, store.All("Device").Count);
    }

    private static JsonObject Tx(JsonObject resource, string method = "POST", string? url = null, string? ifNoneExist = null)
    {
        var request = new JsonObject { ["method"] = method, ["url"] = url ?? resource["resourceType"]!.GetValue<string>() };
        if (ifNoneExist is not null)
        {
            request["ifNoneExist"] = ifNoneExist;
        }

        return new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "transaction",
            ["entry"] = new JsonArray(new JsonObject { ["fullUrl"] = "urn:uuid:5b0f4a7e-0000-4000-8000-000000000001", ["resource"] = resource, ["request"] = request }),
        };
    }
}
