using System.Text.Json;
using BoneMetRT.Fhir.Tests.Examples;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Utility;

namespace BoneMetRT.Fhir.Tests.Validation;

/// <summary>
/// The validator reads the embedded package and core subset through <see cref="LazyConformanceSource"/> (each resource
/// parsed when a lookup first asks for it, with the service's JSON reader or Firely's non-validating parser) instead of
/// an <see cref="InMemoryResourceResolver"/> over all of them parsed strictly at start-up. That must change nothing: the
/// same objects, the same answer to every lookup, the same OperationOutcomes.
/// </summary>
public sealed class LazyConformanceSourceTests
{
    // Firely's strict deserializer on each resource's JSON, whatever FhirSerialization's switches say: the reference the
    // lazy source's objects are compared with never goes through the reader.
    private static readonly FhirJsonDeserializer StrictDeserializer = new(new DeserializerSettings().UsingMode(DeserializationMode.Strict));
    private static readonly IReadOnlyList<Resource> StrictPackage = ParseStrictly(FhirValidation.PackageSource());
    private static readonly IReadOnlyList<Resource> StrictSubset = ParseStrictly(new LazyConformanceSource(CoreDefinitions.SubsetEntries()));

    private static IReadOnlyList<Resource> ParseStrictly(LazyConformanceSource source) =>
        [.. source.Entries.Select(e =>
        {
            var reader = new Utf8JsonReader(e.Json.Span);
            return StrictDeserializer.DeserializeResource(ref reader);
        })];

    public static TheoryData<string> Sources => ["package", "core subset"];

    private static (LazyConformanceSource Lazy, IReadOnlyList<Resource> Strict) Source(string which) => which == "package"
        ? (FhirValidation.PackageSource(), StrictPackage)
        : (new LazyConformanceSource(CoreDefinitions.SubsetEntries()), StrictSubset);

