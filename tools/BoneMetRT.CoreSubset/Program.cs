using System.Collections.Concurrent;
using System.Text;
using BoneMetRT.Domain;
using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Pipeline;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;

// Records every core definition that validating $assess requests asks for — the warm-up (core types, input profiles,
// a sample request), every request in bench/data/ and every example request — straight from specification.zip, and writes them to
// src/BoneMetRT.Fhir/core-subset/: core-definitions.json (a Bundle of the resources, as the zip holds them),
// canonicals.txt (every canonical asked for, which the tests check against the zip), absent.txt (those the zip
// does not hold) and structure-definitions.txt (the url of every StructureDefinition in the zip, so that a profile a
// record declares can be found absent without opening the zip). Run from the repository root.
var root = args.Length > 0 ? args[0] : Directory.GetCurrentDirectory();
var outDir = Path.Combine(root, "src", "BoneMetRT.Fhir", "core-subset");
var recording = new Recording(ZipSource.CreateValidationSource());
var validation = new FhirValidation(FhirValidation.LoadPackage(), recording);
var pipeline = new AssessPipeline(validation, EngineSettings.Default, TimeProvider.System);
pipeline.BeginWarmUp().Wait();
// The benchmark's requests (bench/data, written by the benchmark's --write-data when present) and every example
// request, valid and invalid: the examples hold what EHR records carry beyond the benchmark's, such as meta.profile.
var requests = new[] { Path.Combine(root, "bench", "data"), Path.Combine(root, "examples", "valid"), Path.Combine(root, "examples", "invalid") }
    .Where(Directory.Exists)
    .SelectMany(d => Directory.GetFiles(d, "*.json").Order(StringComparer.Ordinal));
foreach (var file in requests)
{
    if (FhirSerialization.Parse(File.ReadAllBytes(file), FhirFormat.Json).Value is { } resource)
    {
        pipeline.Assess(resource, new AssessOptions(Validate: true));
    }
}

var canonicals = recording.Seen.Keys.Order(StringComparer.Ordinal).ToList();
var resources = recording.Seen.Values.OfType<Resource>()
    .DistinctBy(r => (r.TypeName, r.Id))
    .OrderBy(r => r.TypeName, StringComparer.Ordinal).ThenBy(r => (r as IConformanceResource)?.Url, StringComparer.Ordinal)
    .ToList();
var bundle = new Bundle { Type = Bundle.BundleType.Collection, Entry = resources.Select(r => new Bundle.EntryComponent { Resource = r }).ToList() };
Directory.CreateDirectory(outDir);
File.WriteAllBytes(Path.Combine(outDir, "core-definitions.json"), FhirSerialization.Serialize(bundle, FhirFormat.Json));
File.WriteAllText(Path.Combine(outDir, "canonicals.txt"), string.Join('\n', canonicals) + "\n", Encoding.UTF8);
File.WriteAllText(Path.Combine(outDir, "absent.txt"), string.Join('\n', canonicals.Where(c => recording.Seen[c] is null)) + "\n", Encoding.UTF8);
var structureDefinitions = ZipSource.CreateValidationSource().ListSummaries()
    .Where(s => s.ResourceTypeName == "StructureDefinition" && s.GetConformanceCanonicalUrl() is not null)
    .Select(s => s.GetConformanceCanonicalUrl()!)
    .Distinct(StringComparer.Ordinal)
    .Order(StringComparer.Ordinal)
    .ToList();
File.WriteAllText(Path.Combine(outDir, "structure-definitions.txt"), string.Join('\n', structureDefinitions) + "\n", Encoding.UTF8);
Console.WriteLine($"{structureDefinitions.Count} StructureDefinition urls written to structure-definitions.txt");
Console.WriteLine($"{resources.Count} resources, {canonicals.Count} canonicals ({canonicals.Count(c => recording.Seen[c] is null)} absent) written to {outDir}");
if (recording.ByUri.Count > 0)
{
    Console.WriteLine($"note: {recording.ByUri.Count} lookups by plain uri went to the zip: {string.Join(", ", recording.ByUri.Keys)}");
}

/// <summary>Passes lookups to the zip and remembers them.</summary>
internal sealed class Recording(IAsyncResourceResolver inner) : IAsyncResourceResolver
{
    public ConcurrentDictionary<string, Resource?> Seen { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, Resource?> ByUri { get; } = new(StringComparer.Ordinal);

    public async Task<ResolverResult> TryResolveByCanonicalUriAsync(string uri)
    {
        var result = await inner.TryResolveByCanonicalUriAsync(uri);
        Seen.TryAdd(uri, result.Success ? (Resource)result.Value!.DeepCopy() : null); // a copy: Firely corrects some definitions in place after resolving them
        return result;
    }

    public async Task<ResolverResult> TryResolveByUriAsync(string uri)
    {
        var result = await inner.TryResolveByUriAsync(uri);
        ByUri.TryAdd(uri, result.Success ? result.Value : null);
        return result;
    }

#pragma warning disable CS0618 // the interface's older members
    public async Task<Resource?> ResolveByCanonicalUriAsync(string uri)
    {
        var result = await TryResolveByCanonicalUriAsync(uri);
        return result.Success ? result.Value : null;
    }

    public async Task<Resource?> ResolveByUriAsync(string uri)
    {
        var result = await TryResolveByUriAsync(uri);
        return result.Success ? result.Value : null;
    }
#pragma warning restore CS0618
}
