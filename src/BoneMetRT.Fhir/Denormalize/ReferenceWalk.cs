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
        // The frames are the thread's, reused from one walk to the next (a walk gives them all back, cleared).
        var frames = t_frames ?? new PocoElements.Frames();
        t_frames = null;
        var walk = new Walk([], frames);
        Children(root, walk);
        t_frames = frames;
        return walk.Found;
    }

    [ThreadStatic]
    private static PocoElements.Frames? t_frames;

    private sealed record Walk(List<ResourceReference> Found, PocoElements.Frames Frames);

    private static readonly Action<Base, Walk> VisitChild = Visit;

    // By the element lists of PocoElements, which allocate nothing; by EnumerateElements for what they do not cover
    // (overflow, dynamic types), as before.
    private static void Children(Base node, Walk walk)
    {
        if (PocoElements.TryVisitChildren(node, walk.Frames, walk, VisitChild))
        {
            return;
        }

        foreach (var (_, value) in node.EnumerateElements())
        {
            switch (value)
            {
                case Base child:
                    Visit(child, walk);
                    break;
                case IEnumerable<Base> children:
                    foreach (var child in children)
                    {
                        Visit(child, walk);
                    }

                    break;
            }
        }
    }

    private static void Visit(Base child, Walk walk)
    {
        if (child is ResourceReference reference)
        {
            walk.Found.Add(reference);
        }

        // Most children are primitives, and a primitive has elements (where a reference could hide) only when it has an
        // id or extensions.
        if (child is PrimitiveType primitive && !child.HasOverflow && PocoElements.IdOrExtensions(primitive) == false)
        {
            return;
        }

        Children(child, walk);
    }
}
