using System.Text.Json;
using System.Text.Json.Serialization;

namespace BoneMetRT.Cli.Kit;

/// <summary>
/// The tester's kit, <c>examples/manifest.json</c>: for every example request, how to send it and what the answer must
/// hold (status, resource type, FHIRPath assertions). It is the one place the expected statuses are written; the C#
/// tests and <c>bonemetrt kit</c> read it.
/// </summary>
public sealed record KitManifest
{
    /// <summary>What the kit is, for a human reading the file.</summary>
    public string Description { get; init; } = "";

    /// <summary>The cases, in the order they are run.</summary>
    public IReadOnlyList<KitCase> Cases { get; init; } = [];

    /// <summary>The folder the case bodies are relative to (the manifest's own folder); set by <see cref="Load"/>.</summary>
    [JsonIgnore]
    public string Folder { get; init; } = "";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        // A misspelt key in the manifest would silently drop an expectation: refuse it instead.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads a manifest file; throws <see cref="KitManifestException"/> when it is not one.</summary>
    public static KitManifest Load(string path)
    {
        KitManifest? manifest;
        try
        {
            using var stream = File.OpenRead(path);
            manifest = JsonSerializer.Deserialize<KitManifest>(stream, Options);
        }
        catch (JsonException e)
        {
            throw new KitManifestException($"{path} is not a kit manifest: {e.Message}");
        }

        if (manifest is null || manifest.Cases.Count == 0)
        {
            throw new KitManifestException($"{path} holds no cases.");
        }

        foreach (var c in manifest.Cases)
        {
            if (string.IsNullOrWhiteSpace(c.Id) || c.Request is null || c.Expect is null)
            {
                throw new KitManifestException($"{path}: every case needs an id, a request and an expect ('{c.Id}' does not).");
            }

            if (!Hl7.Fhir.Model.ModelInfo.IsKnownResource(c.Expect.ResourceType))
            {
                throw new KitManifestException($"{path}: case '{c.Id}' expects '{c.Expect.ResourceType}', which is not a FHIR R4 resource type.");
            }
        }

        var duplicate = manifest.Cases.GroupBy(c => c.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new KitManifestException($"{path}: the case id '{duplicate.Key}' is used twice.");
        }

        return manifest with { Folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "." };
    }
}
