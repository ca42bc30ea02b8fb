namespace BoneMetRT.Domain.Tests.Architecture;

/// <summary>
/// The Domain's folders import one another in one direction only (Facts and the root at the bottom, the Scoring kernel
/// above them, the rules of each guideline section above it, Assessment on top), so that each folder can be read
/// without the ones above it.
/// </summary>
public sealed class NamespaceCycleTests
{
    private static readonly NamespaceGraph Graph =
        NamespaceGraph.Read(Path.Combine(RepoPaths.Root, "src", "BoneMetRT.Domain"), "BoneMetRT.Domain");

    [Fact]
    public void No_namespace_of_the_Domain_imports_one_that_imports_it_back()
    {
        Assert.True(Graph.Cycles().Count == 0, "Namespace cycles in src/BoneMetRT.Domain:\n" + string.Join("\n", Graph.Cycles()));
    }

    [Fact]
    public void The_graph_sees_the_folders_and_their_imports()
    {
        // Guards the test above against reading nothing: the folders are found and known arrows are seen.
        Assert.Contains("BoneMetRT.Domain.Scoring", Graph.Namespaces);
        Assert.Contains("BoneMetRT.Domain.Scoring", Graph.DependenciesOf("BoneMetRT.Domain.Mirels").Keys);
        Assert.Contains("BoneMetRT.Domain.Mirels", Graph.DependenciesOf("BoneMetRT.Domain.Assessment").Keys);
        // The root is visible without a using: naming one of its types is an arrow to it.
        Assert.Contains("BoneMetRT.Domain", Graph.DependenciesOf("BoneMetRT.Domain.Mirels").Keys);
    }

    [Fact]
    public void A_cycle_is_reported_with_the_files_that_make_it()
    {
        var folder = Directory.CreateTempSubdirectory("nscycle").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "Top.cs"), "namespace Demo;\n\npublic static class Top { public static int X => Demo.Rules.Rule.Y; }\n");
            File.WriteAllText(Path.Combine(folder, "Rule.cs"), "namespace Demo.Rules;\n\npublic static class Rule { public static int Y => Top.X; }\n");
            File.WriteAllText(Path.Combine(folder, "Leaf.cs"), "using Demo.Rules;\n\nnamespace Demo.Leaf;\n\n// Top is named in a comment only.\npublic static class Leaf { public static int Z => Rule.Y; }\n");

            var cycles = NamespaceGraph.Read(folder, "Demo").Cycles();

            var cycle = Assert.Single(cycles);
            Assert.StartsWith("Demo <-> Demo.Rules:", cycle);
            Assert.Contains("Demo.Rules -> Demo (Rule.cs)", cycle);
            Assert.Contains("Demo -> Demo.Rules (Top.cs)", cycle);
            Assert.DoesNotContain("Demo.Leaf", cycle);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
