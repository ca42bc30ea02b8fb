using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Snapshot;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Utility;

namespace BoneMetRT.Fhir.Tests.Profiles;

/// <summary>
/// Proves the FHIR package in <c>fhir-profiles/</c>: every file parses and validates, the code system holds every code
/// of the contract, package.json and .index.json describe the folder, and the checked-in snapshots are current.
/// </summary>
[Collection(ConformancePackageCollection.Name)]
public sealed class ConformancePackageTests(ConformancePackage package)
{
    /// <summary>The resources the contract and the code reference by their fixed canonical URLs.</summary>
    public static readonly string[] ExpectedCanonicals =
    [
        "CodeSystem/bonemet",
        "ValueSet/mirels-site", "ValueSet/mirels-size", "ValueSet/lesion-type", "ValueSet/mirels-pain",
        "ValueSet/primary-tumour-type", "ValueSet/ambulatory-status", "ValueSet/input-observation-codes",
        "ValueSet/boolean-finding-codes", "ValueSet/score-codes", "ValueSet/score-items", "ValueSet/score-interpretations",
        "ValueSet/risk-outcomes", "ValueSet/situations", "ValueSet/recommendations", "ValueSet/regimens",
        "ValueSet/regimen-preference", "ValueSet/assessment-issues", "ValueSet/assess-languages", "ValueSet/bonemet-all",
        "StructureDefinition/bonemet-mirels-site", "StructureDefinition/bonemet-mirels-size",
        "StructureDefinition/bonemet-lesion-type", "StructureDefinition/bonemet-mirels-pain",
        "StructureDefinition/bonemet-cortical-lysis-axial", "StructureDefinition/bonemet-cortical-lysis-circumferential",
        "StructureDefinition/bonemet-primary-tumour-type", "StructureDefinition/bonemet-ambulatory-status",
        "StructureDefinition/bonemet-motor-deficit-duration", "StructureDefinition/bonemet-boolean-finding",
        "StructureDefinition/bonemet-bone-metastasis", "StructureDefinition/bonemet-score",
        "StructureDefinition/bonemet-mirels-risk", "StructureDefinition/bonemet-rades-risk",
        "StructureDefinition/bonemet-careplan", "StructureDefinition/bonemet-radiotherapy-request", "StructureDefinition/bonemet-request-group",
        "StructureDefinition/regimen-dose", "StructureDefinition/regimen-preference", "StructureDefinition/activity-recommendation",
        "StructureDefinition/treatment-intent", "ValueSet/treatment-intents",
        "StructureDefinition/bonemet-assess-parameters", "StructureDefinition/bonemet-assess-instance-parameters",
        "StructureDefinition/bonemet-assess-data", "StructureDefinition/bonemet-assess-output", "StructureDefinition/bonemet-assess-response",
        "OperationDefinition/assess", "OperationDefinition/assess-instance", "OperationDefinition/apply",
        "PlanDefinition/bone-metastasis-radiotherapy",
        "ActivityDefinition/rt-8gy-1fx", "ActivityDefinition/rt-20gy-5fx", "ActivityDefinition/rt-24gy-6fx",
        "ActivityDefinition/rt-30gy-10fx", "ActivityDefinition/sbrt-18gy-1fx", "ActivityDefinition/sbrt-24gy-2fx",
        "ActivityDefinition/tumour-board-review", "ActivityDefinition/specialised-tumour-board-review",
        "ActivityDefinition/prophylactic-fixation", "ActivityDefinition/consolidation-surgery-discussion",
        "ActivityDefinition/neurosurgical-opinion", "ActivityDefinition/orthopaedic-surgery-opinion",
        "ActivityDefinition/corticosteroid-cover", "ActivityDefinition/reirradiation-review",
        "CapabilityStatement/bonemetrt",
        "ImplementationGuide/bonemetrt",
    ];

