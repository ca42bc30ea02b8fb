using BoneMetRT.Cli.Tests.TestSupport;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;

namespace BoneMetRT.Cli.Tests;

/// <summary>
/// <c>bonemetrt assess|validate</c> in-process: the same answers as the service (the golden files), exit codes 0 ok,
/// 1 invalid input (an OperationOutcome on stdout), 2 usage error (usage on stderr, nothing on stdout).
/// </summary>
public sealed class CliAppTests
{
    private static void AssertUsageError(CliRun run, string? mention = null)
    {
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Stdout);
        Assert.Contains("Usage:", run.Stderr, StringComparison.Ordinal);
        if (mention is not null)
        {
            Assert.Contains(mention, run.Stderr, StringComparison.Ordinal);
        }
    }

    /// <summary>The engine's outputs: not the input copies (tagged bonemet#input), which keep the caller's language.</summary>
    private static IEnumerable<Resource> Resources(Bundle bundle) => bundle.Entry.Select(e => e.Resource).OfType<Resource>()
        .Where(r => r.Meta?.Tag.Any(t => t.System == BoneMetRT.Fhir.CodeSystems.BoneMet && t.Code == "input") != true);

    [Theory]
    [MemberData(nameof(ExampleCatalog.ValidData), MemberType = typeof(ExampleCatalog))]
    public void Assess_valid_example_exits_0_with_its_golden_bundle(string file)
    {
        var run = Command.Run("assess", Command.Valid(file));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr);
        Golden.AssertMatches(ExampleCatalog.ValidFolder, file, Assert.IsType<Bundle>(run.Output()));
    }

    [Theory]
    [MemberData(nameof(ExampleCatalog.InvalidData), MemberType = typeof(ExampleCatalog))]
    public void Assess_invalid_example_exits_1_with_its_golden_outcome(string file)
    {
        var run = Command.Run("assess", Command.Invalid(file));

        Assert.True(run.ExitCode == 1, run.ToString());
        var outcome = Assert.IsType<OperationOutcome>(run.Output());
        Assert.Contains(outcome.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error);
        Golden.AssertMatches(ExampleCatalog.InvalidFolder, file, outcome);
    }

    [Fact]
    public void Assess_in_french_gives_french_narratives()
    {
        var run = Command.Run("assess", Command.Valid("fracture-femur-mirels-8.json"), "--lang", "fr");

        Assert.True(run.ExitCode == 0, run.ToString());
        var bundle = Assert.IsType<Bundle>(run.Output());
        Assert.All(Resources(bundle), r =>
        {
            Assert.Equal("fr", r.Language);
            var text = Assert.IsAssignableFrom<DomainResource>(r).Text;
            Assert.NotNull(text);
            Assert.Contains("lang=\"fr\"", text.Div, StringComparison.Ordinal);
        });
        var careplan = Resources(bundle).OfType<CarePlan>().Single();
        Assert.Contains("Radiothérapie", careplan.Text!.Div, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_in_english_overrides_the_language_parameter()
    {
        var run = Command.Run("assess", Command.Valid("french-language.json"), "--lang", "en");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.All(Resources(Assert.IsType<Bundle>(run.Output())), r => Assert.Equal("en", r.Language));
    }

    [Theory]
    [InlineData("fracture-femur-mirels-8.json")]
    [InlineData("oligometastatic-prostate-two-sites.json")]
    public void Assess_with_format_xml_prints_xml(string file)
    {
        var run = Command.Run("assess", Command.Valid(file), "--format", "xml");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("<", run.Stdout.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Golden.AssertMatches(ExampleCatalog.ValidFolder, file, Assert.IsType<Bundle>(run.Output(FhirFormat.Xml)), FhirFormat.Xml);
    }

    [Fact]
    public void Assess_invalid_example_with_format_xml_prints_an_xml_outcome()
    {
        var run = Command.Run("assess", Command.Invalid("reference-to-nothing.json"), "--format", "xml");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.IsType<OperationOutcome>(run.Output(FhirFormat.Xml));
    }

    [Fact]
    public void Assess_reads_json_from_stdin()
    {
        const string file = "mscc-group-1.json";

        var run = Command.RunWithStdin(File.ReadAllText(Command.Valid(file)), "assess", "-");

        Assert.True(run.ExitCode == 0, run.ToString());
        Golden.AssertMatches(ExampleCatalog.ValidFolder, file, Assert.IsType<Bundle>(run.Output()));
    }

    [Fact]
    public void Assess_reads_xml_from_stdin_and_answers_in_xml()
    {
        const string file = "mscc-group-1.json";
        var xml = FhirSerialization.ToText(FhirSerialization.Parse(File.ReadAllBytes(Command.Valid(file)), FhirFormat.Json).Value!, FhirFormat.Xml);

        var run = Command.RunWithStdin(xml, "assess", "-");

        Assert.True(run.ExitCode == 0, run.ToString());
        Golden.AssertMatches(ExampleCatalog.ValidFolder, file, Assert.IsType<Bundle>(run.Output(FhirFormat.Xml)), FhirFormat.Xml);
    }

    [Fact]
    public void Assess_reads_a_file_saved_with_a_byte_order_mark()
    {
        const string file = "searchset-bundle.json";
        var path = Path.Combine(Path.GetTempPath(), $"bonemetrt-bom-{Guid.NewGuid():N}.json");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. File.ReadAllBytes(Command.Valid(file))]);
        try
        {
            var run = Command.Run("assess", path);

            Assert.True(run.ExitCode == 0, run.ToString());
            Golden.AssertMatches(ExampleCatalog.ValidFolder, file, Assert.IsType<Bundle>(run.Output()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Assess_with_a_date_overrides_the_assessment_date()
    {
        var run = Command.Run("assess", Command.Valid("postoperative-femur-day-18-healed.json"), "--date", "2026-03-30");

        Assert.True(run.ExitCode == 0, run.ToString());
        var bundle = Assert.IsType<Bundle>(run.Output());
        // The assessment date is the Provenance's occurred time (Bundle.timestamp is when the answer was made).
        var provenance = bundle.Entry.Select(e => e.Resource).OfType<Provenance>().Single();
        Assert.Equal("2026-03-30", Assert.IsType<FhirDateTime>(provenance.Occurred).Value);
    }

    [Fact]
    public void Assess_without_validation_gives_the_same_bundle_for_a_valid_example()
    {
        const string file = "icd10-coded.json";

        var run = Command.Run("assess", Command.Valid(file), "--no-validate");

        Assert.True(run.ExitCode == 0, run.ToString());
        Golden.AssertMatches(ExampleCatalog.ValidFolder, file, Assert.IsType<Bundle>(run.Output()));
    }

    [Fact]
    public void Assess_on_stdin_that_is_not_fhir_exits_1_with_an_outcome()
    {
        var run = Command.RunWithStdin("this is not FHIR", "assess", "-");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.IsType<OperationOutcome>(run.Output());
    }

    [Theory]
    [InlineData("fracture-femur-mirels-8.json")]
    [InlineData("status-filtering.json")]
    public void Validate_valid_example_exits_0_with_an_outcome_without_errors(string file)
    {
        var run = Command.Run("validate", Command.Valid(file));

        Assert.True(run.ExitCode == 0, run.ToString());
        var outcome = Assert.IsType<OperationOutcome>(run.Output());
        Assert.DoesNotContain(outcome.Issue, i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal);
    }

    [Fact]
    public void Validate_invalid_example_exits_1_with_the_error_at_the_observation_value()
    {
        // The README's example of validate.
        var run = Command.Run("validate", Command.Invalid("invalid-observation-value.json"));

        Assert.True(run.ExitCode == 1, run.ToString());
        var outcome = Assert.IsType<OperationOutcome>(run.Output());
        Assert.Contains(outcome.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error
            && i.Expression.Any(e => e?.StartsWith("Parameters.parameter[0].resource.entry[2].resource.value", StringComparison.Ordinal) == true));
    }

    [Fact]
    public void Validate_a_bare_bundle_and_a_single_observation()
    {
        var parameters = Assert.IsType<Parameters>(FhirSerialization.Parse(File.ReadAllBytes(Command.Invalid("invalid-observation-value.json")), FhirFormat.Json).Value);
        var bundle = Assert.IsType<Bundle>(parameters.Parameter.Single(p => p.Name == "data").Resource);
        var observation = bundle.Entry.Select(e => e.Resource).OfType<Observation>().Single(o => o.Value is FhirString);

        var bundleRun = Command.RunWithStdin(FhirSerialization.ToText(bundle, FhirFormat.Json), "validate", "-");
        var observationRun = Command.RunWithStdin(FhirSerialization.ToText(observation, FhirFormat.Xml), "validate", "-", "--format", "json");

        Assert.True(bundleRun.ExitCode == 1, bundleRun.ToString());
        Assert.Contains(Assert.IsType<OperationOutcome>(bundleRun.Output()).Issue, i => i.Expression.Any(e => e?.StartsWith("Bundle.entry[2].resource.value", StringComparison.Ordinal) == true));
        Assert.True(observationRun.ExitCode == 1, observationRun.ToString());
        Assert.IsType<OperationOutcome>(observationRun.Output());
    }

    [Fact]
    public void Validate_unparseable_file_exits_1()
    {
        var run = Command.Run("validate", Command.Invalid("not-json.json"));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.IsType<OperationOutcome>(run.Output());
    }

    [Fact]
    public void No_arguments_is_a_usage_error() => AssertUsageError(Command.Run());

    [Theory]
    [InlineData("frobnicate", "x.json")]
    [InlineData("ASSESS", "x.json")]
    [InlineData("assess")]
    [InlineData("validate")]
    [InlineData("x.json")]
    public void Unknown_or_incomplete_command_is_a_usage_error(params string[] args) => AssertUsageError(Command.Run(args));

    [Theory]
    [InlineData("--colour", "red")]
    [InlineData("--lang", "de")]
    [InlineData("--lang")]
    [InlineData("--format", "yaml")]
    [InlineData("--format")]
    [InlineData("--date")]
    [InlineData("-x")]
    [InlineData("extra-argument")]
    public void Bad_option_is_a_usage_error(params string[] options) =>
        AssertUsageError(Command.Run(["assess", Command.Valid("mscc-nsclc.json"), .. options]), options[0]);

    [Theory]
    [InlineData("2026-13-01")]
    [InlineData("2026-02-30")]
    [InlineData("16/03/2026")]
    [InlineData("2026-03-16T10:00:00")]
    [InlineData("tomorrow")]
    [InlineData("")]
    public void Bad_date_is_a_usage_error(string date) =>
        AssertUsageError(Command.Run("assess", Command.Valid("mscc-nsclc.json"), "--date", date), "--date");

    [Fact]
    public void No_validate_is_not_an_option_of_validate() =>
        AssertUsageError(Command.Run("validate", Command.Valid("mscc-nsclc.json"), "--no-validate"), "--no-validate");

    [Fact]
    public void Missing_file_is_a_usage_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bonemetrt-missing-{Guid.NewGuid():N}.json");

        var run = Command.Run("assess", path);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Stdout);
        Assert.Contains(path, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_instead_of_a_file_is_a_usage_error()
    {
        var run = Command.Run("validate", ExampleCatalog.ValidFolder);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Stdout);
        Assert.Contains(ExampleCatalog.ValidFolder, run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_prints_the_usage_and_exits_0(string option)
    {
        var run = Command.Run(option);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Usage:", run.Stdout, StringComparison.Ordinal);
        Assert.Equal("", run.Stderr);
    }
}
