using System.Net;
using BoneMetRT.Api.Features;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Packaging;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Tests.Features;

/// <summary><c>GET [base]/{type}?url=…&amp;version=…</c>: a searchset Bundle over the package; anything else a 4xx OperationOutcome.</summary>
public sealed class ConformanceSearchTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Sd = "https://bonemetrt.org/fhir/StructureDefinition/";
    private readonly HttpClient _client = api.CreateClient();

    /// <summary>Every resource type of the package.</summary>
    public static TheoryData<string> PackageTypes => [.. FhirValidation.LoadPackage().Select(r => r.TypeName).Distinct().Order(StringComparer.Ordinal)];

    private async Task<Bundle> SearchAsync(string url, FhirFormat format = FhirFormat.Json)
    {
        using var response = await Wire.GetAsync(_client, url, format == FhirFormat.Xml ? Wire.Xml : null);
        var bundle = Assert.IsType<Bundle>(await Wire.ReadAsync(response, HttpStatusCode.OK, format));
        Assert.Equal(Bundle.BundleType.Searchset, bundle.Type);
        Assert.Equal(bundle.Entry.Count, bundle.Total);
        Assert.All(bundle.Entry, e => Assert.Equal(Bundle.SearchEntryMode.Match, e.Search?.Mode));
        return bundle;
    }

    [Theory]
    [InlineData(FhirFormat.Json)]
    [InlineData(FhirFormat.Xml)]
    public async Task Url_finds_the_one_resource(FhirFormat format)
    {
        var bundle = await SearchAsync("/fhir/StructureDefinition?url=" + Uri.EscapeDataString(Sd + "bonemet-score"), format);

        var entry = Assert.Single(bundle.Entry);
        Assert.Equal("http://localhost/fhir/StructureDefinition/bonemet-score", entry.FullUrl);
        Assert.Equal(Sd + "bonemet-score", Assert.IsType<StructureDefinition>(entry.Resource).Url);
        Assert.Equal("http://localhost/fhir/StructureDefinition?url=" + Uri.EscapeDataString(Sd + "bonemet-score"), bundle.SelfLink?.OriginalString);
    }

    [Theory]
    [MemberData(nameof(PackageTypes))]
    public async Task Every_resource_is_found_by_its_url_and_version(string type)
    {
        foreach (var resource in FhirValidation.Default.Package.Where(r => r.TypeName == type))
        {
            var (url, version) = CanonicalResource.Of(resource)!.Value;
            var bundle = await SearchAsync($"/fhir/{type}?url={Uri.EscapeDataString(url!)}&version={version}");

            Assert.Equal(url, CanonicalResource.Of(Assert.Single(bundle.Entry).Resource!)?.Url);
        }
    }

    [Fact]
    public async Task Canonical_with_its_version_matches_and_another_version_does_not()
    {
        var match = await SearchAsync("/fhir/ValueSet?url=" + Uri.EscapeDataString("https://bonemetrt.org/fhir/ValueSet/regimens|0.2.0"));
        var other = await SearchAsync("/fhir/ValueSet?url=" + Uri.EscapeDataString("https://bonemetrt.org/fhir/ValueSet/regimens|9.9.9"));
        var otherVersion = await SearchAsync("/fhir/ValueSet?url=" + Uri.EscapeDataString("https://bonemetrt.org/fhir/ValueSet/regimens") + "&version=9.9.9");

        Assert.Single(match.Entry);
        Assert.Empty(other.Entry);
        Assert.Empty(otherVersion.Entry);
    }

    [Fact]
    public async Task Comma_separated_urls_match_any_of_them()
    {
        var bundle = await SearchAsync("/fhir/OperationDefinition?url=" + Uri.EscapeDataString(
            "https://bonemetrt.org/fhir/OperationDefinition/assess,https://bonemetrt.org/fhir/OperationDefinition/assess-instance"));

        Assert.Equal(["assess", "assess-instance"], bundle.Entry.Select(e => e.Resource!.Id));
    }

    [Fact]
    public async Task Unknown_url_gives_an_empty_searchset()
    {
        var bundle = await SearchAsync("/fhir/CodeSystem?url=" + Uri.EscapeDataString("http://example.org/nothing"));

        Assert.Empty(bundle.Entry);
        Assert.Equal(0, bundle.Total);
    }

    [Fact]
    public async Task No_parameter_lists_every_resource_of_the_type()
    {
        var bundle = await SearchAsync("/fhir/ValueSet");

        Assert.Equal(FhirValidation.Default.Package.Count(r => r is ValueSet), bundle.Entry.Count);
    }

    [Theory]
    [InlineData("/fhir/StructureDefinition?name=BoneMetScore", "name")]
    [InlineData("/fhir/StructureDefinition?url:below=https://bonemetrt.org", "url:below")]
    [InlineData("/fhir/ValueSet?_count=5", "_count")]
    public async Task Unknown_parameter_is_400_naming_it(string url, string parameter)
    {
        using var response = await Wire.GetAsync(_client, url);

        var issue = Assert.Single(await Wire.AssertOutcomeAsync(response, HttpStatusCode.BadRequest));
        Assert.Equal(OperationOutcome.IssueType.NotSupported, issue.Code);
        Assert.Contains($"'{parameter}'", issue.Details?.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/fhir/StructureDefinition?url=")]
    [InlineData("/fhir/StructureDefinition?url=a,,b")]
    [InlineData("/fhir/StructureDefinition?version=0.2.0&version=0.2.0")]
    public async Task Empty_or_repeated_value_is_400(string url)
    {
        using var response = await Wire.GetAsync(_client, url);

        var issue = Assert.Single(await Wire.AssertOutcomeAsync(response, HttpStatusCode.BadRequest));
        Assert.Equal(OperationOutcome.IssueType.Invalid, issue.Code);
    }

    [Fact]
    public async Task A_type_the_package_does_not_hold_is_404()
    {
        using var response = await Wire.GetAsync(_client, "/fhir/SearchParameter?url=x");

        var issue = Assert.Single(await Wire.AssertOutcomeAsync(response, HttpStatusCode.NotFound));
        Assert.Equal(OperationOutcome.IssueType.NotFound, issue.Code);
    }

    [Fact]
    public async Task Errors_are_in_french_on_request()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fhir/ValueSet?title=x");
        request.Headers.AcceptLanguage.ParseAdd("fr");
        using var response = await _client.SendAsync(request);

        var issue = Assert.Single(await Wire.AssertOutcomeAsync(response, HttpStatusCode.BadRequest));
        Assert.Contains("Paramètre de recherche inconnu", issue.Details?.Text, StringComparison.Ordinal);
    }
}
