using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Denormalize;

/// <summary>
/// The input resources the outputs refer to, copied into the response so that every reference resolves inside it
/// (issue 10): unchanged but for a <c>meta.tag</c> <c>bonemet#input</c> that tells them from outputs, under the
/// fullUrl the caller gave them. The inputs they refer to in turn (an Observation's focus, a Condition's subject) come
/// too, as far as the request held them. Neither <c>entry.search</c> (searchsets only) nor <c>entry.request</c> is
/// carried over: the response is a collection.
/// </summary>
internal static class InputCopies
{
    /// <summary>The tag that marks a copied input.</summary>
    public static Coding Tag => new(CodeSystems.BoneMet, "input", "Input resource");

    public static List<Bundle.EntryComponent> Build(DenormalizeContext c)
    {
        var index = c.Input.Index;
        var keys = new List<string>(c.ReferencedInputs);
        var seen = new HashSet<string>(keys, StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++)
        {
            if (index.ByKey(keys[i]) is not { } resource)
            {
                continue;
            }

            foreach (var target in ReferenceWalk.Descendants(resource))
            {
                if (index.Resolve(target) is { } referenced && seen.Add(index.Key(referenced)))
                {
                    keys.Add(index.Key(referenced));
                }
            }
        }

        // In the order of the request, which is how the caller will recognise them.
        return [.. keys.Select(k => index.EntryOf(k)).OfType<Bundle.EntryComponent>()
            .OrderBy(e => index.Bundle.Entry.IndexOf(e))
            .Select(Copy)];
    }

    private static Bundle.EntryComponent Copy(Bundle.EntryComponent entry)
    {
        var resource = (Resource)entry.Resource!.DeepCopy();
        resource.Meta ??= new Meta();
        resource.Meta.Tag.Add(Tag);
        return new Bundle.EntryComponent { FullUrl = entry.FullUrl, Resource = resource };
    }
}
