using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir;

/// <summary>
/// Lets Firely's model inspection work in a native AOT build of the service (<c>bench/aot.sh</c>): Firely builds the
/// <see cref="ModelInspector"/> of an assembly by following <see cref="Assembly.GetReferencedAssemblies"/>, which native
/// AOT does not support (PlatformNotSupportedException on the first parse). Before anything asks, the inspectors of
/// the three FHIR model assemblies are built here the way Firely builds them, over the same assemblies, and put in
/// Firely's own cache, so that <see cref="ModelInfo.ModelInspector"/> and <see cref="ModelInspector.Base"/> find them.
/// </summary>
/// <remarks>
/// With the JIT (every other build, the tests) nothing is done: Firely's own path works there. The cache is Firely's
/// private static <c>ModelInspector._inspectedAssemblies</c> (Hl7.Fhir.Base 6.8, pinned in Directory.Packages.props);
/// tests/…/NativeAotModelTests.cs fails if it moves, and checks that the inspectors built here resolve every class and
/// enum mapping of Firely's alike, by FHIR name and by .NET type.
/// </remarks>
public static class NativeAotModel
{
    /// <summary>The FHIR model assemblies, each with the model assemblies it references (itself first), as Firely follows them.</summary>
    public static IReadOnlyList<(Assembly Root, Assembly[] Imported)> Assemblies { get; } =
    [
        (typeof(Patient).Assembly, [typeof(Patient).Assembly, typeof(Resource).Assembly, typeof(StructureDefinition).Assembly]),
        (typeof(StructureDefinition).Assembly, [typeof(StructureDefinition).Assembly, typeof(Resource).Assembly]),
        (typeof(Resource).Assembly, [typeof(Resource).Assembly]),
    ];

#pragma warning disable CA2255 // a module initializer is the one place that runs before any of Firely's static state is built
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void PrepareForNativeAot()
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            Prefill(FirelyCache());
        }
    }

    /// <summary>Firely's cache of inspectors by assembly full name.</summary>
    public static ConcurrentDictionary<string, ModelInspector> FirelyCache() =>
        (ConcurrentDictionary<string, ModelInspector>)(typeof(ModelInspector)
            .GetField("_inspectedAssemblies", BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null)
            ?? throw new InvalidOperationException("Firely's ModelInspector no longer keeps its inspectors in _inspectedAssemblies."));

    /// <summary>Builds the inspector of each FHIR model assembly as <see cref="ModelInspector.ForAssembly"/> does and puts it in <paramref name="cache"/>.</summary>
    public static void Prefill(ConcurrentDictionary<string, ModelInspector> cache)
    {
        foreach (var (root, imported) in Assemblies)
        {
            cache.TryAdd(root.FullName!, Build(root, imported));
        }
    }

    /// <summary>An inspector of <paramref name="root"/>'s FHIR release holding <paramref name="imported"/> and the CQL types.</summary>
    public static ModelInspector Build(Assembly root, Assembly[] imported)
    {
        var inspector = new ModelInspector(root.GetCustomAttribute<FhirModelAssemblyAttribute>()!.Since);
        foreach (var assembly in imported)
        {
            inspector.Import(assembly);
        }

        var any = typeof(Hl7.Fhir.ElementModel.Types.Any);
        foreach (var type in any.Assembly.GetExportedTypes().Where(any.IsAssignableFrom))
        {
            inspector.ImportType(type);
        }

        return inspector;
    }
}
