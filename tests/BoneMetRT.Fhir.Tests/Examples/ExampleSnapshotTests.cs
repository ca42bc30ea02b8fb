using BoneMetRT.Domain;
using BoneMetRT.Fhir.Pipeline;
using BoneMetRT.Fhir.Tests.Builders;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.Model;
using Newtonsoft.Json.Linq;
using Snapshooter;
using Snapshooter.Xunit;

namespace BoneMetRT.Fhir.Tests.Examples;

/// <summary>
/// Every example of <c>examples/</c> through Normalize → engine → Denormalize: valid ones answer 200 with a Bundle that
/// validates against BoneMetRT's profiles and matches its reviewed golden file (<c>examples/valid/__snapshots__</c>);
/// invalid ones answer the contract's 4xx with an OperationOutcome that matches its golden file.
/// Golden files are Snapshooter snapshots; CI runs with SNAPSHOOTER_STRICT_MODE=true so a missing one fails.
/// </summary>
public sealed class ExampleSnapshotTests
{
    private static readonly AssessPipeline Pipeline = new(FhirValidation.Default, EngineSettings.Default, new FixedClock(ExampleCatalog.DefaultDate));

    [Fact]
    public void Examples_folders_are_not_empty()
    {
        Assert.True(ExampleCatalog.Valid.Count >= 10, $"examples/valid holds {ExampleCatalog.Valid.Count} files; the suite needs the examples.");
        Assert.True(ExampleCatalog.Invalid.Count >= 5, $"examples/invalid holds {ExampleCatalog.Invalid.Count} files; the suite needs the examples.");
    }

    [Fact]
    public void Every_invalid_example_has_an_expected_status()
    {
        Assert.Equal(ExampleCatalog.Invalid.Order(StringComparer.Ordinal), ExampleCatalog.ExpectedStatus.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ExampleCatalog.ValidData), MemberType = typeof(ExampleCatalog))]
    public void Valid_example_gives_a_validated_bundle_matching_its_golden_file(string file)
    {
        var (kind, body) = Run(Path.Combine(ExampleCatalog.ValidFolder, file));

        Assert.True(kind == OutcomeKind.Success, $"{file}: {kind}\n{FhirSerialization.ToText(body, FhirFormat.Json)}");
        var bundle = Assert.IsType<Bundle>(body);
        AssertValidOutput(bundle, file);
        Match(bundle, ExampleCatalog.ValidFolder, file);
    }

    [Theory]
    [MemberData(nameof(ExampleCatalog.ValidData), MemberType = typeof(ExampleCatalog))]
    public void Every_reference_of_a_valid_example_response_resolves_inside_it(string file)
    {
        var (kind, body) = Run(Path.Combine(ExampleCatalog.ValidFolder, file));

        Assert.Equal(OutcomeKind.Success, kind);
        var bundle = Assert.IsType<Bundle>(body);
        Assert.NotEmpty(bundle.Inputs());
        var unresolved = ResponseReferences.Unresolved(bundle);
        Assert.True(unresolved.Count == 0, $"{file}: references that do not resolve inside the response:\n{string.Join("\n", unresolved)}");
    }

    [Theory]
    [MemberData(nameof(ExampleCatalog.InvalidData), MemberType = typeof(ExampleCatalog))]
    public void Invalid_example_gives_its_status_and_an_operation_outcome(string file)
    {
        var (kind, body) = Run(Path.Combine(ExampleCatalog.InvalidFolder, file));

        Assert.Equal(KindOf(ExampleCatalog.ExpectedStatus[file]), kind);
        var outcome = Assert.IsType<OperationOutcome>(body);
        Assert.Contains(outcome.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error);
        Assert.All(outcome.Issue, i => Assert.False(string.IsNullOrWhiteSpace(i.Details?.Text)));
        Match(outcome, ExampleCatalog.InvalidFolder, file);
    }

    [Theory]
    [MemberData(nameof(ExampleCatalog.ValidData), MemberType = typeof(ExampleCatalog))]
    public void Same_input_and_date_give_the_same_bundle(string file)
    {
        var first = FhirSerialization.ToText(Run(Path.Combine(ExampleCatalog.ValidFolder, file)).Body, FhirFormat.Json);
        var second = FhirSerialization.ToText(Run(Path.Combine(ExampleCatalog.ValidFolder, file)).Body, FhirFormat.Json);
        Assert.Equal(first, second);
    }

    /// <summary>Parses and assesses a file as the service does; a parse failure answers as the service does, in English.</summary>
    internal static (OutcomeKind Kind, Resource Body) Run(string path)
    {
        var parsed = FhirSerialization.Parse(File.ReadAllBytes(path), FhirFormat.Json);
        if (!parsed.IsSuccess)
        {
            return (parsed.Kind, OperationOutcomes.From(parsed.Issues, Language.En));
        }

        var result = Pipeline.Assess(parsed.Value);
        return (result.Kind, result.Value!);
    }

    /// <summary>
    /// The outcome the library reports for an HTTP status of the contract (fhir-contract.md §3), so that the manifest's
    /// statuses check the library; the service's side of the mapping is checked by the Api tests on the same examples.
    /// </summary>
    private static OutcomeKind KindOf(int status) => status switch
    {
        400 => OutcomeKind.Malformed,
        404 => OutcomeKind.NotFound,
        422 => OutcomeKind.Unprocessable,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "No invalid example should expect this status."),
    };

    /// <summary>Every output resource validates against FHIR R4 and its declared BoneMetRT profile.</summary>
    internal static void AssertValidOutput(Bundle bundle, string file)
    {
        var outcome = FhirValidation.Default.Validate(bundle);
        var errors = outcome.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => $"{string.Join(",", i.Expression.Concat(i.Location))}: {i.Details?.Text ?? i.Diagnostics}").ToList();
        Assert.True(errors.Count == 0, $"{file}: the output does not validate:\n{string.Join("\n", errors)}");
    }

    private static void Match(Resource resource, string folder, string file)
    {
        // Dates stay the strings FHIR wrote: by default Json.NET reads them as DateTime and writes them back in UTC, which
        // would rewrite the caller's "10:00:00+01:00" in the copies of the inputs (the API tests compare the answer as sent).
        using var reader = new Newtonsoft.Json.JsonTextReader(new StringReader(FhirSerialization.ToText(resource, FhirFormat.Json)))
        {
            DateParseHandling = Newtonsoft.Json.DateParseHandling.None,
        };
        var json = JToken.ReadFrom(reader);
        // Snapshooter keeps golden files in a __snapshots__ folder under the given one: next to the inputs.
        var name = new SnapshotFullName(Path.GetFileNameWithoutExtension(file) + ".snap", folder);
        Snapshot.Match(json, name);

        // Snapshooter writes a new golden file with a UTF-8 byte-order mark, which standard JSON parsers refuse: drop it.
        var path = Path.Combine(folder, "__snapshots__", name.Filename);
        var bytes = File.ReadAllBytes(path);
        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            File.WriteAllBytes(path, bytes[3..]);
        }
    }
}
