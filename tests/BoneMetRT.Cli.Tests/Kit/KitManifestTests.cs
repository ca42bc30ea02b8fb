using System.Text.RegularExpressions;
using BoneMetRT.Cli.Kit;
using Hl7.Fhir.Model;
using Hl7.FhirPath;

namespace BoneMetRT.Cli.Tests.Kit;

/// <summary>
/// The tester's kit, examples/manifest.json, read on its own: every example is in it, every body exists, every
/// assertion compiles and names no generated id. (KitManifestAgainstServiceTests in the API tests runs it.)
/// </summary>
public sealed partial class KitManifestTests
{
    private static readonly KitManifest Manifest = KitManifest.Load(ExampleCatalog.ManifestPath);

    /// <summary>Ids, fullUrls and references of an answer are made by the service (UUIDs): an assertion must not rely on them.</summary>
    [GeneratedRegex(@"(\.|\b)id\b|fullUrl|urn:uuid|\breference\b|actionId|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-", RegexOptions.IgnoreCase)]
    private static partial Regex GeneratedIdentifier();

    [Fact]
    public void Every_example_request_is_posted_to_assess_by_a_case()
    {
        // The example's own case: id = the file without .json, posting it to $assess as it is.
        var posted = Manifest.Cases
            .Where(c => c.Request is { Method: "POST", Path: "$assess" } && c.Body == c.Id + ".json")
            .Select(c => c.Body!)
            .ToHashSet(StringComparer.Ordinal);
        var examples = ExampleCatalog.Valid.Select(f => "valid/" + f).Concat(ExampleCatalog.Invalid.Select(f => "invalid/" + f)).ToList();

        Assert.NotEmpty(ExampleCatalog.Valid);
        Assert.NotEmpty(ExampleCatalog.Invalid);
        var missing = examples.Where(e => !posted.Contains(e)).ToList();
        Assert.True(missing.Count == 0, "Not in examples/manifest.json: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_valid_example_expects_200_and_every_invalid_one_an_error_outcome()
    {
        foreach (var c in Manifest.Cases.Where(c => c.Body is not null && c.Request.Path == "$assess" && !c.Request.Headers.ContainsKey("Accept-Language")))
        {
            if (c.Body!.StartsWith("valid/", StringComparison.Ordinal) && c.Request.Headers.GetValueOrDefault("Content-Type") == "application/fhir+json")
            {
                Assert.True(c.Expect is { Status: 200, ResourceType: "Bundle" }, c.Id);
            }
            else if (c.Body.StartsWith("invalid/", StringComparison.Ordinal))
            {
                Assert.True(c.Expect.Status is 400 or 422 && c.Expect.ResourceType == "OperationOutcome", c.Id);
            }
        }
    }

    [Fact]
    public void Every_body_file_exists()
    {
        var missing = Manifest.Cases.Where(c => c.Body is not null && !File.Exists(Path.Combine(Manifest.Folder, c.Body))).Select(c => c.Id).ToList();

        Assert.True(missing.Count == 0, "Bodies not found: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_case_has_three_to_ten_assertions()
    {
        var offenders = Manifest.Cases.Where(c => c.Expect.Assertions.Count is < 3 or > 10).Select(c => $"{c.Id}: {c.Expect.Assertions.Count}").ToList();

        Assert.True(offenders.Count == 0, "Cases outside 3–10 assertions: " + string.Join(", ", offenders));
    }

    [Fact]
    public void Every_assertion_says_what_it_checks_and_compiles()
    {
        var compiler = new FhirPathCompiler();
        foreach (var (c, a) in Manifest.Cases.SelectMany(c => c.Expect.Assertions.Select(a => (c, a))))
        {
            Assert.False(string.IsNullOrWhiteSpace(a.Description), $"{c.Id}: an assertion without a description");
            var error = Record.Exception(() => compiler.Compile(a.Expression));
            Assert.True(error is null, $"{c.Id}: '{a.Expression}' does not compile: {error?.Message}");
        }
    }

    [Fact]
    public void No_assertion_names_a_generated_id()
    {
        var offenders = Manifest.Cases.SelectMany(c => c.Expect.Assertions.Where(a => GeneratedIdentifier().IsMatch(a.Expression)).Select(a => $"{c.Id}: {a.Expression}")).ToList();

        Assert.True(offenders.Count == 0, "These assertions depend on generated ids:\n" + string.Join('\n', offenders));
    }

    [Theory]
    [InlineData("entry.resource.ofType(Observation).id.exists()")]
    [InlineData("entry.where(fullUrl = 'urn:uuid:0ff7dd10-7160-5824-8420-7dc3789a463b').exists()")]
    [InlineData("entry.resource.ofType(CarePlan).activity.reference.exists()")]
    public void The_generated_id_check_catches_ids(string expression)
    {
        Assert.Matches(GeneratedIdentifier(), expression);
    }

    [Fact]
    public void The_statuses_the_service_answers_have_a_case()
    {
        // 503 (load shedding) cannot be produced on demand and 500 is never intended: both are documented, not run.
        var statuses = Manifest.Cases.Select(c => c.Expect.Status).ToHashSet();

        Assert.Superset(new HashSet<int> { 200, 400, 401, 404, 405, 413, 415, 422 }, statuses);
    }

    [Fact]
    public void Instance_level_is_covered_with_and_without_a_token()
    {
        var instance = Manifest.Cases.Where(c => Regex.IsMatch(c.Request.Path, @"^Patient/[^/$]+/\$assess$")).ToList();

        Assert.Contains(instance, c => c.NeedsToken && c.Expect.Status == 200);
        Assert.Contains(instance, c => c.Request.Anonymous && !c.NeedsToken && c.Expect.Status == 401);
    }

    [Fact]
    public void A_manifest_with_an_unknown_key_is_refused()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{"cases":[{"id":"a","request":{"path":"$assess"},"expect":{"status":200,"resourceType":"Bundle","assertion":[]}}]}""");

            var error = Assert.Throws<KitManifestException>(() => KitManifest.Load(path));
            Assert.Contains("assertion", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("status = 'draft'", true, "")]
    [InlineData("status = 'active'", false, "gave boolean false")]
    [InlineData("status", false, "not true")]
    [InlineData("note.text", false, "nothing")]
    [InlineData("status = = 'draft'", false, "cannot be evaluated")]
    public void An_assertion_holds_only_when_it_gives_exactly_true(string expression, bool passed, string detail)
    {
        var careplan = new CarePlan { Status = RequestStatus.Draft, Intent = CarePlan.CarePlanIntent.Proposal };

        var check = KitRunner.Evaluate(careplan, new KitAssertion { Description = "d", Expression = expression });

        Assert.Equal(passed, check.Passed);
        Assert.Contains(detail, check.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Kit_command_without_base_is_a_usage_error()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = CliApp.Run(["kit", "--manifest", ExampleCatalog.ManifestPath], TextReader.Null, stdout, stderr);

        Assert.Equal(2, code);
        Assert.Equal("", stdout.ToString());
        Assert.Contains("--base", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Kit_command_with_a_missing_manifest_is_a_usage_error()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = CliApp.Run(["kit", "--base", "http://127.0.0.1:9/fhir", "--manifest", "/nonexistent/manifest.json"], TextReader.Null, stdout, stderr);

        Assert.Equal(2, code);
        Assert.Contains("Cannot read the manifest", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_assertions_of_each_valid_example_hold_on_its_golden_file_and_tell_it_from_every_other_one()
    {
        // Offline, on the reviewed golden answers: an assertion set that also held on another example's answer would
        // not be checking what makes its own example what it is.
        var golden = ExampleCatalog.Valid.ToDictionary(f => "valid/" + f, f => Golden(Path.GetFileNameWithoutExtension(f)), StringComparer.Ordinal);
        var cases = Manifest.Cases.Where(c => c.Body is not null && golden.ContainsKey(c.Body) && c.Request is { Path: "$assess" } && c.Expect.Status == 200)
            .GroupBy(c => c.Body!).Select(g => g.First()).ToList();
        Assert.Equal(golden.Count, cases.Count);

        var problems = new List<string>();
        foreach (var c in cases)
        {
            problems.AddRange(c.Expect.Assertions.Select(a => KitRunner.Evaluate(golden[c.Body!], a)).Where(r => !r.Passed).Select(r => $"{c.Id} on its own golden file: {r.Description}: {r.Detail}"));
            foreach (var (other, answer) in golden.Where(g => g.Key != c.Body))
            {
                if (c.Expect.Assertions.All(a => KitRunner.Evaluate(answer, a).Passed))
                {
                    problems.Add($"{c.Id}: every assertion also holds on {other}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    private static Resource Golden(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(ExampleCatalog.ValidFolder, "__snapshots__", name + ".snap"));
        var parsed = BoneMetRT.Fhir.FhirSerialization.Parse(bytes, BoneMetRT.Fhir.FhirFormat.Json);
        Assert.True(parsed.IsSuccess, $"{name}.snap: {string.Join("; ", parsed.Issues.Select(i => i.Text.En))}");
        return parsed.Value!;
    }
}
