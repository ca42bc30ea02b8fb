using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Normalize;

/// <summary>
/// The entries of the input Bundle, with how to resolve a reference between them and how to point at each in an
/// OperationOutcome. A source key (the string the domain carries as evidence) is the reference the caller used for
/// the resource: <c>Type/id</c> when it has an id, otherwise its fullUrl.
/// </summary>
public sealed class InputIndex
{
    private readonly Dictionary<string, int> _byKey;
    private readonly Dictionary<string, int> _byFullUrl;

    /// <summary>Builds the index of a Bundle; <paramref name="prefix"/> is the FHIRPath of the Bundle in the request.</summary>
    public InputIndex(Bundle bundle, string prefix)
    {
        _byKey = new(bundle.Entry.Count, StringComparer.Ordinal);
        _byFullUrl = new(bundle.Entry.Count, StringComparer.Ordinal);
        Bundle = bundle;
        Prefix = prefix;
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var e = bundle.Entry[i];
            if (e.Resource is null)
            {
                continue;
            }

            var key = KeyOf(e);
            _byKey.TryAdd(key, i);
            if (!string.IsNullOrEmpty(e.FullUrl))
            {
                _byFullUrl.TryAdd(e.FullUrl, i);
            }
        }
    }

    /// <summary>The input Bundle.</summary>
    public Bundle Bundle { get; }

    /// <summary>FHIRPath of the Bundle in the request (<c>Bundle</c> or <c>Parameters.parameter[0].resource</c>).</summary>
    public string Prefix { get; }

    /// <summary>Entries that carry a resource, with their index.</summary>
    public IEnumerable<(int Index, Resource Resource)> Resources =>
        Bundle.Entry.Select((e, i) => (i, e.Resource)).Where(x => x.Resource is not null)!;

    /// <summary>The source key of an entry.</summary>
    public string Key(int index) => KeyOf(Bundle.Entry[index]);

    /// <summary>The source key of a resource of the Bundle.</summary>
    public string Key(Resource resource) => Key(IndexOf(resource));

    /// <summary>Position of a resource in the Bundle.</summary>
    public int IndexOf(Resource resource) => Bundle.Entry.FindIndex(e => ReferenceEquals(e.Resource, resource));

    /// <summary>FHIRPath of an entry's resource.</summary>
    public string Expression(int index, string? element = null) =>
        element is null ? $"{Prefix}.entry[{index}].resource" : $"{Prefix}.entry[{index}].resource.{element}";

    /// <summary>FHIRPath of the resource a source key names.</summary>
    public string? Expression(string key) => _byKey.TryGetValue(key, out var i) ? Expression(i) : null;

    /// <summary>Position in the Bundle of the entry a source key names, or null.</summary>
    public int? PositionOf(string key) => _byKey.TryGetValue(key, out var i) ? i : null;

    /// <summary>The entry a source key names, or null.</summary>
    public Bundle.EntryComponent? EntryOf(string key) => _byKey.TryGetValue(key, out var i) ? Bundle.Entry[i] : null;

    /// <summary>The resource a source key names.</summary>
    public Resource? ByKey(string key) => _byKey.TryGetValue(key, out var i) ? Bundle.Entry[i].Resource : null;

    /// <summary>Resolves a reference inside the Bundle; null when it points outside.</summary>
    public Resource? Resolve(ResourceReference? reference)
    {
        var r = reference?.Reference;
        if (string.IsNullOrEmpty(r))
        {
            return null;
        }

        if (_byFullUrl.TryGetValue(r, out var byUrl))
        {
            return Bundle.Entry[byUrl].Resource;
        }

        // Relative "Type/id" (possibly with _history) or an absolute URL whose tail is Type/id.
        var parts = r.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var historyAt = Array.IndexOf(parts, "_history");
        if (historyAt > 0)
        {
            parts = parts[..historyAt];
        }

        return parts.Length >= 2 && _byKey.TryGetValue($"{parts[^2]}/{parts[^1]}", out var i) ? Bundle.Entry[i].Resource : null;
    }

    private static string KeyOf(Bundle.EntryComponent e) =>
        !string.IsNullOrEmpty(e.Resource?.Id) ? $"{e.Resource.TypeName}/{e.Resource.Id}" : e.FullUrl ?? $"{e.Resource?.TypeName}";
}
