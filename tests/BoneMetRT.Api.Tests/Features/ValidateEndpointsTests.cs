using System.Net;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Tests.Features;

/// <summary>
/// <c>POST [base]/$validate</c> and <c>POST [base]/{type}/$validate</c>: an OperationOutcome (200 whatever it says),
/// with error issues pointing at what is wrong.
/// </summary>
public sealed class ValidateEndpointsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    private static Bundle DataOf(Resource parameters) =>
        Assert.IsType<Bundle>(Assert.IsType<Parameters>(parameters).Parameter.Single(p => p.Name == "data").Resource);

    private static Bundle ValidBundle => DataOf(Wire.ParseValidExample("fracture-femur-mirels-8.json"));

    private static Bundle InvalidBundle => DataOf(Wire.Parse(Wire.InvalidExample("invalid-observation-value.json"), FhirFormat.Json));

    /// <summary>The explicit mirels-size Observation of a Bundle.</summary>
    private static Observation MirelsSize(Bundle bundle) => bundle.Entry.Select(e => e.Resource).OfType<Observation>()
        .Single(o => o.Code?.Coding.Any(c => c.Code == "mirels-size") == true);

    private static List<OperationOutcome.IssueComponent> Errors(OperationOutcome outcome) =>
        [.. outcome.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)];

    private async Task<OperationOutcome> ValidateAsync(string url, Resource resource, FhirFormat format = FhirFormat.Json)
    {
        using var response = await Wire.PostAsync(_client, url, Wire.Body(FhirSerialization.Serialize(resource, format), FhirSerialization.MediaType(format)));
        return Assert.IsType<OperationOutcome>(await Wire.ReadAsync(response, HttpStatusCode.OK, format));
    }

    [Theory]
    [InlineData(FhirFormat.Json)]
    [InlineData(FhirFormat.Xml)]
    public async Task A_valid_bundle_has_no_error(FhirFormat format)
    {
        var outcome = await ValidateAsync("/fhir/$validate", ValidBundle, format);

        Assert.Empty(Errors(outcome));
    }

    [Theory]
    [InlineData(FhirFormat.Json)]
    [InlineData(FhirFormat.Xml)]
    public async Task An_invalid_bundle_has_an_error_at_the_observation_value(FhirFormat format)
    {
        var outcome = await ValidateAsync("/fhir/$validate", InvalidBundle, format);

        Assert.Contains(Errors(outcome), i => i.Expression.Any(e => e?.StartsWith("Bundle.entry[2].resource.value", StringComparison.Ordinal) == true));
    }

    [Theory]
    [InlineData("fracture-femur-mirels-8.json", true)]
    [InlineData("invalid-observation-value.json", false)]
    public async Task An_assess_request_body_is_validated_as_assess_validates_it(string file, bool valid)
    {
        // A tester checks the body they would send to $assess: the data Bundle and its input profiles.
        var body = valid ? Wire.ValidExample(file) : Wire.InvalidExample(file);

        using var response = await Wire.PostAsync(_client, "/fhir/$validate", Wire.Body(body));

        var errors = Errors(Assert.IsType<OperationOutcome>(await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json)));
        if (valid)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains(errors, i => i.Expression.Any(e => e?.StartsWith("Parameters.parameter[0].resource.entry[2].resource.value", StringComparison.Ordinal) == true));
        }
    }

    [Fact]
    public async Task Parameters_with_a_resource_are_validated_as_that_resource()
    {
        var parameters = new Parameters();
        parameters.Add("resource", InvalidBundle);

        var outcome = await ValidateAsync("/fhir/$validate", parameters);

        Assert.NotEmpty(Errors(outcome));
    }

    [Fact]
    public async Task A_valid_observation_at_type_level_has_no_error()
    {
        var outcome = await ValidateAsync("/fhir/Observation/$validate", MirelsSize(ValidBundle));

        Assert.Empty(Errors(outcome));
        Assert.NotEmpty(outcome.Issue); // an OperationOutcome has at least one issue (here: all is well)
    }

    [Fact]
    public async Task An_invalid_observation_at_type_level_has_an_error_at_its_value()
    {
        var observation = MirelsSize(InvalidBundle);
        Assert.IsType<FhirString>(observation.Value);

        var outcome = await ValidateAsync("/fhir/Observation/$validate", observation);

        Assert.Contains(Errors(outcome), i => i.Expression.Concat(i.Location).Any(e => e?.StartsWith("Observation.value", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task An_observation_checked_against_a_profile_given_in_the_query()
    {
        // A valid LOINC pain score is not a valid mirels-size Observation.
        var pain = ValidBundle.Entry.Select(e => e.Resource).OfType<Observation>()
            .First(o => o.Code?.Coding.Any(c => c.System == "http://loinc.org") == true);

        var outcome = await ValidateAsync("/fhir/Observation/$validate?profile=" + Uri.EscapeDataString("https://bonemetrt.org/fhir/StructureDefinition/bonemet-mirels-size"), pain);

        Assert.NotEmpty(Errors(outcome));
    }

    [Fact]
    public async Task Type_level_with_another_type_is_422()
    {
        using var response = await Wire.PostAsync(_client, "/fhir/Observation/$validate", Wire.Body("""{"resourceType":"Patient","id":"p1"}"""));

        await Wire.AssertOutcomeAsync(response, HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Unparseable_body_is_400()
    {
        using var response = await Wire.PostAsync(_client, "/fhir/$validate", Wire.Body("<Observation xmlns=\"http://hl7.org/fhir\"><status value=\"final\"/>", Wire.Xml));

        await Wire.AssertOutcomeAsync(response, HttpStatusCode.BadRequest, FhirFormat.Xml);
    }
}
