using System.Net;
using BoneMetRT.Api.Features;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Packaging;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Tests.Features;

/// <summary><c>GET [base]/metadata</c> (kind instance) and the conformance resources of fhir-profiles/ by type and id.</summary>
public sealed class ConformanceEndpointsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Assess = "https://bonemetrt.org/fhir/OperationDefinition/assess";
    private const string AssessInstance = "https://bonemetrt.org/fhir/OperationDefinition/assess-instance";
    private const string ValidateDefinition = "http://hl7.org/fhir/OperationDefinition/Resource-validate";
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
    public async Task Metadata_is_the_instance_statement_listing_assess(string? format, string? accept, FhirFormat expected)
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
        Assert.Contains(patient.Operation, o => o.Name == "assess" && o.Definition == AssessInstance);
    }

    [Fact]
    public async Task Metadata_is_kind_instance_instantiating_the_requirements_of_the_package()
    {
        using var response = await Wire.GetAsync(_client, "/fhir/metadata");

        var capability = Assert.IsType<CapabilityStatement>(await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json));
        var requirements = FhirValidation.Default.Package.OfType<CapabilityStatement>().Single();
        Assert.Equal(CapabilityStatementKind.Requirements, requirements.Kind);
        Assert.Equal(CapabilityStatementKind.Instance, capability.Kind);
        Assert.Equal([$"{requirements.Url}|{requirements.Version}"], capability.Instantiates);
        Assert.Equal("BoneMetRT", capability.Software?.Name);
        Assert.Equal(BoneMetRT.Domain.EngineInfo.Version, capability.Software?.Version);
        Assert.Equal("http://localhost/fhir", capability.Implementation?.Url);
        Assert.Null(capability.Url);
    }

    [Fact]
    public async Task Validate_is_advertised_at_type_level_only_as_the_core_definition_says()
    {
        using var response = await Wire.GetAsync(_client, "/fhir/metadata");

        var rest = Assert.Single(Assert.IsType<CapabilityStatement>(await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json)).Rest);
        Assert.DoesNotContain(rest.Operation, o => o.Name == "validate");
        Assert.All(["Patient", "Bundle", "Parameters", "Observation", "Condition", "Procedure"], type =>
            Assert.Contains(rest.Resource.Single(r => r.Type == type).Operation, o => o.Name == "validate" && o.Definition == ValidateDefinition));
    }

    /// <summary>Every (type, interaction) the instance statement advertises, read and search-type only.</summary>
    public static TheoryData<string, string> AdvertisedInteractions
    {
        get
        {
            var data = new TheoryData<string, string>();
            var package = FhirValidation.LoadPackage();
            var requirements = package.OfType<CapabilityStatement>().Single();
            foreach (var resource in InstanceCapabilities.FromRequirements(requirements, package).Rest[0].Resource)
            {
                foreach (var interaction in resource.Interaction)
                {
                    data.Add(resource.Type!, Hl7.Fhir.Utility.EnumUtility.GetLiteral(interaction.Code) ?? "");
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(AdvertisedInteractions))]
    public async Task Every_advertised_interaction_answers(string type, string interaction)
    {
        var example = FhirValidation.Default.Package.First(r => r.TypeName == type);
        var canonical = CanonicalResource.Of(example)!.Value;
        var url = interaction switch
        {
            "read" => $"/fhir/{type}/{example.Id}",
            "search-type" => $"/fhir/{type}?url={Uri.EscapeDataString(canonical.Url!)}&version={canonical.Version}",
            _ => throw new Xunit.Sdk.XunitException($"{type}: interaction {interaction} is advertised but has no route"),
        };

        using var response = await Wire.GetAsync(_client, url);

        var body = await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json);
        var found = body is Bundle bundle ? Assert.Single(bundle.Entry).Resource : body;
        Assert.Equal(canonical.Url, CanonicalResource.Of(found!)?.Url);
    }

    /// <summary>Every type the instance statement offers $validate on.</summary>
    public static TheoryData<string> TypesWithValidate
    {
        get
        {
            var package = FhirValidation.LoadPackage();
            var statement = InstanceCapabilities.FromRequirements(package.OfType<CapabilityStatement>().Single(), package);
            return [.. statement.Rest[0].Resource.Where(r => r.Operation.Any(o => o.Name == "validate")).Select(r => r.Type!)];
        }
    }

    [Theory]
    [MemberData(nameof(TypesWithValidate))]
    public async Task Every_advertised_type_level_validate_answers_an_outcome(string type)
    {
        using var response = await Wire.PostAsync(_client, $"/fhir/{type}/$validate", Wire.Body(FhirSerialization.ToText(SampleOf(type), FhirFormat.Json)));

        Assert.IsType<OperationOutcome>(await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json));
    }

    /// <summary>A real resource of <paramref name="type"/>: from the package, else from the valid examples (the request, its data Bundle, an entry).</summary>
    private static Resource SampleOf(string type)
    {
        var candidates = FhirValidation.Default.Package.Concat(ExampleCatalog.Valid.SelectMany(file =>
        {
            var request = Wire.ParseValidExample(file);
            var data = request as Bundle ?? (request as Parameters)?.Parameter.Select(p => p.Resource).OfType<Bundle>().FirstOrDefault();
            return new[] { request, data }.OfType<Resource>().Concat(data?.Entry.Select(e => e.Resource).OfType<Resource>() ?? []);
        }));
        return candidates.FirstOrDefault(r => r.TypeName == type)
            ?? throw new Xunit.Sdk.XunitException($"no sample {type} in the package or the examples");
    }

    [Fact]
    public async Task Operation_definition_assess_is_served_for_system_and_type_level()
    {
        using var response = await Wire.GetAsync(_client, "/fhir/OperationDefinition/assess", FhirSerialization.MediaType(FhirFormat.Json));

        var definition = Assert.IsType<OperationDefinition>(await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json));
        Assert.Equal(Assess, definition.Url);
        Assert.Equal("assess", definition.Code);
        Assert.False(definition.AffectsState);
        Assert.Equal((true, true, false), (definition.System, definition.Type, definition.Instance));
        Assert.Contains("Patient", definition.Resource.Select(r => r.ToString()));
        Assert.Contains(definition.Parameter, p => p.Name == "data" && p.Use == OperationParameterUse.In && p.Min == 1 && p.Max == "1");
        Assert.Contains(definition.Parameter, p => p.Name == "return" && p.Use == OperationParameterUse.Out);
        Assert.Equal("https://bonemetrt.org/fhir/StructureDefinition/bonemet-assess-parameters", definition.InputProfile);
    }

    [Theory]
    [InlineData(FhirFormat.Json)]
    [InlineData(FhirFormat.Xml)]
    public async Task Operation_definition_assess_instance_is_served_without_data(FhirFormat format)
    {
        using var response = await Wire.GetAsync(_client, "/fhir/OperationDefinition/assess-instance", FhirSerialization.MediaType(format));

        var definition = Assert.IsType<OperationDefinition>(await Wire.ReadAsync(response, HttpStatusCode.OK, format));
        Assert.Equal(AssessInstance, definition.Url);
        Assert.Equal("assess", definition.Code);
        Assert.Equal((false, false, true), (definition.System, definition.Type, definition.Instance));
        Assert.DoesNotContain(definition.Parameter, p => p.Name is "data" or "subject");
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