    /// <summary>Contract section 1: the codes that must exist and never be renamed.</summary>
    public static readonly string[] ContractCodes =
    [
        // input observation codes
        "mirels-site", "mirels-size", "lesion-type", "mirels-pain", "cortical-lysis-axial", "cortical-lysis-circumferential",
        "primary-tumour-type", "visceral-metastases", "ambulatory-status", "motor-deficit-duration",
        "analgesic-refractory-pain", "neuropathic-pain", "epidural-extension", "lesion-well-defined", "skin-healed",
        // answers
        "upper-limb", "lower-limb", "peritrochanteric", "lt-one-third", "one-to-two-thirds", "gt-two-thirds",
        "blastic", "mixed", "lytic", "mild", "moderate", "functional",
        "breast", "prostate", "myeloma-lymphoma", "nsclc", "sclc", "unknown-primary", "kidney", "colorectal", "other",
        "ambulatory-without-aid", "ambulatory-with-aid", "non-ambulatory", "paraplegic",
        // output scores, interpretations, outcome
        "mirels-score", "rades-score", "mirels-radiotherapy", "mirels-tumour-board", "mirels-fixation",
        "rades-group-1", "rades-group-2", "rades-group-3", "ambulatory-after-radiotherapy",
        // methods
        "mirels", "rades",
        // situations
        "pain", "fracture-prevention", "mscc", "postoperative", "oligometastatic",
        // recommendations
        "radiotherapy", "tumour-board-review", "specialised-tumour-board-review", "prophylactic-fixation",
        "consolidation-surgery-discussion", "neurosurgical-opinion", "corticosteroid-cover",
        // regimens
        "rt-8gy-1fx", "rt-20gy-5fx", "rt-24gy-6fx", "rt-30gy-10fx", "sbrt-18gy-1fx", "sbrt-24gy-2fx",
    ];

    /// <summary>Codes the engine needs beyond the contract table.</summary>
    public static readonly string[] EngineCodes =
    [
        "postoperative-radiotherapy-hold", "pathological-fracture", "lysis-rule-positive", "lysis-rule-negative",
        "preferred", "alternative", "missing-item", "conflicting-item", "nsclc-caveat", "guideline-discrepancy",
        "ignored-resource", "score-not-applicable", "target-volume", "cord-eqd2", "interval-to-mscc", "input", "not-ambulatory-after-radiotherapy", "ablative",
    ];

    /// <summary>File names for the per-file theories.</summary>
    public static TheoryData<string> ResourceFiles => ConformancePackage.ResourceFileData();

    [Fact]
    public void PackageFolderHoldsEveryExpectedResource()
    {
        Assert.True(Directory.Exists(package.Folder), $"{package.Folder} is missing");
        Assert.NotEmpty(package.ResourceFiles);

        var urls = package.LoadAll().Select(r => MetadataOf(r)?.Url).ToHashSet();
        var missing = ExpectedCanonicals.Select(c => $"{ConformancePackage.Canonical}/{c}").Where(u => !urls.Contains(u)).ToList();
        Assert.True(missing.Count == 0, "missing: " + string.Join(", ", missing));
    }

    [Theory]
    [MemberData(nameof(ResourceFiles))]
    public void FileParsesAndIsNamedAfterTypeAndId(string file)
    {
        var resource = package.Load(file);

        Assert.Equal($"{resource.TypeName}-{resource.Id}.json", file);
    }

    [Theory]
    [MemberData(nameof(ResourceFiles))]
    public void FileValidatesWithoutErrors(string file)
    {
        var errors = package.Errors(package.Load(file));

        Assert.True(errors.Count == 0, $"{file}:\n" + string.Join("\n", errors));
    }

