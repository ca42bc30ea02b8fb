using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace BoneMetRT.Fhir.Tests.Profiles;

/// <summary>
/// The FHIR package in <c>fhir-profiles/</c>, loaded once for the profile tests, with a Firely validator that resolves
/// the core definitions from specification.zip and the package's own definitions from the folder.
/// </summary>
public sealed partial class ConformancePackage
{
    /// <summary>Canonical base of everything the project defines.</summary>
    public const string Canonical = "https://bonemetrt.org/fhir";

    /// <summary>The bonemet CodeSystem.</summary>
    public const string CodeSystemUrl = Canonical + "/CodeSystem/bonemet";

    /// <summary>Files of the folder that are package metadata, not FHIR resources.</summary>
    public static readonly IReadOnlyList<string> MetadataFiles = ["package.json", ".index.json"];

    private readonly FhirJsonDeserializer _deserializer = new();

    /// <summary>Loads the folder and builds the resolver and the validator.</summary>
    public ConformancePackage()
    {
        Folder = FindFolder();
        ResourceFiles = ListResourceFiles(Folder);
        var directorySource = new DirectorySource(Folder, new DirectorySourceSettings
        {
            IncludeSubDirectories = false,
            Excludes = [.. MetadataFiles],
        });
        Resolver = new CachedResolver(new MultiResolver(directorySource, ZipSource.CreateValidationSource()));
        // As the service and HL7's reference validator do, a profile an instance declares (meta.profile) that neither
        // the core nor the package holds (US Core, mCODE in an example) is not checked, rather than an error.
        var settings = new ValidationSettings
        {
            SelectValidationProfiles = (_, profiles, _, _) =>
                [.. profiles.Where(p => p.Uri is null || Resolver.FindStructureDefinitionAsync((string)new Firely.Fhir.Validation.Canonical(p.Uri, p.Version, null)).GetAwaiter().GetResult() is not null)],
        };
        Validator = new Validator(Resolver, new LocalTerminologyService(Resolver), settings: settings);
    }

    /// <summary>Absolute path of <c>fhir-profiles/</c>.</summary>
    public string Folder { get; }

    /// <summary>File names of the FHIR resources of the package (metadata files left out), sorted.</summary>
    public IReadOnlyList<string> ResourceFiles { get; }

    /// <summary>Resolver over specification.zip and the package, cached.</summary>
    public CachedResolver Resolver { get; }

    /// <summary>Firely validator with a local terminology service over <see cref="Resolver"/>.</summary>
    public Validator Validator { get; }

    /// <summary>Parses one resource file of the package.</summary>
    public Resource Load(string fileName) => Parse(File.ReadAllText(Path.Combine(Folder, fileName)));

    /// <summary>Parses a FHIR JSON resource.</summary>
    public Resource Parse(string json) => _deserializer.DeserializeResource(json);

    /// <summary>Every resource of the package, parsed.</summary>
    public IEnumerable<Resource> LoadAll() => ResourceFiles.Select(Load);

    /// <summary>Validates a resource (against its core definition, or against <paramref name="profile"/>) and returns its error and fatal issues.</summary>
    public IReadOnlyList<string> Errors(Resource resource, string? profile = null)
    {
        var outcome = profile is null ? Validator.Validate(resource) : Validator.Validate(resource, profile);
        return outcome.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Where(i => !IsInheritedFhirTypeContextIssue(i))
            .Select(i => $"{i.Severity}: {i.Details?.Text ?? i.Diagnostics} @ {string.Join(", ", i.Expression ?? [])}")
            .ToList();
    }

    /// <summary>
    /// The R4 core definitions put the structuredefinition-fhir-type extension on <c>ElementDefinition.type</c>
    /// (of <c>id</c> and <c>url</c> elements) while declaring its context as <c>ElementDefinition.type.code</c>; every
    /// snapshot copies it from the core. Only that issue, at that place, is tolerated.
    /// </summary>
    private static bool IsInheritedFhirTypeContextIssue(OperationOutcome.IssueComponent issue) =>
        (issue.Details?.Text ?? "").Contains("Expected context to be one of: {ELEMENT,ElementDefinition.type.code}", StringComparison.Ordinal)
        && issue.Expression.Any()
        && issue.Expression.All(e => e is not null && FhirTypeExtensionLocation().IsMatch(e));

    [System.Text.RegularExpressions.GeneratedRegex(@"^StructureDefinition\.snapshot\[0\]\.element\[\d+\]\.type\[\d+\]\.extension\[\d+\]$")]
    private static partial System.Text.RegularExpressions.Regex FhirTypeExtensionLocation();

    /// <summary>File names of the package's resources, for xunit theories. Empty when the folder is empty.</summary>
    public static TheoryData<string> ResourceFileData()
    {
        var data = new TheoryData<string>();
        foreach (var file in ListResourceFiles(FindFolder()))
        {
            data.Add(file);
        }

        return data;
    }

    /// <summary>Finds <c>fhir-profiles/</c> beside BoneMetRT.sln, walking up from the test's base directory.</summary>
    public static string FindFolder() => Path.Combine(RepoPaths.Root, "fhir-profiles");

    private static List<string> ListResourceFiles(string folder) =>
        Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.json")
                .Select(f => Path.GetFileName(f))
                .Where(f => !MetadataFiles.Contains(f))
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToList()
            : [];
}

/// <summary>Shares one <see cref="ConformancePackage"/> between the profile test classes.</summary>
[CollectionDefinition(Name)]
public sealed class ConformancePackageCollection : ICollectionFixture<ConformancePackage>
{
    /// <summary>Name of the test collection.</summary>
    public const string Name = "fhir-profiles";
}
