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
                if (index.Resolve(target) is { } referenced && index.Key(referenced) is var key && seen.Add(key))
                {
                    keys.Add(key);
                }
            }
        }

        // In the order of the request, which is how the caller will recognise them.
        return [.. keys.Where(k => index.PositionOf(k) is not null).OrderBy(k => index.PositionOf(k)!.Value).Select(k => Copy(index.EntryOf(k)!))];
    }

    // The copy shares the input's elements (the request is read, never changed, and so is the answer once made: what
    // changes an answer, $apply and the write-back transaction, copies it deeply first), all but Meta, which gets the
    // tag: a shallow copy costs one object where DeepCopy rebuilt the whole resource, and writes the same JSON.
    private static Bundle.EntryComponent Copy(Bundle.EntryComponent entry)
    {
        var source = entry.Resource!;
        var resource = ShallowCopy(source) ?? (Resource)source.DeepCopy();
        resource.Meta = (Meta?)source.Meta?.DeepCopy() ?? new Meta();
        resource.Meta.Tag.Add(Tag);
        return new Bundle.EntryComponent { FullUrl = entry.FullUrl, Resource = resource };
    }

    // A new resource of the same type holding the same element values; null when the resource has content that only
    // EnumerateElements sees (overflow), which DeepCopy then copies.
    private static Resource? ShallowCopy(Resource source)
    {
        if (PocoElements.Of(source) is not { } members)
        {
            return null;
        }

        var copy = (Resource)Activator.CreateInstance(source.GetType())!;
        foreach (var member in members)
        {
            if (source.TryGetValue(member.Key, out var value))
            {
                copy.SetValue(member.Key, value);
            }
        }

        return copy;
    }
}
