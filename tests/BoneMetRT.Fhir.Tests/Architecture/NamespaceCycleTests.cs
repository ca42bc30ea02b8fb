namespace BoneMetRT.Fhir.Tests.Architecture;

/// <summary>
/// The FHIR library's folders import one another in one direction only: the root (code-system URLs, issues,
/// narrative helpers, serialization) at the bottom, Normalize, Denormalize and Validation above it, the Pipeline on top.
/// </summary>
public sealed class NamespaceCycleTests
{
    private static readonly NamespaceGraph Graph =
        NamespaceGraph.Read(Path.Combine(RepoPaths.Root, "src", "BoneMetRT.Fhir"), "BoneMetRT.Fhir");

    [Fact]
    public void No_namespace_of_the_Fhir_library_imports_one_that_imports_it_back()
    {
        Assert.True(Graph.Cycles().Count == 0, "Namespace cycles in src/BoneMetRT.Fhir:\n" + string.Join("\n", Graph.Cycles()));
    }

    [Fact]
    public void The_graph_sees_the_folders_and_their_imports()
    {
        Assert.Contains("BoneMetRT.Fhir.Normalize", Graph.Namespaces);
        Assert.Contains("BoneMetRT.Fhir.Denormalize", Graph.DependenciesOf("BoneMetRT.Fhir.Pipeline").Keys);
        Assert.Contains("BoneMetRT.Fhir", Graph.DependenciesOf("BoneMetRT.Fhir.Normalize").Keys);
    }
}
