using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using BoneMetRT.Fhir.Packaging;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;

namespace BoneMetRT.Fhir.Tests.Profiles;

/// <summary>
/// The FHIR NPM tarball that <c>dotnet run --project tools/BoneMetRT.ProfileGen -- --pack out/</c> writes (same code,
/// <see cref="FhirNpmPackage"/>): it opens as a gzipped tar, holds package.json, .index.json and every resource under
/// <c>package/</c>, and, unpacked, loads in Firely's package-folder source with every indexed canonical resolving.
/// </summary>
[Collection(ConformancePackageCollection.Name)]
public sealed class PackageTarballTests(ConformancePackage package)
{
    private static readonly string[] MetadataFiles = ["package.json", ".index.json"];

    [Fact]
    public void Tarball_is_named_after_package_json()
    {
        Assert.Equal("bonemetrt.fhir-0.2.0.tgz", FhirNpmPackage.TarballName(package.Folder));
    }

    [Fact]
    public void Tarball_holds_package_json_the_index_and_every_resource_under_package()
    {
        var entries = Unpack(Build());

        Assert.All(entries.Keys, name => Assert.StartsWith(FhirNpmPackage.Root, name, StringComparison.Ordinal));
        Assert.Equal(
            MetadataFiles.Concat(package.ResourceFiles).Order(StringComparer.Ordinal),
            entries.Keys.Select(k => k[FhirNpmPackage.Root.Length..]).Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in entries)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(package.Folder, name[FhirNpmPackage.Root.Length..])), bytes);
        }

        using var json = JsonDocument.Parse(entries["package/package.json"]);
        Assert.Equal("bonemetrt.fhir", json.RootElement.GetProperty("name").GetString());
        Assert.Equal("Conformance", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("4.0.1", json.RootElement.GetProperty("dependencies").GetProperty("hl7.fhir.r4.core").GetString());
    }

    [Fact]
    public void Index_in_the_tarball_lists_every_resource_of_the_tarball()
    {
        var entries = Unpack(Build());

        using var index = JsonDocument.Parse(entries["package/.index.json"]);
        var indexed = index.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("filename").GetString()).Order(StringComparer.Ordinal);
        var resources = entries.Keys.Select(k => k[FhirNpmPackage.Root.Length..]).Where(f => !MetadataFiles.Contains(f)).Order(StringComparer.Ordinal);

        Assert.Equal(resources, indexed);
    }

    [Fact]
    public async Task Unpacked_tarball_resolves_every_indexed_canonical_with_firely()
    {
        var folder = Path.Combine(Path.GetTempPath(), "bonemetrt-package-" + Guid.NewGuid().ToString("N"));
        try
        {
            var tarball = Build();
            Directory.CreateDirectory(folder);
            using (var gzip = new GZipStream(new MemoryStream(tarball), CompressionMode.Decompress))
            {
                await TarFile.ExtractToDirectoryAsync(gzip, folder, overwriteFiles: false);
            }

            var source = new DirectorySource(Path.Combine(folder, "package"), new DirectorySourceSettings { Excludes = [.. MetadataFiles] });
            using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "package", ".index.json")));
            var files = index.RootElement.GetProperty("files").EnumerateArray()
                .Select(f => (Url: f.GetProperty("url").GetString()!, File: f.GetProperty("filename").GetString()!, Type: f.GetProperty("resourceType").GetString()!)).ToList();
            Assert.Equal(package.ResourceFiles.Count, files.Count);
            foreach (var (url, file, type) in files)
            {
                if (type is "PlanDefinition" or "ActivityDefinition")
                {
                    // Firely's DirectorySource resolves by canonical only the conformance types its summaries harvest;
                    // these two canonical resources are checked through the index entry that names their file.
                    var parsed = BoneMetRT.Fhir.FhirSerialization.Parse(File.ReadAllBytes(Path.Combine(folder, "package", file)), BoneMetRT.Fhir.FhirFormat.Json).Value;
                    var canonical = parsed is null ? null : CanonicalResource.Of(parsed)?.Url;
                    Assert.True(canonical == url, $"{url}: {file} in the unpacked package does not hold it");
                    continue;
                }

                var resource = await source.ResolveByCanonicalUriAsync(url);
                Assert.True(resource is IVersionableConformanceResource r && r.Url == url, $"{url} does not resolve in the unpacked package");
            }
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public void Same_folder_gives_the_same_bytes()
    {
        Assert.Equal(Build(), Build());
    }

    [Fact]
    public void Folder_without_package_json_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("bonemetrt-not-a-package-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "CodeSystem-x.json"), "{}");
            Assert.Throws<FileNotFoundException>(() => FhirNpmPackage.Write(folder, new MemoryStream()));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private byte[] Build()
    {
        using var output = new MemoryStream();
        FhirNpmPackage.Write(package.Folder, output);
        return output.ToArray();
    }

    private static Dictionary<string, byte[]> Unpack(byte[] tarball)
    {
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var gzip = new GZipStream(new MemoryStream(tarball), CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry() is { } entry)
        {
            Assert.Equal(TarEntryType.RegularFile, entry.EntryType);
            using var content = new MemoryStream();
            entry.DataStream?.CopyTo(content);
            entries.Add(entry.Name, content.ToArray());
        }

        return entries;
    }
}
