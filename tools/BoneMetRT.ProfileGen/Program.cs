using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Snapshot;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Utility;
using BoneMetRT.Fhir.Packaging;

namespace BoneMetRT.ProfileGen;

/// <summary>
/// Regenerates the FHIR package in <c>fhir-profiles/</c>: the snapshot of every StructureDefinition (from its
/// differential, with the Firely SDK's <see cref="SnapshotGenerator"/>), the canonical JSON layout of every resource,
/// and the package index <c>.index.json</c>.
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run --project tools/BoneMetRT.ProfileGen [-- [--check | --pack out-dir] [path/to/fhir-profiles]]</c>.
/// With <c>--check</c> nothing is written and the exit code is 1 when a file is not up to date. With
/// <c>--pack out-dir</c> nothing in the folder is written either: when every file is up to date, the FHIR NPM package
/// tarball <c>out-dir/name-version.tgz</c> is written (exit code 1, and no tarball, when a file is out of date).
/// The ImplementationGuide's <c>definition.resource</c> is regenerated like <c>.index.json</c>: one entry per file.
/// </remarks>
internal static class Program
{
    private static readonly string[] NonResourceFiles = ["package.json", ".index.json"];

    private static async Task<int> Main(string[] args)
    {
        var packIndex = Array.IndexOf(args, "--pack");
        if (packIndex >= 0 && (packIndex + 1 >= args.Length || args[packIndex + 1].StartsWith("--", StringComparison.Ordinal)))
        {
            Console.Error.WriteLine("--pack needs the folder to write the tarball to, e.g. --pack out/");
            return 2;
        }

        var packDir = packIndex >= 0 ? args[packIndex + 1] : null;
        var check = args.Contains("--check") || packDir is not null;
        var dir = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (packIndex < 0 || i != packIndex + 1)).FirstOrDefault() ?? FindProfilesDirectory();
        dir = Path.GetFullPath(dir);
        Console.WriteLine($"FHIR package folder: {dir}");