    [Theory]
    [MemberData(nameof(Sources))]
    public void Each_entry_is_described_from_its_JSON_as_its_strict_parse_says(string which)
    {
        var (lazy, strict) = Source(which);
        var entries = lazy.Entries.ToList();
        Assert.Equal(strict.Count, entries.Count);
        Assert.True(strict.Count > 80, $"only {strict.Count} resources");
        for (var i = 0; i < strict.Count; i++)
        {
            var (e, r) = (entries[i], strict[i]);
            Assert.Equal(r.TypeName, e.ResourceType);
            Assert.Equal(r.Id, e.Id);
            Assert.Equal(r.GetType().GetProperty("Url")?.GetValue(r) as string, e.Url); // ActivityDefinition has one too
            if (r is StructureDefinition sd)
            {
                Assert.Equal(sd.Type, e.Type);
                Assert.Equal(sd.Kind?.GetLiteral(), e.Kind);
            }
        }

        Assert.Equal(0, lazy.ParsedCount); // describing parses nothing
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void The_non_validating_parse_builds_the_objects_of_the_strict_parse(string which)
    {
        var (lazy, strict) = Source(which);
        var entries = lazy.Entries.ToList();
        for (var i = 0; i < strict.Count; i++)
        {
            var found = lazy.TryResolveByUri($"{entries[i].ResourceType}/{entries[i].Id}");
            Assert.True(found.Success, entries[i].Name);
            Assert.True(strict[i].IsExactly(found.Value!), $"{entries[i].Name} parses differently");
            Assert.Equal(Json(strict[i]), Json(found.Value!));
        }

        Assert.Equal(strict.Count, lazy.ParsedCount);

        // The core subset is read by FhirJsonReader but for one definition, so the comparison above is of its objects
        // (the package's resources carry translations as _title, _description… and are left to Firely's deserializer).
        if (which != "package")
        {
            var readPlain = entries.Count(e => FhirJsonReader.TryRead(e.Json.Span, FhirSerialization.MaxDepth) is not null);
            Assert.True(readPlain >= entries.Count - 1, $"only {readPlain} of {entries.Count} read by FhirJsonReader");
        }
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Every_lookup_answers_as_an_in_memory_resolver_over_the_strict_parse(string which)
    {
        var (lazy, strict) = Source(which);
        var memory = new InMemoryResourceResolver(strict);
        var uris = new List<string>();
        foreach (var r in strict)
        {
            uris.Add($"{r.TypeName}/{r.Id}");
            // Every url, whether the resource is a conformance resource or not (an ActivityDefinition is not: no canonical lookup finds it).
            if (r.GetType().GetProperty("Url")?.GetValue(r) is string url)
            {
                var version = r.GetType().GetProperty("Version")?.GetValue(r) as string;
                uris.AddRange([url, $"{url}|{version}", $"{url}|0.0.0-not-a-version", $"{url}#fragment", url + "-unknown"]);
            }
        }

        uris.AddRange(CoreDefinitions.ReadLines("canonicals.txt"));
        uris.AddRange(["", "http://example.org/nothing", "StructureDefinition/", "Bundle"]);
        var found = 0;
        foreach (var uri in uris)
        {
            foreach (var canonical in new[] { true, false })
            {
                var expected = canonical ? memory.TryResolveByCanonicalUri(uri) : memory.TryResolveByUri(uri);
                var actual = canonical ? lazy.TryResolveByCanonicalUri(uri) : lazy.TryResolveByUri(uri);
                Assert.True(expected.Success == actual.Success, $"{(canonical ? "canonical" : "uri")} {uri}: in memory {expected.Success}, lazy {actual.Success}");
                if (expected.Success)
                {
                    Assert.Equal(Json(expected.Value!), Json(actual.Value!));
                    found++;
                }
            }
        }

        Assert.True(found >= 2 * strict.Count(r => r is IConformanceResource), $"only {found} lookups found something"); // by url, url|version and Type/id
    }

    [Fact]
    public void A_bundle_that_is_not_one_is_refused_with_its_name()
    {
        var e = Assert.Throws<InvalidOperationException>(() => LazyConformanceSource.DescribeBundle("x.json", "[1]"u8.ToArray()));
        Assert.Contains("x.json", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => LazyConformanceSource.Describe("y.json", """{"id":"a"}"""u8.ToArray()));
    }

    /// <summary>
    /// End to end: the service's validation (<see cref="FhirValidation.Default"/>, lazy) and one over the strictly parsed
    /// package (<see cref="FhirValidation(IReadOnlyList{Resource}, IAsyncResourceResolver?)"/>, every resource parsed up
    /// front, as the service did before) give the same OperationOutcome on every example, valid and invalid.
    /// </summary>
    [Fact]
    public void Validation_over_the_lazy_sources_reports_what_validation_over_the_parsed_package_reports()
    {
        var eager = new FhirValidation(FhirValidation.LoadPackage(), new CoreDefinitions()) { ResultCacheSize = 0 };
        var compared = 0;
        foreach (var file in ExampleCatalog.Valid.Select(f => Path.Combine(ExampleCatalog.ValidFolder, f))
                     .Concat(ExampleCatalog.Invalid.Select(f => Path.Combine(ExampleCatalog.InvalidFolder, f))))
        {
            if (FhirSerialization.Parse(File.ReadAllBytes(file), FhirFormat.Json).Value is not { } resource)
            {
                continue;
            }

            Assert.Equal(Json(eager.Validate(resource)), Json(FhirValidation.Default.Validate(resource)));
            if ((resource as Bundle ?? (resource as Parameters)?.Parameter.Select(p => p.Resource).OfType<Bundle>().FirstOrDefault()) is { } bundle)
            {
                Assert.Equal(
                    string.Join('\n', eager.ValidateInput(bundle, "Bundle").Select(i => $"{i.Text.En} @ {string.Join('|', i.Expressions)}")),
                    string.Join('\n', FhirValidation.Default.ValidateInput(bundle, "Bundle").Select(i => $"{i.Text.En} @ {string.Join('|', i.Expressions)}")));
            }

            compared++;
        }

        Assert.True(compared >= 28, $"only {compared} examples compared");
    }

    private static string Json(Resource r) => FhirSerialization.ToText(r, FhirFormat.Json, pretty: false);
}
