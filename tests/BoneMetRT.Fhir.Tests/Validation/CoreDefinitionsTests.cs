using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.Specification.Source;

namespace BoneMetRT.Fhir.Tests.Validation;

/// <summary>
/// The embedded core subset (src/BoneMetRT.Fhir/core-subset/) must answer exactly as specification.zip does, or
/// validation would change with it. Regenerate it with tools/BoneMetRT.CoreSubset when this fails after a Firely update.
/// </summary>
public class CoreDefinitionsTests
{
    private static readonly ZipSource Zip = ZipSource.CreateValidationSource();

    [Fact]
    public async Task Every_recorded_canonical_resolves_as_in_specification_zip()
    {
        var subsetOnly = new CoreDefinitions(() => throw new InvalidOperationException("the subset should answer every recorded canonical"));
        var canonicals = CoreDefinitions.ReadLines("canonicals.txt").ToList();
        Assert.NotEmpty(canonicals);
        foreach (var canonical in canonicals)
        {
            var expected = await Zip.TryResolveByCanonicalUriAsync(canonical);
            var actual = await subsetOnly.TryResolveByCanonicalUriAsync(canonical);
            Assert.True(expected.Success == actual.Success, $"{canonical}: zip found it {expected.Success}, subset {actual.Success}");
            if (expected.Success)
            {
                Assert.Equal(
                    FhirSerialization.ToText(expected.Value!, FhirFormat.Json, pretty: false),
                    FhirSerialization.ToText(actual.Value!, FhirFormat.Json, pretty: false));
            }
        }
    }

    [Fact]
    public void Absent_canonicals_are_recorded_ones()
    {
        var canonicals = CoreDefinitions.ReadLines("canonicals.txt").ToHashSet();
        Assert.All(CoreDefinitions.ReadLines("absent.txt"), a => Assert.Contains(a, canonicals));
    }

    [Fact]
    public void The_list_of_StructureDefinitions_is_the_zips()
    {
        var inZip = Zip.ListSummaries()
            .Where(s => s.ResourceTypeName == "StructureDefinition")
            .Select(s => s.GetConformanceCanonicalUrl())
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        Assert.Equal(inZip, CoreDefinitions.ReadLines("structure-definitions.txt"));
        var core = new CoreDefinitions(() => Zip);
        Assert.True(core.HoldsStructureDefinition("http://hl7.org/fhir/StructureDefinition/vitalsigns"));
        Assert.False(core.HoldsStructureDefinition("http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"));
        Assert.False(core.UsedFallback);
    }

    [Fact]
    public async Task Other_canonicals_go_to_the_fallback()
    {
        var core = new CoreDefinitions(() => Zip);
        var result = await core.TryResolveByCanonicalUriAsync("http://hl7.org/fhir/StructureDefinition/VisionPrescription");
        Assert.True(result.Success);
        Assert.True(core.UsedFallback);
    }
}
