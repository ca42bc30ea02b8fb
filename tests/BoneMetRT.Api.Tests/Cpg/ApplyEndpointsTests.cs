using System.Net;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;
using Newtonsoft.Json.Linq;
using Snapshooter;
using Snapshooter.Xunit;

namespace BoneMetRT.Api.Tests.Cpg;

/// <summary>
/// <c>POST [base]/PlanDefinition/$apply</c> and <c>POST [base]/PlanDefinition/{id}/$apply</c>: how the PlanDefinition is
/// named, the CPG parameters, every parameter error as a 4xx OperationOutcome, and the golden answer of one example
/// (<c>tests/BoneMetRT.Api.Tests/Cpg/__snapshots__/</c>).
/// </summary>
public sealed class ApplyEndpointsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Femur = "fracture-femur-mirels-8.json";
    private const string Instance = "/fhir/PlanDefinition/bone-metastasis-radiotherapy/$apply";
    private const string TypeLevel = "/fhir/PlanDefinition/$apply";
    private readonly HttpClient _client = api.CreateClient();

    private static Parameters Request(params Parameters.ParameterComponent[] extra)
    {
        var parameters = ApplyAgreementTests.ApplyRequest(Femur);
        parameters.Parameter.AddRange(extra);
        return parameters;
    }

    private static Parameters.ParameterComponent P(string name, DataType value) => new() { Name = name, Value = value };

    private Task<HttpResponseMessage> PostAsync(string url, Resource body) =>
        Wire.PostAsync(_client, url, Wire.Body(FhirSerialization.Serialize(body, FhirFormat.Json)));

    private static async Task<CarePlan> PlanAsync(HttpResponseMessage response) =>
        Assert.IsType<CarePlan>(await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json));

    [Fact]
    public async Task Type_level_by_url_with_or_without_version_answers_as_the_instance_level()
    {
        using var instance = await PostAsync(Instance, Request());
        var expected = await PlanAsync(instance);

        foreach (var url in new[] { PackageCanonicals.PlanDefinition, PackageCanonicals.PlanDefinition + "|0.2.0" })
        {
            using var response = await PostAsync(TypeLevel, Request(P("url", new FhirUri(url))));
            var plan = await PlanAsync(response);
            // Same proposals; the ids differ because they are derived from the request's content.
            Assert.Equal(Proposals(expected), Proposals(plan));
            Assert.Equal(CarePlan.CarePlanIntent.Proposal, plan.Intent);
            Assert.Equal(RequestStatus.Draft, plan.Status);
            Assert.Contains(plan.Contained, r => r is RequestGroup);
        }
    }

    private static List<string> Proposals(CarePlan plan) => ApplyProposals.Of(plan, url => plan.Contained.SingleOrDefault(r => "#" + r.Id == url));

    [Fact]
    public async Task Type_level_with_the_plan_definition_resource_applies_it_and_says_how()
    {
        var definition = (PlanDefinition)Fhir.Cpg.GuidelinePlan.Default.Definition.DeepCopy();
        var parameters = Request(new Parameters.ParameterComponent { Name = "planDefinition", Resource = definition });

        using var response = await PostAsync(TypeLevel, parameters);

        var plan = await PlanAsync(response);
        var outcome = plan.Contained.OfType<OperationOutcome>().Single();
        Assert.Contains(outcome.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Information
            && i.Expression.SequenceEqual([$"Parameters.parameter[{parameters.Parameter.Count - 1}].resource"]));
    }

    [Fact]
    public async Task Setting_and_unsupported_cpg_parameters_are_reported_not_dropped()
    {
        var parameters = Request(
            P("setting", new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB")),
            P("encounter", new FhirString("Encounter/1")),
            P("colour", new FhirString("blue")),
            P("useServerData", new FhirBoolean(false)));
        var n = parameters.Parameter.Count;

        using var response = await PostAsync(Instance, parameters);

        var outcome = (await PlanAsync(response)).Contained.OfType<OperationOutcome>().Single();
        Assert.Contains(outcome.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Information && i.Expression.SequenceEqual([$"Parameters.parameter[{n - 4}]"]));
        Assert.Contains(outcome.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Warning && i.Expression.SequenceEqual([$"Parameters.parameter[{n - 3}]"])
            && (i.Details?.Text ?? "").Contains("CPG", StringComparison.Ordinal));
        Assert.Contains(outcome.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Warning && i.Expression.SequenceEqual([$"Parameters.parameter[{n - 2}]"])
            && (i.Details?.Text ?? "").Contains("Unknown parameter 'colour'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task User_language_french_gives_french_texts()
    {
        using var response = await PostAsync(Instance, Request(P("userLanguage", new CodeableConcept("urn:ietf:bcp:47", "fr-FR"))));

        var plan = await PlanAsync(response);
        Assert.Equal("fr", plan.Language);
        Assert.All(plan.Contained.OfType<RequestGroup>(), g => Assert.Equal("fr", g.Language));
    }

    public static TheoryData<string, string, int, string> Errors => new()
    {
        // url, extra parameter (name=value; "" for none), status, words the message holds
        { TypeLevel, "", 422, "Name the PlanDefinition" },
        { TypeLevel, "url=https://example.org/PlanDefinition/other", 404, "No PlanDefinition" },
        { TypeLevel, "url=https://bonemetrt.org/fhir/PlanDefinition/bone-metastasis-radiotherapy|9.9.9", 404, "version 0.2.0" },
        { "/fhir/PlanDefinition/other/$apply", "", 404, "PlanDefinition/other is not known" },
        { Instance, "url=https://bonemetrt.org/fhir/PlanDefinition/bone-metastasis-radiotherapy", 422, "not allowed at instance level" },
        // Request() sends data: with useServerData=true too, the two records are not merged (docs/cpg.md).
        { Instance, "useServerData=true", 422, "cannot be combined" },
        { Instance, "userLanguage=de", 422, "userLanguage" },
        { Instance, "assessmentDate=yesterday", 422, "assessmentDate" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Parameter_errors_are_4xx_operation_outcomes(string url, string extra, int status, string words)
    {
        var parameters = Request();
        if (extra.Length > 0)
        {
            var (name, value) = (extra.Split('=', 2)[0], extra.Split('=', 2)[1]);
            parameters.Parameter.Add(name switch
            {
                "url" => P(name, new FhirUri(value)),
                "useServerData" => P(name, new FhirBoolean(bool.Parse(value))),
                "userLanguage" => P(name, new CodeableConcept("urn:ietf:bcp:47", value)),
                _ => P(name, new FhirString(value)),
            });
        }

        using var response = await PostAsync(url, parameters);

        var issues = await Wire.AssertOutcomeAsync(response, (HttpStatusCode)status);
        Assert.Contains(issues, i => i.Severity == OperationOutcome.IssueSeverity.Error && (i.Details?.Text ?? "").Contains(words, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_data_a_bare_bundle_and_a_foreign_plan_definition_are_422()
    {
        // Without data, useServerData defaults to true; this service has no FHIR server configured, and says so.
        using (var noData = await PostAsync(Instance, new Parameters { Parameter = [P("subject", new FhirString("Patient/1"))] }))
        {
            var issues = await Wire.AssertOutcomeAsync(noData, HttpStatusCode.UnprocessableEntity);
            Assert.Contains(issues, i => (i.Details?.Text ?? "").Contains("BoneMetRT:FhirServer:BaseUrl", StringComparison.Ordinal)
                && (i.Details?.Text ?? "").Contains("'data'", StringComparison.Ordinal));
        }

        using (var noDataNoServer = await PostAsync(Instance, new Parameters { Parameter = [P("subject", new FhirString("Patient/1")), P("useServerData", new FhirBoolean(false))] }))
        {
            var issues = await Wire.AssertOutcomeAsync(noDataNoServer, HttpStatusCode.UnprocessableEntity);
            Assert.Contains(issues, i => (i.Details?.Text ?? "").Contains("'data' (the patient's Bundle) is required when useServerData is false", StringComparison.Ordinal));
        }

        var data = Request().Parameter.Single(p => p.Name == "data").Resource!;
        using (var bare = await PostAsync(Instance, data))
        {
            var issues = await Wire.AssertOutcomeAsync(bare, HttpStatusCode.UnprocessableEntity);
            Assert.Contains(issues, i => (i.Details?.Text ?? "").Contains("expects a Parameters", StringComparison.Ordinal));
        }

        var foreign = new PlanDefinition { Url = "https://example.org/PlanDefinition/x", Status = PublicationStatus.Draft };
        using var other = await PostAsync(TypeLevel, Request(new Parameters.ParameterComponent { Name = "planDefinition", Resource = foreign }));
        var otherIssues = await Wire.AssertOutcomeAsync(other, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(otherIssues, i => i.Code == OperationOutcome.IssueType.NotSupported);
    }

    [Fact]
    public async Task Errors_speak_the_user_language()
    {
        using var response = await PostAsync(Instance, Request(P("useServerData", new FhirBoolean(true)), P("userLanguage", new CodeableConcept("urn:ietf:bcp:47", "fr"))));

        var issues = await Wire.AssertOutcomeAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(issues, i => (i.Details?.Text ?? "").Contains("ne peuvent être combinés", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invalid_data_is_the_422_of_assess()
    {
        var parameters = Assert.IsType<Parameters>(Wire.Parse(Wire.InvalidExample("invalid-observation-value.json"), FhirFormat.Json));

        using var response = await PostAsync(Instance, parameters);

        await Wire.AssertOutcomeAsync(response, HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Not_fhir_is_415_and_xml_works()
    {
        using (var text = await Wire.PostAsync(_client, Instance, Wire.Body("data", "text/plain")))
        {
            await Wire.AssertOutcomeAsync(text, HttpStatusCode.UnsupportedMediaType);
        }

        using var xml = await Wire.PostAsync(_client, Instance, Wire.Body(FhirSerialization.Serialize(Request(), FhirFormat.Xml), Wire.Xml));
        Assert.IsType<CarePlan>(await Wire.ReadAsync(xml, HttpStatusCode.OK, FhirFormat.Xml));
    }

    [Theory]
    [InlineData("/fhir/PlanDefinition/bone-metastasis-radiotherapy", "PlanDefinition")]
    [InlineData("/fhir/ActivityDefinition/rt-30gy-10fx", "ActivityDefinition")]
    [InlineData("/fhir/ActivityDefinition/specialised-tumour-board-review", "ActivityDefinition")]
    [InlineData("/fhir/OperationDefinition/apply", "OperationDefinition")]
    public async Task Knowledge_artifacts_are_served_by_type_and_id(string url, string type)
    {
        using var response = await Wire.GetAsync(_client, url);

        var resource = await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json);
        Assert.Equal(type, resource.TypeName);
        Assert.Equal(url.Split('/').Last(), resource.Id);
    }

    [Fact]
    public async Task Capability_statement_lists_apply_on_plan_definition()
    {
        using var response = await Wire.GetAsync(_client, "/fhir/metadata");

        var statement = Assert.IsType<CapabilityStatement>(await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json));
        var planDefinition = statement.Rest.Single().Resource.Single(r => r.Type == "PlanDefinition");
        Assert.Contains(planDefinition.Operation, o => o.Name == "apply" && o.Definition == PackageCanonicals.ApplyOperation);
    }

    [Fact]
    public async Task Answer_of_the_femur_example_matches_its_golden_file()
    {
        using var response = await PostAsync(Instance, Request());
        var plan = await PlanAsync(response);

        // Nothing in the CarePlan depends on the clock: created and every date are the assessment date.
        using var reader = new Newtonsoft.Json.JsonTextReader(new StringReader(FhirSerialization.ToText(plan, FhirFormat.Json)))
        {
            DateParseHandling = Newtonsoft.Json.DateParseHandling.None,
        };
        var folder = Path.Combine(ExampleCatalog.Root, "tests", "BoneMetRT.Api.Tests", "Cpg");
        var name = new SnapshotFullName("apply-" + Path.GetFileNameWithoutExtension(Femur) + ".snap", folder);
        Snapshot.Match(JToken.ReadFrom(reader), name);

        // Snapshooter writes a new golden file with a UTF-8 byte-order mark, which standard JSON parsers refuse: drop it.
        var path = Path.Combine(folder, "__snapshots__", name.Filename);
        var bytes = File.ReadAllBytes(path);
        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            File.WriteAllBytes(path, bytes[3..]);
        }
    }
}
