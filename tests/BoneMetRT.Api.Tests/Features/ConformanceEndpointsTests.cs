using System.Net;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Tests.Features;

/// <summary><c>GET [base]/metadata</c> and the conformance resources of fhir-profiles/ by type and id.</summary>
public sealed class ConformanceEndpointsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Assess = "https://bonemetrt.org/fhir/OperationDefinition/assess";
    private readonly HttpClient _client = api.CreateClient();

    /// <summary>Every resource of the package, as (type, id).</summary>
    public static TheoryData<string, string> PackageResources
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var r in FhirValidation.LoadPackage())
            {
                data.Add(r.TypeName, r.Id!);
            }

            return data;
        }
    }

    [Theory]
    [InlineData(null, null, FhirFormat.Json)]
    [InlineData(null, Wire.Xml, FhirFormat.Xml)]
    [InlineData("xml", null, FhirFormat.Xml)]
    [InlineData("json", Wire.Xml, FhirFormat.Json)]
    public async Task Metadata_is_the_capability_statement_listing_assess(string? format, string? accept, FhirFormat expected)
    {
        using var response = await Wire.GetAsync(_client, "/fhir/metadata" + (format is null ? "" : "?_format=" + format), accept);

        var capability = Assert.IsType<CapabilityStatement>(await Wire.ReadAsync(response, HttpStatusCode.OK, expected));
        Assert.Equal(FHIRVersion.N4_0_1, capability.FhirVersion);
        Assert.Contains(FhirSerialization.MediaType(FhirFormat.Json), capability.Format);
        Assert.Contains(FhirSerialization.MediaType(FhirFormat.Xml), capability.Format);
        var rest = Assert.Single(capability.Rest);
        Assert.Equal(CapabilityStatement.RestfulCapabilityMode.Server, rest.Mode);
        Assert.Contains(rest.Operation, o => o.Name == "assess" && o.Definition == Assess);
        var patient = Assert.Single(rest.Resource, r => r.Type == "Patient");
        Assert.Contains(patient.Operation, o => o.Name == "assess" && o.Definition == Assess);
    }

    [Theory]
    [InlineData(FhirFormat.Json)]
    [InlineData(FhirFormat.Xml)]
    public async Task Operation_definition_assess_is_served(FhirFormat format)
    {
        using var response = await Wire.GetAsync(_client, "/fhir/OperationDefinition/assess", FhirSerialization.MediaType(format));

        var definition = Assert.IsType<OperationDefinition>(await Wire.ReadAsync(response, HttpStatusCode.OK, format));
        Assert.Equal(Assess, definition.Url);
        Assert.Equal("assess", definition.Code);
        Assert.False(definition.AffectsState);
        Assert.True(definition.System);
        Assert.True(definition.Type);
        Assert.True(definition.Instance);
        Assert.Contains("Patient", definition.Resource.Select(r => r.ToString()));
        Assert.Contains(definition.Parameter, p => p.Name == "data" && p.Use == OperationParameterUse.In && p.Min == 1 && p.Max == "1");
        Assert.Contains(definition.Parameter, p => p.Name == "return" && p.Use == OperationParameterUse.Out);
    }

    [Theory]
    [InlineData("bonemet-mirels-size")]
    [InlineData("bonemet-careplan")]
    public async Task Structure_definition_is_served_by_id(string id)
    {
        using var response = await Wire.GetAsync(_client, "/fhir/StructureDefinition/" + id);

        var definition = Assert.IsType<StructureDefinition>(await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json));
        Assert.Equal(id, definition.Id);
        Assert.Equal("https://bonemetrt.org/fhir/StructureDefinition/" + id, definition.Url);
        Assert.NotEmpty(definition.Snapshot?.Element ?? []);
    }

    [Theory]
    [MemberData(nameof(PackageResources))]
    public async Task Every_package_resource_is_served_as_in_the_package(string type, string id)
    {
        using var response = await Wire.GetAsync(_client, $"/fhir/{type}/{id}");

        var served = await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json);
        var packaged = FhirValidation.Default.Package.Single(r => r.TypeName == type && r.Id == id);
        Assert.Equal(FhirSerialization.ToText(packaged, FhirFormat.Json), FhirSerialization.ToText(served, FhirFormat.Json));
    }

    [Fact]
    public async Task Pretty_output_on_request()
    {
        using var response = await Wire.GetAsync(_client, "/fhir/OperationDefinition/assess?_pretty=true");

        Assert.IsType<OperationDefinition>(await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json));
        Assert.Contains("\n", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
