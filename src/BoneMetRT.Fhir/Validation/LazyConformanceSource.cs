using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;

namespace BoneMetRT.Fhir.Validation;

/// <summary>
/// Conformance resources kept as JSON and parsed only when a lookup asks for them, answering exactly as an
/// <see cref="InMemoryResourceResolver"/> over all of them, in the same order, would.
/// <para>
/// Why: validating a request resolves a small part of the package and of the core subset (the input profiles, the
/// types in the request, the value sets they bind), but parsing all of them took about 1 s of CPU at start-up, before
/// the first request could be validated. Each resource's JSON is found by one pass of a JSON reader (its
/// <c>resourceType</c>, <c>id</c> and <c>url</c>, a few milliseconds for the whole package); a lookup parses only the
/// resources whose <c>url</c> (by canonical) or <c>Type/id</c> (by uri) is the one asked for, once, and lets an
/// <see cref="InMemoryResourceResolver"/> over those choose among them (versions), in their original order.
/// </para>
/// <para>
/// The JSON is embedded at build time and parses without a single issue (tests/BoneMetRT.Fhir.Tests/Validation/
/// LazyConformanceSourceTests.cs parses each strictly), so it is read without validation: by the service's own
/// <see cref="FhirJsonReader"/> where it reads it (the core subset), by Firely's deserializer in its non-validating
/// mode otherwise (the package, whose translations the reader leaves to Firely), each building the same objects in a
/// fraction of the time; the same test checks that the objects are identical to the strict parse's.
/// </para>
/// </summary>
public sealed class LazyConformanceSource : IAsyncResourceResolver
{
    // Made at the first parse, not when the service is built: its settings set up Firely's model.
    private static readonly Lazy<FhirJsonDeserializer> Trusted = new(() => new(new DeserializerSettings().UsingMode(DeserializationMode.Ostrich)));

    private readonly Item[] _items;
    private readonly Lazy<Dictionary<string, int[]>> _byUrl;
    private readonly Lazy<Dictionary<string, int[]>> _byTypeAndId;

    /// <summary>One resource's JSON and what a lookup is matched on, read from its top level.</summary>
    /// <param name="Name">Where it comes from (a file name, or a Bundle entry), for error messages.</param>
    /// <param name="Json">The resource's JSON, alone.</param>
    /// <param name="ResourceType">Its <c>resourceType</c>.</param>
    /// <param name="Id">Its <c>id</c>, if any.</param>
    /// <param name="Url">Its <c>url</c>, if any (conformance resources).</param>
    /// <param name="Type">Its top-level <c>type</c>, if a string (a StructureDefinition's constrained type, say).</param>
    /// <param name="Kind">Its top-level <c>kind</c>, if a string (a StructureDefinition's kind, say).</param>
    public sealed record Entry(string Name, ReadOnlyMemory<byte> Json, string ResourceType, string? Id, string? Url, string? Type = null, string? Kind = null);

    private sealed class Item(Entry entry)
    {
        private readonly Lazy<Resource> _parsed = new(() => Parse(entry), LazyThreadSafetyMode.ExecutionAndPublication);

        public Entry Entry => entry;

        public Resource Resource => _parsed.Value;

        public bool IsParsed => _parsed.IsValueCreated;
    }

    /// <summary>Keeps <paramref name="entries"/>, in this order; nothing is parsed yet.</summary>
    public LazyConformanceSource(IEnumerable<Entry> entries)
    {
        _items = [.. entries.Select(e => new Item(e))];
        // The keys InMemoryResourceResolver matches on: the url of a conformance resource only (an ActivityDefinition
        // has a url but is not one), and Type/id when there is an id; a missing key is a key too (null), as there.
        // Built at the first lookup (telling a conformance resource type needs Firely's model), not on the thread that
        // builds the service.
        _byUrl = new(() => Index(i => IsConformance(i.ResourceType) ? i.Url : null));
        _byTypeAndId = new(() => Index(i => string.IsNullOrEmpty(i.Id) ? null : $"{i.ResourceType}/{i.Id}"));
    }

    /// <summary>The entries, in their order.</summary>
    public IEnumerable<Entry> Entries => _items.Select(i => i.Entry);

    /// <summary>How many resources have been parsed so far.</summary>
    public int ParsedCount => _items.Count(i => i.IsParsed);

    /// <summary>
    /// Reads the top level of one resource's JSON (<c>resourceType</c>, <c>id</c>, <c>url</c>) without parsing it as FHIR.
    /// </summary>
    /// <exception cref="InvalidOperationException">It is not a JSON object with a <c>resourceType</c>.</exception>
    public static Entry Describe(string name, ReadOnlyMemory<byte> json)
    {
        var reader = new Utf8JsonReader(json.Span);
        if (!reader.Read())
        {
            throw new InvalidOperationException($"{name} is empty.");
        }

        return Describe(name, json, ref reader);
    }

