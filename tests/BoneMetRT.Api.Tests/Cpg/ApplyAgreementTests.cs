using System.Net;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Tests.Cpg;

/// <summary>
/// <c>PlanDefinition/$apply</c> and <c>$assess</c> agree on every valid example: the same situations (the
/// PlanDefinition's FHIRPath conditions, evaluated on the engine's answer, select exactly the situations the engine
/// found), the same activities, RequestGroups, requests and regimens in the same order, and the same messages; and the
/// CarePlan of <c>$apply</c> validates against FHIR R4 and the BoneMetRT profiles.
/// </summary>
public sealed class ApplyAgreementTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    /// <summary>The $apply request of an example: its parameters, with <c>language</c> as CPG's <c>userLanguage</c>.</summary>
    internal static Parameters ApplyRequest(string file)
    {
        var example = Assert.IsType<Parameters>(Wire.ParseValidExample(file));
        var apply = new Parameters();
        foreach (var p in example.Parameter)
        {
            apply.Parameter.Add(p.Name == "language"
                ? new Parameters.ParameterComponent { Name = "userLanguage", Value = new CodeableConcept("urn:ietf:bcp:47", (p.Value as Code)?.Value ?? "") }
                : (Parameters.ParameterComponent)p.DeepCopy());
        }

        return apply;
    }

    [Theory]
    [MemberData(nameof(ExampleCatalog.ValidData), MemberType = typeof(ExampleCatalog))]
    public async Task Apply_proposes_what_assess_proposes(string file)
    {
        using var assessed = await Wire.PostAsync(_client, "/fhir/$assess", Wire.Body(Wire.ValidExample(file)));
        var bundle = Assert.IsType<Bundle>(await Wire.ReadAsync(assessed, HttpStatusCode.OK, FhirFormat.Json));
        using var applied = await Wire.PostAsync(_client, "/fhir/PlanDefinition/bone-metastasis-radiotherapy/$apply",
            Wire.Body(FhirSerialization.Serialize(ApplyRequest(file), FhirFormat.Json)));
        var plan = Assert.IsType<CarePlan>(await Wire.ReadAsync(applied, HttpStatusCode.OK, FhirFormat.Json));

        var assessPlan = bundle.Entry.Select(e => e.Resource).OfType<CarePlan>().Single();
        var expected = ApplyProposals.Of(assessPlan, url => bundle.Entry.SingleOrDefault(e => e.FullUrl == url)?.Resource);
        var actual = ApplyProposals.Of(plan, url => plan.Contained.SingleOrDefault(r => "#" + r.Id == url));
        Assert.Equal(expected, actual);
        Assert.Equal([PackageCanonicals.PlanDefinition], plan.InstantiatesCanonical);

        // The same messages, in the same order (their expressions point at the same input in both requests).
        var messages = (OperationOutcome? o) => o?.Issue.Select(i => $"{i.Severity} {i.Details?.Text} @ {string.Join(",", i.Expression)}").ToList() ?? [];
        Assert.Equal(messages(bundle.Entry.Select(e => e.Resource).OfType<OperationOutcome>().SingleOrDefault()),
            messages(plan.Contained.OfType<OperationOutcome>().SingleOrDefault()));

        // Every reference between the outputs is local, and every contained resource is one of $assess's outputs.
        var outputs = bundle.Entry.Where(e => e.Resource is not null and not CarePlan and not Provenance && e.Resource!.Meta?.Tag.Any(t => t.Code == "input") != true).ToList();
        Assert.Equal(outputs.Select(e => e.Resource!.TypeName).Order(), plan.Contained.Select(r => r.TypeName).Order());
        // References to the caller's data stay as the caller wrote them (its fullUrl, or Type/id where it gave an id).
        var data = ApplyRequest(file).Parameter.Single(p => p.Name == "data").Resource as Bundle;
        var known = data!.Entry.Select(e => e.FullUrl).Concat(data.Entry.Select(e => $"{e.Resource?.TypeName}/{e.Resource?.Id}")).ToHashSet();
        var references = plan.Select("descendants().ofType(Reference)").OfType<ResourceReference>().Select(r => r.Reference).OfType<string>().ToList();
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.True(
            r.StartsWith('#') ? plan.Contained.Any(c => "#" + c.Id == r) : known.Contains(r),
            $"{file}: {r} resolves neither to a contained resource nor to the data sent"));
    }

    [Theory]
    [MemberData(nameof(ExampleCatalog.ValidData), MemberType = typeof(ExampleCatalog))]
    public async Task Apply_answer_validates(string file)
    {
        using var applied = await Wire.PostAsync(_client, "/fhir/PlanDefinition/bone-metastasis-radiotherapy/$apply",
            Wire.Body(FhirSerialization.Serialize(ApplyRequest(file), FhirFormat.Json)));
        var plan = Assert.IsType<CarePlan>(await Wire.ReadAsync(applied, HttpStatusCode.OK, FhirFormat.Json));

        var outcome = FhirValidation.Default.Validate(plan);
        var errors = outcome.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => $"{string.Join(",", i.Expression.Concat(i.Location))}: {i.Details?.Text ?? i.Diagnostics}").ToList();
        Assert.True(errors.Count == 0, $"{file}: the $apply answer does not validate:\n{string.Join("\n", errors)}");
    }
}
