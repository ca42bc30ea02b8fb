using BoneMetRT.Fhir.Denormalize;
using BoneMetRT.Fhir.Tests.Examples;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Tests.Denormalize;

/// <summary>
/// <see cref="ReferenceWalk"/> replaced the FHIRPath <c>descendants().ofType(Reference)</c> that chose the inputs to copy
/// into the answer; it must find exactly the same Reference objects, in every resource of every example and in a
/// resource that hides references in the places a walk could miss.
/// </summary>
public sealed class ReferenceWalkTests
{
    [Fact]
    public void Finds_the_references_fhirpath_finds_in_every_example_resource()
    {
        var resources = 0;
        var references = 0;
        foreach (var file in ExampleCatalog.Valid.Select(f => Path.Combine(ExampleCatalog.ValidFolder, f))
                     .Concat(ExampleCatalog.Invalid.Select(f => Path.Combine(ExampleCatalog.InvalidFolder, f))))
        {
            if (FhirSerialization.Parse(File.ReadAllBytes(file), FhirFormat.Json).Value is not { } request)
            {
                continue;
            }

            var bundles = request is Parameters p ? p.Parameter.Select(x => x.Resource).OfType<Bundle>() : request is Bundle b ? [b] : [];
            foreach (var resource in bundles.SelectMany(b => b.Entry).Select(e => e.Resource).OfType<Resource>().Append(request))
            {
                references += AssertSame(resource, Path.GetFileName(file));
                resources++;
            }
        }

        Assert.True(resources > 100 && references > 100, $"{resources} resources, {references} references");
    }

    [Fact]
    public void Finds_references_in_contained_resources_extensions_and_other_references()
    {
        var condition = new Condition
        {
            Subject = new ResourceReference("Patient/1") { Identifier = new Identifier { Assigner = new ResourceReference("Organization/2") } },
            Contained = [new Observation { Id = "o", Subject = new ResourceReference("Patient/3"), Focus = [new ResourceReference("#o"), new ResourceReference("Condition/4")] }],
            Evidence = [new Condition.EvidenceComponent { Detail = [new ResourceReference("#o")] }],
        };
        condition.Extension.Add(new Extension("http://example.org/x", new ResourceReference("Device/5")));
        condition.RecordedDateElement = new FhirDateTime("2026-03-01");
        condition.RecordedDateElement.Extension.Add(new Extension("http://example.org/y", new ResourceReference("Practitioner/6")));

        Assert.Equal(8, AssertSame(condition, "made up"));
    }

    private static int AssertSame(Base resource, string where)
    {
        var expected = resource.Select("descendants().ofType(Reference)").OfType<ResourceReference>().ToList();
        var actual = ReferenceWalk.Descendants(resource);
        Assert.True(expected.Count == actual.Count, $"{where}: {expected.Count} references by FHIRPath, {actual.Count} by the walk");
        Assert.All(expected, e => Assert.Contains(actual, a => ReferenceEquals(a, e)));
        return actual.Count;
    }
}