    [Theory]
    [MemberData(nameof(ResourceFiles))]
    public void ResourceCarriesTheCommonMetadata(string file)
    {
        var resource = package.Load(file);
        var conformance = MetadataOf(resource);
        Assert.NotNull(conformance);

        Assert.Equal($"{ConformancePackage.Canonical}/{resource.TypeName}/{resource.Id}", conformance.Url);
        Assert.Equal("0.2.0", conformance.Version);
        Assert.Contains(conformance.Status, new PublicationStatus?[] { PublicationStatus.Active, PublicationStatus.Draft });
        Assert.False(string.IsNullOrWhiteSpace(conformance.Name));
        Assert.False(string.IsNullOrWhiteSpace(TitleOf(resource)));
        Assert.False(string.IsNullOrWhiteSpace(conformance.Description));
        Assert.Equal("BoneMetRT", conformance.Publisher);

        var text = Assert.IsAssignableFrom<DomainResource>(resource).Text;
        Assert.NotNull(text);
        Assert.Equal(Narrative.NarrativeStatus.Generated, text.Status);
        Assert.StartsWith("<div xmlns=\"http://www.w3.org/1999/xhtml\">", text.Div, StringComparison.Ordinal);
    }

    [Fact]
    public void CodeSystemHoldsEveryContractCodeWithEnglishAndFrench()
    {
        var codeSystem = LoadCodeSystem();
        Assert.Equal(CodeSystemContentMode.Complete, codeSystem.Content);

        var concepts = Flatten(codeSystem.Concept).ToList();
        var byCode = concepts.ToDictionary(c => c.Code!);
        Assert.Equal(concepts.Count, byCode.Count);
        Assert.Equal(concepts.Count, codeSystem.Count);

        var missing = ContractCodes.Concat(EngineCodes).Where(c => !byCode.ContainsKey(c)).ToList();
        Assert.True(missing.Count == 0, "missing codes: " + string.Join(", ", missing));

        foreach (var concept in concepts)
        {
            Assert.False(string.IsNullOrWhiteSpace(concept.Display), $"{concept.Code} has no display");
            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", concept.Code);
            Assert.Contains(concept.Designation, d => d.Language == "fr" && !string.IsNullOrWhiteSpace(d.Value));
        }
    }

    [Fact]
    public void ValueSetsOnlyUseCodesOfTheCodeSystem()
    {
        var codes = Flatten(LoadCodeSystem().Concept).Select(c => c.Code).ToHashSet();
        var valueSets = package.LoadAll().OfType<ValueSet>().ToList();
        Assert.NotEmpty(valueSets);

        foreach (var valueSet in valueSets)
        {
            Assert.NotNull(valueSet.Compose);
            foreach (var include in valueSet.Compose.Include.Where(i => i.System == ConformancePackage.CodeSystemUrl))
            {
                foreach (var concept in include.Concept)
                {
                    Assert.True(codes.Contains(concept.Code), $"{valueSet.Id}: {concept.Code} is not in the code system");
                }
            }
        }

        var inputs = package.LoadAll().OfType<ValueSet>().Single(v => v.Id == "input-observation-codes");
        Assert.NotNull(inputs.Compose);
        Assert.Equal(15, inputs.Compose.Include.Single().Concept.Count);
    }

