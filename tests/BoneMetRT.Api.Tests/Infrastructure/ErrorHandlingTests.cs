using System.Net;
using System.Text;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BoneMetRT.Api.Tests.Infrastructure;

/// <summary>
/// Every error status of the contract (fhir-contract.md §3): an OperationOutcome in the FHIR format asked for, never
/// HTML or a stack trace, with an expression or a location where there is one.
/// </summary>
public sealed class ErrorHandlingTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Malformed_json_is_400_with_the_line_and_position()
    {
        using var response = await Wire.PostAsync(_client, "/fhir/$assess", Wire.Body("{\n  \"resourceType\": \"Parameters\",\n  \"parameter\": [ { \"name\": \"data\" ]\n}"));

        var errors = await Wire.AssertOutcomeAsync(response, HttpStatusCode.BadRequest);
        var issue = Assert.Single(errors);
        Assert.Equal(OperationOutcome.IssueType.Structure, issue.Code);
        Assert.Equal(["line 3, position 35"], issue.Location);
    }

    [Fact]
    public async Task Malformed_xml_is_400_with_the_line_and_position()
    {
        const string xml = "<Parameters xmlns=\"http://hl7.org/fhir\">\n  <parameter>\n    <name value=\"data\"/>\n  </parameterr>\n</Parameters>";

        using var response = await Wire.PostAsync(_client, "/fhir/$assess", Wire.Body(xml, Wire.Xml));

        var errors = await Wire.AssertOutcomeAsync(response, HttpStatusCode.BadRequest, FhirFormat.Xml);
        var issue = Assert.Single(errors);
        Assert.Single(issue.Location);
        Assert.StartsWith("line 4, position ", issue.Location.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_fhir_element_is_400_with_its_expression()
    {
        using var response = await Wire.PostAsync(_client, "/fhir/$assess",
            Wire.Body("""{"resourceType":"Parameters","parameter":[{"name":"language","valueCode":"en","colour":"blue"}]}"""));

        var errors = await Wire.AssertOutcomeAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(errors, i => i.Expression.Contains("Parameters.parameter[0].colour"));
    }

    [Fact]
    public async Task Body_over_the_limit_is_413_by_content_length()
    {
        using var factory = new SmallLimitApiFactory();
        using var client = factory.CreateClient();
        var body = Wire.ValidExample("mscc-nsclc.json");
        Assert.True(body.Length > SmallLimitApiFactory.Limit);

        using var response = await Wire.PostAsync(client, "/fhir/$assess", Wire.Body(body));

        var issue = Assert.Single(await Wire.AssertOutcomeAsync(response, HttpStatusCode.RequestEntityTooLarge));
        Assert.Equal(OperationOutcome.IssueType.TooCostly, issue.Code);
        Assert.Contains(SmallLimitApiFactory.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture), issue.Details?.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_over_the_limit_is_413_when_streamed_without_content_length()
    {
        using var factory = new SmallLimitApiFactory();
        using var client = factory.CreateClient();

        using var response = await Wire.PostAsync(client, "/fhir/$assess?_format=xml", UnknownLengthContent.Of(Wire.ValidExample("mscc-nsclc.json"), Wire.Json));

        await Wire.AssertOutcomeAsync(response, HttpStatusCode.RequestEntityTooLarge, FhirFormat.Xml);
    }

    [Fact]
    public async Task Body_under_the_small_limit_is_still_processed()
    {
        using var factory = new SmallLimitApiFactory();
        using var client = factory.CreateClient();

        using var response = await Wire.PostAsync(client, "/fhir/$assess", Wire.Body("""{"resourceType":"Patient","id":"p1"}"""));

        await Wire.AssertOutcomeAsync(response, HttpStatusCode.UnprocessableEntity);
    }

    [Theory]
    [InlineData("text/plain", FhirFormat.Json, null)]
    [InlineData("text/plain", FhirFormat.Xml, Wire.Xml)]
    [InlineData(null, FhirFormat.Json, null)]
    [InlineData(null, FhirFormat.Xml, Wire.Xml)]
    [InlineData("multipart/form-data; boundary=x", FhirFormat.Json, null)]
    [InlineData("application/x-www-form-urlencoded", FhirFormat.Json, "text/html")]
    public async Task Unsupported_or_missing_media_type_is_415(string? contentType, FhirFormat answer, string? accept)
    {
        using var response = await Wire.PostAsync(_client, "/fhir/$assess", Wire.Body(Wire.ValidExample("mscc-nsclc.json"), contentType), accept);

        var issue = Assert.Single(await Wire.AssertOutcomeAsync(response, HttpStatusCode.UnsupportedMediaType, answer));
        Assert.Equal(OperationOutcome.IssueType.NotSupported, issue.Code);
        Assert.Contains("application/fhir+json", issue.Details?.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parseable_but_not_an_assess_input_is_422_with_its_expression()
    {
        using var response = await Wire.PostAsync(_client, "/fhir/$assess", Wire.Body(Wire.InvalidExample("reference-to-nothing.json")));

        var errors = await Wire.AssertOutcomeAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(errors, i => i.Expression.Any(e => e?.Contains(".focus", StringComparison.Ordinal) == true));
    }

    [Theory]
    [InlineData("/nowhere", null, FhirFormat.Json)]
    [InlineData("/fhir", null, FhirFormat.Json)]
    [InlineData("/fhir/Patient", null, FhirFormat.Json)]
    [InlineData("/fhir/Patient/pat-1", null, FhirFormat.Json)]
    [InlineData("/fhir/StructureDefinition/does-not-exist", null, FhirFormat.Json)]
    [InlineData("/fhir/OperationDefinition/assess-v2", Wire.Xml, FhirFormat.Xml)]
    [InlineData("/fhir/CodeSystem/bonemet/extra", null, FhirFormat.Json)]
    [InlineData("/fhir/metadata?_format=xml", null, FhirFormat.Xml)] // control: not a 404
    [InlineData("/nowhere?_format=xml", null, FhirFormat.Xml)]
    [InlineData("/nowhere", "text/html", FhirFormat.Json)] // a browser still gets FHIR, not an HTML page
    public async Task Unknown_route_or_conformance_resource_is_404(string url, string? accept, FhirFormat format)
    {
        using var response = await Wire.GetAsync(_client, url, accept);

        if (url.StartsWith("/fhir/metadata", StringComparison.Ordinal))
        {
            Assert.IsType<CapabilityStatement>(await Wire.ReadAsync(response, HttpStatusCode.OK, format));
            return;
        }

        var issue = Assert.Single(await Wire.AssertOutcomeAsync(response, HttpStatusCode.NotFound, format));
        Assert.Equal(OperationOutcome.IssueType.NotFound, issue.Code);
    }

    [Fact]
    public async Task Instance_level_assess_without_a_token_is_401_with_an_outcome()
    {
        // POST [base]/Patient/{id}/$assess reads from the FHIR server with the caller's token (Smart/ tests cover it);
        // by default a call without a token is refused through the same error handler.
        using var response = await Wire.PostAsync(_client, "/fhir/Patient/pat-1/$assess", Wire.Body(Wire.ValidExample("mscc-nsclc.json")));

        Assert.Equal(401, (int)response.StatusCode);
        await Wire.AssertOutcomeAsync(response, response.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/fhir/$assess")]
    [InlineData("GET", "/fhir/Patient/$assess")]
    [InlineData("PUT", "/fhir/$assess")]
    [InlineData("DELETE", "/fhir/$assess")]
    [InlineData("GET", "/fhir/$validate")]
    [InlineData("GET", "/fhir/Observation/$validate")]
    [InlineData("POST", "/fhir/metadata")]
    [InlineData("DELETE", "/fhir/OperationDefinition/assess")]
    public async Task Wrong_method_is_405(string method, string url)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "PUT" or "POST")
        {
            request.Content = Wire.Body(Wire.ValidExample("mscc-nsclc.json"));
        }

        using var response = await _client.SendAsync(request);

        var issue = Assert.Single(await Wire.AssertOutcomeAsync(response, HttpStatusCode.MethodNotAllowed));
        Assert.Equal(OperationOutcome.IssueType.NotSupported, issue.Code);
        Assert.NotEmpty(response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Wrong_method_is_405_in_xml_when_asked()
    {
        using var response = await Wire.GetAsync(_client, "/fhir/$assess", accept: Wire.Xml);

        await Wire.AssertOutcomeAsync(response, HttpStatusCode.MethodNotAllowed, FhirFormat.Xml);
    }

    [Fact]
    public async Task Unexpected_failure_is_500_outcome_without_details()
    {
        // A clock that fails stands for any bug below the endpoints.
        using var factory = api.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(new FailingClock())));
        using var client = factory.CreateClient();

        using var response = await Wire.PostAsync(client, "/fhir/$assess", Wire.Body(Wire.ValidExample("mscc-nsclc.json")));

        var issue = Assert.Single(await Wire.AssertOutcomeAsync(response, HttpStatusCode.InternalServerError));
        Assert.Equal(OperationOutcome.IssueType.Exception, issue.Code);
        var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        Assert.DoesNotContain(FailingClock.Secret, text, StringComparison.Ordinal);
    }

    /// <summary>A clock whose failure message must never reach the caller.</summary>
    private sealed class FailingClock : TimeProvider
    {
        public const string Secret = "clock-failure-detail-4711";

        public override DateTimeOffset GetUtcNow() => throw new InvalidOperationException(Secret);
    }
}