        var deserializer = new FhirJsonDeserializer();
        var files = Directory.GetFiles(dir, "*.json")
            .Where(f => !NonResourceFiles.Contains(Path.GetFileName(f)))
            .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            Console.Error.WriteLine("No resource file found.");
            return 2;
        }

        var resources = new List<(string File, Resource Resource)>();
        foreach (var file in files)
        {
            var resource = deserializer.DeserializeResource(await File.ReadAllTextAsync(file));
            var expected = $"{resource.TypeName}-{resource.Id}.json";
            if (Path.GetFileName(file) != expected)
            {
                Console.Error.WriteLine($"{Path.GetFileName(file)}: should be named {expected}");
                return 2;
            }

            resources.Add((file, resource));
        }

        ListInImplementationGuide(resources);
        var failed = !await GenerateSnapshotsAsync(resources.Select(r => r.Resource).ToList());
        if (failed)
        {
            return 1;
        }

        var stale = 0;
        var serializer = new FhirJsonSerializer();
        foreach (var (file, resource) in resources)
        {
            var json = Normalise(serializer.SerializeToString(resource, true));
            stale += await WriteIfChangedAsync(file, json, check) ? 1 : 0;
        }

        stale += await WriteIfChangedAsync(Path.Combine(dir, ".index.json"), BuildIndex(resources), check) ? 1 : 0;

        if (check && stale > 0)
        {
            Console.Error.WriteLine($"{stale} file(s) out of date: run the generator without --check{(packDir is null ? "" : " or --pack")}.");
            return 1;
        }

        if (packDir is not null)
        {
            Directory.CreateDirectory(packDir);
            var tarball = Path.GetFullPath(Path.Combine(packDir, FhirNpmPackage.TarballName(dir)));
            await using (var output = File.Create(tarball))
            {
                FhirNpmPackage.Write(dir, output);
            }

            Console.WriteLine($"Package: {tarball}");
            return 0;
        }

        Console.WriteLine(check ? "All files up to date." : $"Done: {resources.Count} resources, {stale} file(s) rewritten.");
        return 0;
    }

    /// <summary>
    /// Lists every other resource of the folder in the ImplementationGuide's <c>definition.resource</c>, in file order,
    /// so that adding or removing a file cannot leave the guide behind (<c>--check</c> then reports it).
    /// </summary>
    private static void ListInImplementationGuide(List<(string File, Resource Resource)> resources)
    {
        foreach (var guide in resources.Select(r => r.Resource).OfType<ImplementationGuide>())
        {
            guide.Definition ??= new ImplementationGuide.DefinitionComponent();
            guide.Definition.Resource = [.. resources
                .Where(r => !ReferenceEquals(r.Resource, guide))
                .Select(r => new ImplementationGuide.ResourceComponent
                {
                    Reference = new ResourceReference($"{r.Resource.TypeName}/{r.Resource.Id}"),
                    Name = TitleOf(r.Resource),
                    Example = new FhirBoolean(false),
                })];
        }
    }

    private static string? TitleOf(Resource resource) => resource switch
    {
        StructureDefinition r => r.Title,
        ValueSet r => r.Title,
        CodeSystem r => r.Title,
        OperationDefinition r => r.Title,
        CapabilityStatement r => r.Title,
        ImplementationGuide r => r.Title,
        PlanDefinition r => r.Title,
        ActivityDefinition r => r.Title,
        IVersionableConformanceResource r => r.Name,
        _ => null,
    };

    /// <summary>Walks up from the working directory to the folder holding BoneMetRT.sln.</summary>
    private static string FindProfilesDirectory()
    {
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "BoneMetRT.sln")))
            {
                return Path.Combine(d.FullName, "fhir-profiles");
            }
        }

        throw new DirectoryNotFoundException("BoneMetRT.sln not found above the working directory; pass the fhir-profiles path.");
    }

    /// <summary>
    /// Replaces the snapshot of every StructureDefinition by one generated from its differential. Extensions come
    /// first so that the profiles using them see their fresh snapshots. The package's own resources are resolved from
    /// memory (the files on disk may hold stale snapshots), the core definitions from specification.zip.
    /// </summary>
    private static async Task<bool> GenerateSnapshotsAsync(List<Resource> resources)
    {
        var definitions = resources.OfType<StructureDefinition>()
            .OrderBy(sd => sd.Type == "Extension" ? 0 : 1)
            .ThenBy(sd => sd.Id, StringComparer.Ordinal)
            .ToList();
        foreach (var sd in definitions)
        {
            sd.Snapshot = null;
        }

        var resolver = new MultiResolver(
            new InMemoryResourceResolver(resources),
            new CachedResolver(ZipSource.CreateValidationSource()));
        var generator = new SnapshotGenerator(resolver, new SnapshotGeneratorSettings
        {
            GenerateSnapshotForExternalProfiles = true,
            ForceRegenerateSnapshots = true,
            GenerateElementIds = true,
        });

        var ok = true;
        foreach (var sd in definitions)
        {
            if (sd.Snapshot is null)
            {
                await generator.UpdateAsync(sd);
            }

            var issues = generator.Outcome?.Issue ?? [];
            foreach (var issue in issues)
            {
                Console.Error.WriteLine($"{sd.Id}: {issue.Severity} {issue.Details?.Text ?? issue.Diagnostics} @ {string.Join(", ", issue.Location)}");
            }

            if (sd.Snapshot is null || issues.Any(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal))
            {
                ok = false;
            }
        }

        return ok;
    }

    /// <summary>Builds the FHIR NPM package index (.index.json, index-version 1).</summary>
    private static string BuildIndex(List<(string File, Resource Resource)> resources)
    {
        var files = new JsonArray();
        foreach (var (file, resource) in resources)
        {
            var entry = new JsonObject
            {
                ["filename"] = Path.GetFileName(file),
                ["resourceType"] = resource.TypeName,
                ["id"] = resource.Id,
            };
            var (url, version) = CanonicalResource.Of(resource) ?? (null, null);
            if (url is not null)
            {
                entry["url"] = url;
                entry["version"] = version;
            }

            switch (resource)
            {
                case StructureDefinition sd:
                    entry["kind"] = sd.Kind?.GetLiteral();
                    entry["type"] = sd.Type;
                    break;
                case OperationDefinition od:
                    entry["kind"] = od.Kind?.GetLiteral();
                    break;
                case CapabilityStatement cs:
                    entry["kind"] = cs.Kind?.GetLiteral();
                    break;
                case CodeSystem codeSystem:
                    entry["content"] = codeSystem.Content?.GetLiteral();
                    break;
            }

            files.Add(entry);
        }

        var index = new JsonObject { ["index-version"] = 1, ["files"] = files };
        return Normalise(index.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static string Normalise(string json) => json.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";

    /// <summary>Writes <paramref name="content"/> unless the file already holds it; tells whether it differed.</summary>
    private static async Task<bool> WriteIfChangedAsync(string path, string content, bool check)
    {
        var current = File.Exists(path) ? await File.ReadAllTextAsync(path) : null;
        if (current == content)
        {
            return false;
        }

        Console.WriteLine($"{(check ? "out of date" : "writing")}: {Path.GetFileName(path)}");
        if (!check)
        {
            await File.WriteAllTextAsync(path, content, new UTF8Encoding(false));
        }

        return true;
    }
}
