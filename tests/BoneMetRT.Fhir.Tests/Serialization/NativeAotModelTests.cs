using System.Collections.Concurrent;
using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Tests.Serialization;

/// <summary>
/// The native AOT build (bench/aot.sh) gives Firely model inspectors built by <see cref="NativeAotModel"/> instead of
/// Firely's own <see cref="ModelInspector.ForAssembly"/>, which native AOT cannot run. They must resolve every type as
/// Firely's do, and sit where Firely looks them up, under the keys it uses; all checked here, with the JIT, against
/// Firely's own.
/// </summary>
public sealed class NativeAotModelTests
{
    [Fact]
    public void The_native_AOT_build_fills_Firely_s_cache_under_the_keys_Firely_looks_up()
    {
        _ = ModelInfo.ModelInspector;
        _ = ModelInspector.Base;
#pragma warning disable CS0618 // obsolete for callers that want ModelInfo's inspector: here it is the reference
        _ = ModelInspector.ForAssembly(typeof(StructureDefinition).Assembly);
#pragma warning restore CS0618
        var firely = NativeAotModel.FirelyCache();
        Assert.Same(ModelInfo.ModelInspector, firely[typeof(Patient).Assembly.FullName!]);
        Assert.Same(ModelInspector.Base, firely[typeof(Resource).Assembly.FullName!]);

        var prefilled = new ConcurrentDictionary<string, ModelInspector>();
        NativeAotModel.Prefill(prefilled);

        Assert.Equal(firely.Keys.Order(StringComparer.Ordinal), prefilled.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_inspectors_built_for_native_AOT_resolve_every_type_as_Firely_s_do()
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
            Assert.Equal(firely.FhirVersion, ours.FhirVersion);
            Assert.Equal(firely.OpenTypes, ours.OpenTypes);
            // Firely's inspector also holds the mappings other tests made it import on demand since (Code<T> of each
            // enum met), so ours must resolve each of them alike, by .NET type and by FHIR name; and everything ours
            // imported up front must be what Firely's finds.
            var classes = firely.ClassMappings.ToList();
            Assert.True(classes.Count > 50, $"{name}: {classes.Count} class mappings");
            // By name first, as the parsers look a resourceType up, before anything is imported on demand: only the
            // Code<T> mappings are made on demand.
            foreach (var mapping in classes.Where(m => !m.IsCodeOfT))
            {
                Assert.Equal(mapping.NativeType, ours.FindClassMapping(mapping.Name)?.NativeType);
            }

            foreach (var mapping in classes)
            {
                Assert.Equal(mapping.Name, ours.FindOrImportClassMapping(mapping.NativeType)?.Name);
            }

            foreach (var mapping in ours.ClassMappings.ToList())
            {
                Assert.Equal(mapping.NativeType, firely.FindClassMapping(mapping.Name)?.NativeType);
                Assert.Equal((mapping.IsResource, mapping.IsCodeOfT, mapping.IsPrimitive), (firely.FindClassMapping(mapping.Name)!.IsResource, firely.FindClassMapping(mapping.Name)!.IsCodeOfT, firely.FindClassMapping(mapping.Name)!.IsPrimitive));
            }

            // Enums come with the types that declare them, on demand too.
            foreach (var mapping in firely.EnumMappings.ToList())
            {
                if (ours.FindEnumMapping(mapping.NativeType) is null && mapping.NativeType.DeclaringType is { } declaring)
                {
                    ours.ImportType(declaring);
                }

                Assert.Equal((mapping.Name, mapping.Canonical), (ours.FindEnumMapping(mapping.NativeType)?.Name, ours.FindEnumMapping(mapping.NativeType)?.Canonical));
            }

            foreach (var mapping in ours.EnumMappings.ToList())
            {
                Assert.Equal(mapping.NativeType, firely.FindEnumMapping(mapping.Name)?.NativeType);
            }
        }
    }
}
