using System.Reflection;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;

namespace BoneMetRT.Fhir.Validation;

/// <summary>
/// The core FHIR R4 definitions, answered first from a subset embedded in this assembly (core-subset/: the
/// StructureDefinitions, ValueSets and CodeSystems that validating $assess requests asks for, copied verbatim from
/// Firely's specification.zip by tools/BoneMetRT.CoreSubset), and for anything else from specification.zip itself.
/// <para>
/// Why: Firely's ZipSource indexes all of specification.zip (some 60 MB of XML) on its first lookup, which is most of
/// the service's start-up time. Each resource of the subset is parsed the first time a lookup asks for it
/// (<see cref="LazyConformanceSource"/>), and the zip is only opened when a request needs a definition outside it (an
/// unusual resource type, an extension). Answers are the same either way:
/// the subset holds the same resources, and the canonicals it knows to be absent from the zip are answered absent.
/// tests/BoneMetRT.Fhir.Tests/Validation/CoreDefinitionsTests.cs checks both against the zip.
/// </para>
/// </summary>
public sealed class CoreDefinitions : IAsyncResourceResolver
{
    /// <summary>Prefix of the embedded subset's resource names.</summary>
    public const string ResourcePrefix = "core-subset/";

    private readonly Lazy<LazyConformanceSource> _subset;
    private readonly Lazy<HashSet<string>> _absent;
    private readonly Lazy<IAsyncResourceResolver> _zip;
    private readonly Lazy<HashSet<string>> _structureDefinitions = new(() => new HashSet<string>(ReadLines("structure-definitions.txt"), StringComparer.Ordinal));

    /// <summary>The embedded subset in front of <paramref name="fallback"/> (by default specification.zip, opened on first need).</summary>
    public CoreDefinitions(Func<IAsyncResourceResolver>? fallback = null)
    {
        _subset = new(() => new LazyConformanceSource(SubsetEntries()));
        _absent = new(() => new HashSet<string>(ReadLines("absent.txt"), StringComparer.Ordinal));
        _zip = new(fallback ?? ZipSource.CreateValidationSource);
    }

    /// <summary>
    /// Whether specification.zip holds a StructureDefinition whose canonical url (without version) is
    /// <paramref name="url"/>, answered from structure-definitions.txt (written from the zip by tools/BoneMetRT.CoreSubset,
    /// checked against it by the tests) without opening the zip. A profile a record declares that is not there (US
    /// Core, mCODE) is found absent at once, where a lookup would open and index the zip (seconds) to find nothing.
    /// </summary>
    public bool HoldsStructureDefinition(string url) => _structureDefinitions.Value.Contains(url);

    /// <summary>True once a lookup went past the subset to specification.zip.</summary>
    public bool UsedFallback => _zip.IsValueCreated;

    /// <inheritdoc />
    public async Task<ResolverResult> TryResolveByCanonicalUriAsync(string uri)
    {
        var found = _subset.Value.TryResolveByCanonicalUri(uri);
        if (found.Success)
        {
            return found;
        }

        return _absent.Value.Contains(uri)
            ? ResolverException.NotFound()
            : await _zip.Value.TryResolveByCanonicalUriAsync(uri).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ResolverResult> TryResolveByUriAsync(string uri) =>
        _subset.Value.TryResolveByUri(uri) is { Success: true } found ? found : await _zip.Value.TryResolveByUriAsync(uri).ConfigureAwait(false);

#pragma warning disable CS0618 // the interface's older members, which Firely still calls in places
    /// <inheritdoc />
    public async Task<Resource?> ResolveByCanonicalUriAsync(string uri)
    {
        var result = await TryResolveByCanonicalUriAsync(uri).ConfigureAwait(false);
        return result.Success ? result.Value : null;
    }

    /// <inheritdoc />
    public async Task<Resource?> ResolveByUriAsync(string uri)
    {
        var result = await TryResolveByUriAsync(uri).ConfigureAwait(false);
        return result.Success ? result.Value : null;
    }
#pragma warning restore CS0618

    /// <summary>The resources of the embedded subset.</summary>
    public static IReadOnlyList<Resource> LoadSubset()
    {
        using var stream = Open("core-definitions.json");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var parsed = FhirSerialization.Parse(buffer.ToArray(), FhirFormat.Json);
        return parsed.Value is Bundle bundle
            ? bundle.Entry.Select(e => e.Resource).OfType<Resource>().ToList()
            : throw new InvalidOperationException($"{ResourcePrefix}core-definitions.json is not a Bundle: {string.Join("; ", parsed.Issues.Select(i => i.Text.En))}");
    }

    /// <summary>
    /// The resources of the embedded subset as JSON, each parsed only when a lookup asks for it: validating a request
    /// needs a part of them, and parsing all of them cost about 0.4 s of CPU at start-up.
    /// </summary>
    public static IReadOnlyList<LazyConformanceSource.Entry> SubsetEntries()
    {
        using var stream = Open("core-definitions.json");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var entries = LazyConformanceSource.DescribeBundle(ResourcePrefix + "core-definitions.json", buffer.ToArray());
        StartupTimeline.Process.Mark($"core subset indexed ({entries.Count} resources)");
        return entries;
    }

    /// <summary>The lines of an embedded text file of the subset (absent.txt, canonicals.txt).</summary>
    public static IEnumerable<string> ReadLines(string name)
    {
        using var reader = new StreamReader(Open(name));
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                yield return line;
            }
        }
    }

    private static Stream Open(string name) =>
        typeof(CoreDefinitions).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"Missing embedded resource {ResourcePrefix}{name}.");
}
