using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Tests.Serialization;

/// <summary>
/// The native AOT build (bench/aot.sh) gives Firely model inspectors built by <see cref="NativeAotModel"/> instead of
/// Firely's own <see cref="ModelInspector.ForAssembly"/>, which native AOT cannot run. They must hold exactly what
/// Firely's hold, and sit where Firely looks them up; both are checked here, with the JIT, against Firely's own.
/// </summary>
public sealed class NativeAotModelTests
{
    [Fact]
    public void Firely_finds_its_inspectors_in_the_cache_the_native_AOT_build_fills()
    {
        var inspector = ModelInfo.ModelInspector;

        var cache = NativeAotModel.FirelyCache();

        Assert.Same(inspector, cache[typeof(Patient).Assembly.FullName!]);
        Assert.Same(ModelInspector.Base, cache[typeof(Resource).Assembly.FullName!]);
    }

    [Fact]
    public void The_inspectors_built_for_native_AOT_hold_the_mappings_Firely_builds()
    {
        Assert.Equal(3, NativeAotModel.Assemblies.Count);
        foreach (var (root, imported) in NativeAotModel.Assemblies)
        {
#pragma warning disable CS0618 // obsolete for callers that want ModelInfo's inspector: here it is the reference
            var firely = ModelInspector.ForAssembly(root);
#pragma warning restore CS0618

            var ours = NativeAotModel.Build(root, imported);

            var name = root.GetName().Name;
            Assert.Equal(firely.FhirRelease, ours.FhirRelease);
            Assert.True(firely.ClassMappings.Count > 50, $"{name}: {firely.ClassMappings.Count} class mappings");
            Assert.Equal(Classes(firely), Classes(ours));
            Assert.Equal(Enums(firely), Enums(ours));
            // Looked up as the parser and the validator look them up, by FHIR name and by .NET type.
            foreach (var mapping in firely.ClassMappings)
            {
                Assert.Equal(mapping.NativeType, ours.FindClassMapping(mapping.Name)?.NativeType);
                Assert.Equal(mapping.Name, ours.FindClassMapping(mapping.NativeType)?.Name);
            }
        }
    }

    private static List<string> Classes(ModelInspector inspector) =>
        [.. inspector.ClassMappings.Select(m => $"{m.Name} {m.NativeType.FullName} {m.IsResource} {m.IsCodeOfT}").Order(StringComparer.Ordinal)];

    private static List<string> Enums(ModelInspector inspector) =>
        [.. inspector.EnumMappings.Select(m => $"{m.Name} {m.NativeType.FullName} {m.Canonical}").Order(StringComparer.Ordinal)];
}
