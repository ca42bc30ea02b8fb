using System.Text.Json;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Tests.Profiles;

/// <summary>
/// The package's ImplementationGuide and requirements CapabilityStatement: the guide describes the package as
/// package.json does and lists every resource file; the requirements statement offers $validate at the levels the
/// core definition allows.
/// </summary>
[Collection(ConformancePackageCollection.Name)]
public sealed class ImplementationGuideTests(ConformancePackage package)
{
    private ImplementationGuide Guide => Assert.IsType<ImplementationGuide>(package.Load("ImplementationGuide-bonemetrt.json"));

    [Fact]
    public void Guide_describes_the_package_as_package_json_does()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(package.Folder, "package.json")));
        var root = json.RootElement;
        var guide = Guide;

        Assert.Equal(root.GetProperty("name").GetString(), guide.PackageId);
        Assert.Equal(root.GetProperty("version").GetString(), guide.Version);
        Assert.Equal([FHIRVersion.N4_0_1], guide.FhirVersion.Select(v => v!.Value));
        var core = Assert.Single(guide.DependsOn);
        Assert.Equal("hl7.fhir.r4.core", core.PackageId);
        Assert.Equal(root.GetProperty("dependencies").GetProperty("hl7.fhir.r4.core").GetString(), core.Version);
    }

    [Fact]
    public void Guide_lists_every_other_resource_of_the_package_once()
    {
        var definition = Assert.IsType<ImplementationGuide.DefinitionComponent>(Guide.Definition);
        var listed = definition.Resource.Select(r => r.Reference?.Reference).ToList();
        var files = package.LoadAll().Where(r => r is not ImplementationGuide).Select(r => $"{r.TypeName}/{r.Id}").ToList();

        Assert.Equal(files.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.All(definition.Resource, r => Assert.False(string.IsNullOrWhiteSpace(r.Name)));
    }

    [Fact]
    public void Guide_says_what_must_support_means_in_english_and_french()
    {
        var guide = Guide;

        Assert.Contains("MustSupport", guide.Description, StringComparison.Ordinal);
        Assert.Contains("must not reject", guide.Description, StringComparison.Ordinal);
        var french = guide.DescriptionElement!.Extension.Single(e => e.Url == PackageCanonicals.TranslationExtension);
        Assert.Contains("MustSupport", french.GetExtensionValue<FhirString>("content")?.Value, StringComparison.Ordinal);
        Assert.Contains("MustSupport", guide.Text?.Div, StringComparison.Ordinal);
    }

    [Fact]
    public void Requirements_statement_is_kind_requirements_without_software()
    {
        var statement = Assert.IsType<CapabilityStatement>(package.Load("CapabilityStatement-bonemetrt.json"));

        Assert.Equal(CapabilityStatementKind.Requirements, statement.Kind);
        Assert.Null(statement.Software);
        Assert.Null(statement.Implementation);
    }

    [Fact]
    public async Task Validate_is_offered_at_the_levels_the_core_definition_allows()
    {
        var core = Assert.IsType<OperationDefinition>(await package.Resolver.ResolveByCanonicalUriAsync("http://hl7.org/fhir/OperationDefinition/Resource-validate"));
        var statement = Assert.IsType<CapabilityStatement>(package.Load("CapabilityStatement-bonemetrt.json"));
        var rest = Assert.Single(statement.Rest);

        Assert.False(core.System);
        Assert.True(core.Type);
        Assert.DoesNotContain(rest.Operation, o => o.Definition == core.Url);
        Assert.Contains(rest.Resource, r => r.Type == "Bundle" && r.Operation.Any(o => o.Name == "validate" && o.Definition == core.Url));
    }

    [Fact]
    public void Requirements_statement_lists_both_levels_of_assess_on_patient()
    {
        var statement = Assert.IsType<CapabilityStatement>(package.Load("CapabilityStatement-bonemetrt.json"));
        var rest = Assert.Single(statement.Rest);
        var patient = Assert.Single(rest.Resource, r => r.Type == "Patient");

        Assert.Equal(
            [ConformancePackage.Canonical + "/OperationDefinition/assess", ConformancePackage.Canonical + "/OperationDefinition/assess-instance"],
            patient.Operation.Where(o => o.Name == "assess").Select(o => o.Definition));
        Assert.Equal([ConformancePackage.Canonical + "/OperationDefinition/assess"], rest.Operation.Select(o => o.Definition));
    }

    [Fact]
    public void Every_conformance_type_of_the_package_is_read_and_searched_by_url_and_version()
    {
        var statement = Assert.IsType<CapabilityStatement>(package.Load("CapabilityStatement-bonemetrt.json"));
        var rest = Assert.Single(statement.Rest);

        foreach (var type in package.LoadAll().Select(r => r.TypeName).Distinct())
        {
            var resource = Assert.Single(rest.Resource, r => r.Type == type);
            Assert.Contains(resource.Interaction, i => i.Code == CapabilityStatement.TypeRestfulInteraction.Read);
            Assert.Contains(resource.Interaction, i => i.Code == CapabilityStatement.TypeRestfulInteraction.SearchType);
            Assert.Equal(["url", "version"], resource.SearchParam.Select(p => p.Name));
        }
    }
}
