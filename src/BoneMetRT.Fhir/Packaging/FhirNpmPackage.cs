using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;

namespace BoneMetRT.Fhir.Packaging;

/// <summary>
/// The FHIR NPM package tarball of a package folder (fhir-profiles/): a gzipped tar whose entries sit under
/// <c>package/</c> — <c>package.json</c>, <c>.index.json</c> and every resource file — as FHIR package loaders
/// (the IG publisher, Firely Terminal, HAPI's NpmPackage) expect. Built by
/// <c>dotnet run --project tools/BoneMetRT.ProfileGen -- --pack out/</c>.
/// </summary>
public static class FhirNpmPackage
{
    /// <summary>Folder every file of a FHIR NPM package sits in, inside the tarball.</summary>
    public const string Root = "package/";

    /// <summary>
    /// The package's files as they go into the tarball: <c>package.json</c>, <c>.index.json</c>, then every other
    /// <c>*.json</c> of the folder (the README and anything that is not JSON stay out), in ordinal order.
    /// </summary>
    public static IReadOnlyList<string> Files(string folder)
    {
        var metadata = new[] { "package.json", ".index.json" };
        foreach (var name in metadata)
        {
            if (!File.Exists(Path.Combine(folder, name)))
            {
                throw new FileNotFoundException($"{name} is missing from {folder}: it is not a FHIR package folder.", name);
            }
        }

        return [.. metadata, .. Directory.GetFiles(folder, "*.json").Select(f => Path.GetFileName(f)).Where(f => !metadata.Contains(f)).Order(StringComparer.Ordinal)];
    }

    /// <summary>The <c>name</c> and <c>version</c> of the folder's package.json, which name the tarball.</summary>
    public static (string Name, string Version) NameAndVersion(string folder)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "package.json")));
        var root = json.RootElement;
        return (root.GetProperty("name").GetString() ?? throw new InvalidDataException("package.json has no name."),
            root.GetProperty("version").GetString() ?? throw new InvalidDataException("package.json has no version."));
    }

    /// <summary>The file name NPM gives the tarball: <c>name-version.tgz</c>.</summary>
    public static string TarballName(string folder)
    {
        var (name, version) = NameAndVersion(folder);
        return $"{name}-{version}.tgz";
    }

    /// <summary>
    /// Writes the tarball of <paramref name="folder"/> to <paramref name="output"/>. Entries carry a fixed time and
    /// mode, so the same folder gives the same bytes (a rebuilt tarball shows no spurious change).
    /// </summary>
    public static void Write(string folder, Stream output)
    {
        using var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true);
        using var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true);
        foreach (var file in Files(folder))
        {
            var entry = new UstarTarEntry(TarEntryType.RegularFile, Root + file)
            {
                ModificationTime = DateTimeOffset.UnixEpoch,
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                DataStream = new MemoryStream(File.ReadAllBytes(Path.Combine(folder, file))),
            };
            tar.WriteEntry(entry);
        }
    }
}