    /// <summary>
    /// The resources of a Bundle's JSON (<c>entry[].resource</c>), each as its own entry named
    /// <c>{name}#entry[i]</c>, in the Bundle's order.
    /// </summary>
    /// <exception cref="InvalidOperationException">It is not a Bundle's JSON.</exception>
    public static IReadOnlyList<Entry> DescribeBundle(string name, ReadOnlyMemory<byte> json)
    {
        var entries = new List<Entry>();
        var reader = new Utf8JsonReader(json.Span);
        Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject, name, "is not a JSON object");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("entry"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartArray, name, "has an entry that is not an array");
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isResource = reader.ValueTextEquals("resource"u8);
                    reader.Read();
                    if (isResource)
                    {
                        entries.Add(Describe($"{name}#entry[{entries.Count}]", json, ref reader));
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
        }

        return entries;
    }

    // The top-level properties an entry records, in the order of its parameters.
    private static readonly string[] Fields = ["resourceType", "id", "url", "type", "kind"];

    // The reader is on the resource's StartObject; leaves it on its EndObject.
    private static Entry Describe(string name, ReadOnlyMemory<byte> json, ref Utf8JsonReader reader)
    {
        Expect(reader.TokenType == JsonTokenType.StartObject, name, "is not a JSON object");
        var start = (int)reader.TokenStartIndex;
        var depth = reader.CurrentDepth;
        var fields = new string?[Fields.Length];
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            // A property of the resource itself: the reader is on its name.
            var field = Fields.Length - 1;
            while (field >= 0 && !reader.ValueTextEquals(Fields[field]))
            {
                field--;
            }

            reader.Read();
            if (field >= 0 && reader.TokenType == JsonTokenType.String)
            {
                fields[field] = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        Expect(fields[0] is not null, name, "has no resourceType");
        var end = (int)reader.BytesConsumed;
        return new Entry(name, json[start..end], fields[0]!, fields[1], fields[2], fields[3], fields[4]);
    }

    private static void Expect(bool condition, string name, string problem)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"{name} {problem}.");
        }
    }

    // FhirJsonReader first: it reads JSON in the plain form into the objects Firely's deserializer builds without
    // validator, several times faster (the core subset: 40 against 270 ms once warm, 300 against 480 ms cold), which is
    // time before the first validated answer; what it leaves (an element as _name, say) Firely reads.
    private static Resource Parse(Entry entry)
    {
        var resource = FhirSerialization.TryReadPlainForm(entry.Json.Span) ?? Deserialize(entry.Json.Span);
        return resource.TypeName == entry.ResourceType
            ? resource
            : throw new InvalidOperationException($"{entry.Name} parsed as a {resource.TypeName}, not a {entry.ResourceType}.");
    }

    private static Resource Deserialize(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        return Trusted.Value.DeserializeResource(ref reader);
    }

    // Stands for "no key" in the indexes (no string of a url or Type/id starts with a NUL character).
    private const string NoKey = "\0";

    private static bool IsConformance(string resourceType) =>
        ModelInfo.GetTypeForFhirType(resourceType) is { } type && typeof(IConformanceResource).IsAssignableFrom(type);

    private Dictionary<string, int[]> Index(Func<Entry, string?> key) =>
        _items.Select((item, i) => (Key: key(item.Entry) ?? NoKey, Index: i))
            .GroupBy(x => x.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Index).ToArray(), StringComparer.Ordinal);

    // Only the resources whose url (or Type/id) is the one asked for can match; InMemoryResourceResolver then picks among
    // them (version, order) exactly as it would among all of them.
    private ResolverResult Resolve(Lazy<Dictionary<string, int[]>> index, string? key, string uri, bool canonical)
    {
        if (!index.Value.TryGetValue(key ?? NoKey, out var candidates))
        {
            return new ResolverResult(ResolverException.NotFound());
        }

        var memory = new InMemoryResourceResolver(candidates.Select(i => _items[i].Resource));
        return canonical ? memory.TryResolveByCanonicalUri(uri) : memory.TryResolveByUri(uri);
    }

    /// <summary>Synchronous <see cref="TryResolveByCanonicalUriAsync"/>.</summary>
    public ResolverResult TryResolveByCanonicalUri(string uri) => Resolve(_byUrl, new Canonical(uri).Uri, uri, canonical: true);

    /// <summary>Synchronous <see cref="TryResolveByUriAsync"/>.</summary>
    public ResolverResult TryResolveByUri(string uri) => Resolve(_byTypeAndId, new Canonical(uri).Uri, uri, canonical: false);

    /// <inheritdoc />
    public Task<ResolverResult> TryResolveByCanonicalUriAsync(string uri) => Task.FromResult(TryResolveByCanonicalUri(uri));

    /// <inheritdoc />
    public Task<ResolverResult> TryResolveByUriAsync(string uri) => Task.FromResult(TryResolveByUri(uri));

#pragma warning disable CS0618 // the interface's older members, which Firely still calls in places
    /// <inheritdoc />
    public Task<Resource?> ResolveByCanonicalUriAsync(string uri) => Task.FromResult(TryResolveByCanonicalUri(uri) is { Success: true } r ? r.Value : null);

    /// <inheritdoc />
    public Task<Resource?> ResolveByUriAsync(string uri) => Task.FromResult(TryResolveByUri(uri) is { Success: true } r ? r.Value : null);
#pragma warning restore CS0618
}
