using System.Collections.Concurrent;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using BoneMetRT.Domain;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using static BoneMetRT.Fhir.Normalize.Terminology;

namespace BoneMetRT.Fhir.Validation;

/// <summary>
/// Validation against the FHIR R4 base specification and BoneMetRT's profiles (fhir-profiles/, embedded in this
/// assembly). Thread-safe: Firely's <see cref="Validator"/> is not, so validators are pooled; the resolver is cached
/// and shared, as is the terminology service (given the cached resolver, which keeps warm validation fast).
/// </summary>
public sealed class FhirValidation
{
    private static readonly Lazy<FhirValidation> Shared = new(() => new FhirValidation(LoadPackage()));

    private readonly IAsyncResourceResolver _resolver;
    private readonly LocalTerminologyService _terminology;
    private readonly ConcurrentBag<Validator> _pool = [];

    /// <summary>Builds a validation service over the given conformance resources plus the core specification.</summary>
    public FhirValidation(IReadOnlyList<Resource> package)
    {
        Package = package;
        var local = new InMemoryResourceResolver(package);
        _resolver = new CachedResolver(new MultiResolver(local, CoreSpecification()));
        _terminology = new LocalTerminologyService(_resolver);
    }

    /// <summary>
    /// The FHIR R4 core definitions (specification.zip), extracted once per content into a directory of their own.
    /// Firely's <see cref="ZipSource"/> extracts into one temp directory shared by every process of the machine and
    /// deletes and re-extracts it whenever one process finds it stale or still empty, so that concurrent processes (two
    /// services, the CLI, test runs) read half-extracted files and validation fails ("Could not find file
    /// profiles-resources.xml"). Here the directory is named by the zip's hash and appears complete or not at all: each
    /// process extracts into a staging directory and renames it into place, the first one to do so wins.
    /// </summary>
    private static DirectorySource CoreSpecification()
    {
        var zip = Path.Combine(DirectorySource.SpecificationDirectory, ZipSource.SpecificationZipFileName);
        string hash;
        using (var stream = File.OpenRead(zip))
        {
            hash = Convert.ToHexString(SHA256.HashData(stream))[..16];
        }

        var directory = Path.Combine(Path.GetTempPath(), $"bonemetrt-fhir-r4-core-{hash}");
        if (!Directory.Exists(directory))
        {
            var staging = $"{directory}.{Environment.ProcessId}.{Guid.NewGuid():N}";
            ZipFile.ExtractToDirectory(zip, staging);
            try
            {
                Directory.Move(staging, directory);
            }
            catch (IOException) when (Directory.Exists(directory))
            {
                Directory.Delete(staging, recursive: true); // another process was first
            }
        }

        // What ZipSource does once extracted.
        return new DirectorySource(directory, DirectorySourceSettings.CreateDefault());
    }

    /// <summary>The process-wide instance over the embedded package.</summary>
    public static FhirValidation Default => Shared.Value;

    /// <summary>The conformance resources of BoneMetRT's package (fhir-profiles/).</summary>
    public IReadOnlyList<Resource> Package { get; }

    /// <summary>Validates a resource against the base spec, its declared profiles and <paramref name="profile"/>.</summary>
    public OperationOutcome Validate(Resource resource, string? profile = null)
    {
        if (!_pool.TryTake(out var validator))
        {
            validator = new Validator(_resolver, _terminology);
        }

        try
        {
            return validator.Validate(resource, profile);
        }
        finally
        {
            _pool.Add(validator);
        }
    }

    /// <summary>
    /// Validates the input Bundle: the Bundle against the base spec, and every explicit bonemet Observation against
    /// its input profile. Returns the errors only, with expressions rooted at <paramref name="prefix"/>.
    /// </summary>
    public IReadOnlyList<Issue> ValidateInput(Bundle bundle, string prefix)
    {
        var issues = new List<Issue>();
        issues.AddRange(Errors(Validate(bundle), "Bundle", prefix));
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            if (bundle.Entry[i].Resource is Observation o && InputProfile(o) is { } profile)
            {
                issues.AddRange(Errors(Validate(o, profile), "Observation", $"{prefix}.entry[{i}].resource"));
            }
        }

        return issues.DistinctBy(i => (i.Text.En, string.Join('|', i.Expressions))).ToList();
    }

    /// <summary>The input profile of an explicit bonemet Observation, by its code.</summary>
    public static string? InputProfile(Observation o)
    {
        var code = o.Code?.Coding.FirstOrDefault(c => c.System == BoneMet)?.Code;
        return code switch
        {
            null => null,
            "visceral-metastases" or "analgesic-refractory-pain" or "neuropathic-pain" or "epidural-extension" or "lesion-well-defined" or "skin-healed"
                => Canonical.Profile("bonemet-boolean-finding"),
            "mirels-site" or "mirels-size" or "lesion-type" or "mirels-pain" or "cortical-lysis-axial" or "cortical-lysis-circumferential"
                or "primary-tumour-type" or "ambulatory-status" or "motor-deficit-duration" => Canonical.Profile("bonemet-" + code),
            _ => null,
        };
    }

    private static IEnumerable<Issue> Errors(OperationOutcome outcome, string root, string prefix) =>
        outcome.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i =>
            {
                var text = i.Details?.Text ?? i.Diagnostics ?? "invalid";
                var where = i.Expression.Concat(i.Location).OfType<string>().Select(e => Rebase(e, root, prefix)).Distinct().ToArray();
                return new Issue(OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueType.Invalid,
                    new LocalizedText($"Violates the FHIR R4 specification or a BoneMetRT profile: {text}",
                        $"Enfreint la spécification FHIR R4 ou un profil BoneMetRT : {text}"), null, where);
            });

    private static string Rebase(string expression, string root, string prefix) =>
        expression.StartsWith(root, StringComparison.Ordinal) ? prefix + expression[root.Length..] : expression;

    /// <summary>Reads the conformance resources embedded from fhir-profiles/.</summary>
    public static IReadOnlyList<Resource> LoadPackage()
    {
        var assembly = typeof(FhirValidation).Assembly;
        var list = new List<Resource>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("fhir-profiles/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var fileName = name["fhir-profiles/".Length..];
            if (fileName.Contains('/', StringComparison.Ordinal) || fileName.StartsWith('.') || fileName == "package.json")
            {
                continue; // only the package's top-level resources; package.json and .index.json are not resources
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var ms = new MemoryStream();
            stream.CopyTo(ms);
            var (resource, issues) = FhirSerialization.Parse(ms.ToArray(), FhirFormat.Json);
            if (resource is null)
            {
                throw new InvalidOperationException($"fhir-profiles/{fileName} is not a valid FHIR resource: {string.Join("; ", issues.Select(i => i.Text.En))}");
            }

            list.Add(resource);
        }

        return list;
    }
}
