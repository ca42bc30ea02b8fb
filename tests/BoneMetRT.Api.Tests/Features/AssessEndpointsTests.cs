using System.Net;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Tests.Features;

/// <summary>
/// <c>POST [base]/$assess</c> on every example: the service answers exactly the Bundle (or OperationOutcome) of the
/// FHIR layer's golden file, whatever the wire format and however it is negotiated (Content-Type, Accept, _format).
/// </summary>
public sealed class AssessEndpointsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Theory]
    [MemberData(nameof(ExampleCatalog.ValidData), MemberType = typeof(ExampleCatalog))]
    public async Task Valid_example_json_in_json_out_is_its_golden_bundle(string file)
    {
        using var response = await Wire.PostAsync(_client, "/fhir/$assess", Wire.Body(Wire.ValidExample(file), Wire.Json));

        var bundle = Assert.IsType<Bundle>(await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json));
        Golden.AssertMatches(ExampleCatalog.ValidFolder, file, bundle, FhirFormat.Json);
    }

    [Theory]
    [MemberData(nameof(ExampleCatalog.ValidData), MemberType = typeof(ExampleCatalog))]
    public async Task Valid_example_xml_in_xml_out_is_its_golden_bundle(string file)
    {
        var xml = FhirSerialization.Serialize(Wire.ParseValidExample(file), FhirFormat.Xml);

        using var response = await Wire.PostAsync(_client, "/fhir/$assess", Wire.Body(xml, Wire.Xml));

        var bundle = Assert.IsType<Bundle>(await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Xml));
        Golden.AssertMatches(ExampleCatalog.ValidFolder, file, bundle, FhirFormat.Xml);
    }

    [Theory]
    [MemberData(nameof(ExampleCatalog.ValidData), MemberType = typeof(ExampleCatalog))]
    public async Task Valid_example_json_in_xml_out_by_accept_is_its_golden_bundle(string file)
    {
        using var response = await Wire.PostAsync(_client, "/fhir/$assess", Wire.Body(Wire.ValidExample(file), Wire.Json), accept: Wire.Xml);

        var bundle = Assert.IsType<Bundle>(await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Xml));
        Golden.AssertMatches(ExampleCatalog.ValidFolder, file, bundle, FhirFormat.Xml);
    }

    [Theory]
    [MemberData(nameof(ExampleCatalog.ValidData), MemberType = typeof(ExampleCatalog))]
    public async Task Valid_example_json_in_xml_out_by_format_parameter_is_its_golden_bundle(string file)
    {
        // _format wins over Accept (FHIR http §format).
        using var response = await Wire.PostAsync(_client, "/fhir/$assess?_format=xml", Wire.Body(Wire.ValidExample(file), Wire.Json), accept: Wire.Json);

        var bundle = Assert.IsType<Bundle>(await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Xml));
        Golden.AssertMatches(ExampleCatalog.ValidFolder, file, bundle, FhirFormat.Xml);
    }

    [Theory]
    [InlineData("xml", FhirFormat.Xml)]
    [InlineData("application/fhir+xml", FhirFormat.Xml)]
    [InlineData("application/xml", FhirFormat.Xml)]
    [InlineData("json", FhirFormat.Json)]
    [InlineData("application/fhir+json", FhirFormat.Json)]
    public async Task Format_parameter_accepts_short_and_mime_forms(string format, FhirFormat expected)
    {
        const string file = "fracture-femur-mirels-8.json";
        var xml = FhirSerialization.Serialize(Wire.ParseValidExample(file), FhirFormat.Xml);

        using var response = await Wire.PostAsync(_client, "/fhir/$assess?_format=" + Uri.EscapeDataString(format), Wire.Body(xml, Wire.Xml));

        var bundle = Assert.IsType<Bundle>(await Wire.ReadAsync(response, HttpStatusCode.OK, expected));
        Golden.AssertMatches(ExampleCatalog.ValidFolder, file, bundle, expected);
    }

    [Fact]
    public async Task Patient_type_level_answers_as_the_system_level()
    {
        const string file = "mscc-nsclc.json";

        using var response = await Wire.PostAsync(_client, "/fhir/Patient/$assess", Wire.Body(Wire.ValidExample(file)));

        var bundle = Assert.IsType<Bundle>(await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json));
        Golden.AssertMatches(ExampleCatalog.ValidFolder, file, bundle, FhirFormat.Json);
    }

    [Fact]
    public async Task Plain_json_media_types_are_accepted()
    {
        const string file = "searchset-bundle.json";

        using var response = await Wire.PostAsync(_client, "/fhir/$assess", Wire.Body(Wire.ValidExample(file), "application/json; charset=utf-8"), accept: "application/json");

        var bundle = Assert.IsType<Bundle>(await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json));
        Golden.AssertMatches(ExampleCatalog.ValidFolder, file, bundle, FhirFormat.Json);
    }

    [Theory]
    [InlineData(Wire.Json)]
    [InlineData(Wire.Xml)]
    public async Task A_body_starting_with_a_utf8_byte_order_mark_is_accepted(string mediaType)
    {
        // Editors on Windows save files with a BOM; JSON parsers may ignore it (RFC 8259 §8.1) and XML allows it.
        const string file = "fracture-humerus-mirels-7.json";
        var format = mediaType == Wire.Xml ? FhirFormat.Xml : FhirFormat.Json;
        byte[] body = [0xEF, 0xBB, 0xBF, .. FhirSerialization.Serialize(Wire.ParseValidExample(file), format)];

        using var response = await Wire.PostAsync(_client, "/fhir/$assess", Wire.Body(body, mediaType));

        var bundle = Assert.IsType<Bundle>(await Wire.ReadAsync(response, HttpStatusCode.OK, format));
        Golden.AssertMatches(ExampleCatalog.ValidFolder, file, bundle, format);
    }

    [Fact]
    public async Task A_bare_bundle_body_is_taken_as_data()
    {
        var parameters = Assert.IsType<Parameters>(Wire.ParseValidExample("fracture-femur-mirels-8.json"));
        var data = parameters.Parameter.Single(p => p.Name == "data").Resource!;

        using var response = await Wire.PostAsync(_client, "/fhir/$assess", Wire.Body(FhirSerialization.Serialize(data, FhirFormat.Json)));

        var bundle = Assert.IsType<Bundle>(await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json));
        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        var mirels = bundle.Entry.Select(e => e.Resource).OfType<Observation>()
            .Single(o => o.Code?.Coding.Any(c => c.Code == "mirels-score") == true);
        Assert.Equal(8, Assert.IsType<Integer>(mirels.Value).Value);
    }

    [Theory]
    [MemberData(nameof(ExampleCatalog.InvalidData), MemberType = typeof(ExampleCatalog))]
    public async Task Invalid_example_answers_its_status_and_its_golden_outcome(string file)
    {
        using var response = await Wire.PostAsync(_client, "/fhir/$assess", Wire.Body(Wire.InvalidExample(file)));

        await Wire.AssertOutcomeAsync(response, (HttpStatusCode)ExampleCatalog.ExpectedStatus[file]);
        var outcome = Wire.Parse(await response.Content.ReadAsByteArrayAsync(), FhirFormat.Json);
        Golden.AssertMatches(ExampleCatalog.InvalidFolder, file, outcome);
    }

    [Theory]
    [MemberData(nameof(ExampleCatalog.InvalidData), MemberType = typeof(ExampleCatalog))]
    public async Task Invalid_example_answers_its_outcome_in_xml_when_asked(string file)
    {
        using var response = await Wire.PostAsync(_client, "/fhir/$assess?_format=xml", Wire.Body(Wire.InvalidExample(file)));

        await Wire.AssertOutcomeAsync(response, (HttpStatusCode)ExampleCatalog.ExpectedStatus[file], FhirFormat.Xml);
    }

    [Fact]
    public async Task Unprocessable_xml_body_answers_in_xml()
    {
        var xml = FhirSerialization.Serialize(Wire.Parse(Wire.InvalidExample("reference-to-nothing.json"), FhirFormat.Json), FhirFormat.Xml);

        using var response = await Wire.PostAsync(_client, "/fhir/$assess", Wire.Body(xml, Wire.Xml));

        var errors = await Wire.AssertOutcomeAsync(response, HttpStatusCode.UnprocessableEntity, FhirFormat.Xml);
        Assert.Contains(errors, i => i.Expression.Any(e => e?.Contains(".focus", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task French_error_messages_with_accept_language()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fhir/$assess") { Content = Wire.Body("{\"resourceType\":") };
        request.Headers.AcceptLanguage.ParseAdd("fr-FR, en;q=0.5");

        using var response = await _client.SendAsync(request);

        var errors = await Wire.AssertOutcomeAsync(response, HttpStatusCode.BadRequest);
        Assert.StartsWith("Le corps", errors[0].Details?.Text, StringComparison.Ordinal);
    }
}