    [Fact]
    public void PackageJsonDescribesThePackage()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(package.Folder, "package.json")));
        var root = json.RootElement;

        Assert.Equal("bonemetrt.fhir", root.GetProperty("name").GetString());
        Assert.Equal("0.2.0", root.GetProperty("version").GetString());
        Assert.Equal(ConformancePackage.Canonical, root.GetProperty("canonical").GetString());
        Assert.Equal(["4.0.1"], root.GetProperty("fhirVersions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("4.0.1", root.GetProperty("dependencies").GetProperty("hl7.fhir.r4.core").GetString());

        // Every resource carries the package version, so the package.json version speaks for every file.
        foreach (var resource in package.LoadAll().Select(MetadataOf).OfType<Metadata>())
        {
            Assert.Equal(root.GetProperty("version").GetString(), resource.Version);
        }
    }

    [Fact]
    public void IndexListsEveryFileAndNothingElse()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(package.Folder, ".index.json")));
        Assert.Equal(1, json.RootElement.GetProperty("index-version").GetInt32());
        var entries = json.RootElement.GetProperty("files").EnumerateArray().ToList();

        Assert.Equal(package.ResourceFiles, entries.Select(e => e.GetProperty("filename").GetString()).Order(StringComparer.Ordinal));

        foreach (var entry in entries)
        {
            var file = entry.GetProperty("filename").GetString()!;
            var resource = package.Load(file);
            var conformance = MetadataOf(resource)!;
            Assert.Equal(resource.TypeName, entry.GetProperty("resourceType").GetString());
            Assert.Equal(resource.Id, entry.GetProperty("id").GetString());
            Assert.Equal(conformance.Url, entry.GetProperty("url").GetString());
            Assert.Equal(conformance.Version, entry.GetProperty("version").GetString());
            if (resource is StructureDefinition sd)
            {
                Assert.Equal(sd.Kind.GetLiteral(), entry.GetProperty("kind").GetString());
                Assert.Equal(sd.Type, entry.GetProperty("type").GetString());
            }
        }
    }

    [Fact]
    public async Task CheckedInSnapshotsMatchTheDifferentials()
    {
        // A resolver of its own, set up as tools/BoneMetRT.ProfileGen does: the validator's resolver may hold core
        // definitions that Firely.Fhir.Validation has corrected in place, which would give another snapshot.
        var serializer = new FhirJsonSerializer();
        var resolver = new MultiResolver(
            new InMemoryResourceResolver(package.LoadAll()),
            new CachedResolver(ZipSource.CreateValidationSource()));
        var generator = new SnapshotGenerator(resolver, new SnapshotGeneratorSettings
        {
            GenerateSnapshotForExternalProfiles = true,
            ForceRegenerateSnapshots = true,
            GenerateElementIds = true,
        });
        var definitions = package.LoadAll().OfType<StructureDefinition>().ToList();
        Assert.NotEmpty(definitions);

        foreach (var sd in definitions)
        {
            Assert.NotNull(sd.Differential);
            Assert.NotNull(sd.Snapshot);
            var checkedIn = serializer.SerializeToString(sd.Snapshot, false);

            var regenerated = (StructureDefinition)sd.DeepCopy();
            regenerated.Snapshot = null;
            await generator.UpdateAsync(regenerated);

            Assert.NotNull(regenerated.Snapshot);
            Assert.True(
                checkedIn == serializer.SerializeToString(regenerated.Snapshot, false),
                $"{sd.Id}: the snapshot is stale; run dotnet run --project tools/BoneMetRT.ProfileGen");
        }
    }

    /// <summary>The metadata every canonical resource of the package carries.</summary>
    private sealed record Metadata(string? Url, string? Version, PublicationStatus? Status, string? Name, string? Description, string? Publisher);

    /// <summary>
    /// The canonical metadata of a resource: the SDK's <see cref="IVersionableConformanceResource"/> leaves out
    /// PlanDefinition and ActivityDefinition, which are canonical resources too.
    /// </summary>
    private static Metadata? MetadataOf(Resource resource) => resource switch
    {
        IVersionableConformanceResource c => new(c.Url, c.Version, c.Status, c.Name, c.Description, c.Publisher),
        PlanDefinition p => new(p.Url, p.Version, p.Status, p.Name, p.Description ?? "", p.Publisher),
        ActivityDefinition a => new(a.Url, a.Version, a.Status, a.Name, a.Description ?? "", a.Publisher),
        _ => null,
    };

    private static string? TitleOf(Resource resource) => resource switch
    {
        PlanDefinition r => r.Title,
        ActivityDefinition r => r.Title,
        StructureDefinition r => r.Title,
        CodeSystem r => r.Title,
        ValueSet r => r.Title,
        OperationDefinition r => r.Title,
        CapabilityStatement r => r.Title,
        ImplementationGuide r => r.Title,
        _ => null,
    };

    private CodeSystem LoadCodeSystem() => (CodeSystem)package.Load("CodeSystem-bonemet.json");

    private static IEnumerable<CodeSystem.ConceptDefinitionComponent> Flatten(IEnumerable<CodeSystem.ConceptDefinitionComponent> concepts) =>
        concepts.SelectMany(c => new[] { c }.Concat(Flatten(c.Concept)));
}
