using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Denormalize;

/// <summary>
/// Every Reference inside a resource, found by walking the POCOs. It finds what the FHIRPath
/// <c>descendants().ofType(Reference)</c> finds (contained resources, extensions and references inside references
/// included), without building Firely's element model over the resource, which cost most of the allocations of
/// writing the answer (bench/BENCHMARKS.md, "$assess without validation (b − a)"), nor Firely's EnumerateElements
/// iterators (<see cref="PocoElements"/>).
/// </summary>
public static class ReferenceWalk
{
    /// <summary>The references below <paramref name="root"/> (not <paramref name="root"/> itself), depth first.</summary>
    public static List<ResourceReference> Descendants(Base root)
    {
        var found = new List<ResourceReference>();
        Walk(root, found);
        return found;
    }

    private static readonly Action<Base, List<ResourceReference>> VisitChild = Visit;

    // By the element lists of PocoElements, which allocate nothing; by EnumerateElements for what they do not cover
    // (overflow, dynamic types), as before.
    private static void Walk(Base node, List<ResourceReference> found)
    {
        if (PocoElements.TryVisitChildren(node, found, VisitChild))
        {
            return;
        }

        foreach (var (_, value) in node.EnumerateElements())
        {
            switch (value)
            {
                case Base child:
                    Visit(child, found);
                    break;
                case IEnumerable<Base> children:
                    foreach (var child in children)
                    {
                        Visit(child, found);
                    }

                    break;
            }
        }
    }

    private static void Visit(Base child, List<ResourceReference> found)
    {
        if (child is ResourceReference reference)
        {
            found.Add(reference);
        }

        Walk(child, found);
    }
}
