using BoneMetRT.Api.Tests.Smart;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Cli.Kit;

namespace BoneMetRT.Api.Tests.Kit;

/// <summary>
/// The tester's kit (examples/manifest.json) against the service in memory: every case answers its status and
/// satisfies every FHIRPath assertion, evaluated by the same runner as <c>bonemetrt kit</c>. The cases that need a
/// token run against the test EHR with a token it issued, as a tester runs them against the sandbox.
/// </summary>
public sealed class KitManifestAgainstServiceTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Base = "http://localhost/fhir";

    private static readonly Lazy<KitManifest> Manifest = new(() => KitManifest.Load(ExampleCatalog.ManifestPath));

    /// <summary>The ids of the cases that need no token.</summary>
    public static TheoryData<string> AnonymousCases => [.. Manifest.Value.Cases.Where(c => !c.NeedsToken).Select(c => c.Id)];

    /// <summary>The ids of the cases that need a token.</summary>
    public static TheoryData<string> TokenCases => [.. Manifest.Value.Cases.Where(c => c.NeedsToken).Select(c => c.Id)];

    private static KitCase Case(string id) => Manifest.Value.Cases.Single(c => c.Id == id);

    private static void AssertPassed(KitCaseResult result)
    {
        var failed = result.Checks.Where(c => !c.Passed).Select(c => $"{c.Description}: {c.Detail}");
        Assert.True(result.Outcome == KitCaseOutcome.Passed, $"{result.Case.Id} {result.Outcome} {result.Note}\n{string.Join('\n', failed)}");
        var expected = 2 + result.Case.Expect.Headers.Count + (result.Case.Expect.MediaType is null ? 0 : 1) + result.Case.Expect.Assertions.Count;
        Assert.Equal(expected, result.Checks.Count);
    }

    [Theory]
    [MemberData(nameof(AnonymousCases))]
    public async Task Case_answers_its_status_and_satisfies_its_assertions(string id)
    {
        var runner = new KitRunner(api.CreateClient(), new Uri(Base), token: null);

        AssertPassed(await runner.RunAsync(Manifest.Value, Case(id)));
    }

    [Theory]
    [MemberData(nameof(TokenCases))]
    public async Task Case_with_a_token_from_the_test_EHR_satisfies_its_assertions(string id)
    {
        using var hosts = new SmartHosts();
        var patient = Case(id).Request.Path.Split('/')[1];
        var token = await SmartHosts.TokenAsync(hosts.Ehr,
            "launch/patient openid fhirUser patient/Patient.rs patient/Condition.rs patient/Observation.rs patient/Procedure.rs", patient);
        var runner = new KitRunner(hosts.Service(), new Uri(Base), token);

        AssertPassed(await runner.RunAsync(Manifest.Value, Case(id)));
    }

    [Fact]
    public async Task Without_a_token_the_token_cases_are_skipped_not_passed()
    {
        var runner = new KitRunner(api.CreateClient(), new Uri(Base), token: null);
        var withToken = Manifest.Value.Cases.First(c => c.NeedsToken);

        var result = await runner.RunAsync(Manifest.Value, withToken);

        Assert.Equal(KitCaseOutcome.Skipped, result.Outcome);
        Assert.Empty(result.Checks);
    }

    [Fact]
    public async Task A_wrong_expectation_fails_its_check_and_only_that_one()
    {
        var runner = new KitRunner(api.CreateClient(), new Uri(Base), token: null);
        var femur = Case("valid/fracture-femur-mirels-8");
        var wrong = femur with
        {
            Expect = femur.Expect with
            {
                Assertions = [.. femur.Expect.Assertions, new KitAssertion { Description = "Mirels 9 (wrong on purpose)", Expression = "entry.resource.ofType(Observation).where(code.coding.code = 'mirels-score').value = 9" }],
            },
        };

        var result = await runner.RunAsync(Manifest.Value, wrong);

        Assert.Equal(KitCaseOutcome.Failed, result.Outcome);
        var failed = Assert.Single(result.Checks, c => !c.Passed);
        Assert.Equal("Mirels 9 (wrong on purpose)", failed.Description);
        Assert.Contains("gave boolean false", failed.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_wrong_status_fails_the_case()
    {
        var runner = new KitRunner(api.CreateClient(), new Uri(Base), token: null);
        var notJson = Case("invalid/not-json");

        var result = await runner.RunAsync(Manifest.Value, notJson with { Expect = notJson.Expect with { Status = 422 } });

        Assert.Equal(KitCaseOutcome.Failed, result.Outcome);
        Assert.Contains(result.Checks, c => !c.Passed && c.Description == "HTTP status 422" && c.Detail == "got 400");
    }

    [Fact]
    public async Task A_missing_header_or_another_media_type_fails_the_case()
    {
        var runner = new KitRunner(api.CreateClient(), new Uri(Base), token: null);
        var method = Case("http/wrong-method");

        var result = await runner.RunAsync(Manifest.Value, method with
        {
            Expect = method.Expect with { MediaType = "application/fhir+xml", Headers = new Dictionary<string, string> { ["Allow"] = "PUT", ["Retry-After"] = "5" } },
        });

        Assert.Equal(KitCaseOutcome.Failed, result.Outcome);
        Assert.Contains(result.Checks, c => !c.Passed && c.Description == "header Allow with 'PUT'" && c.Detail == "got 'POST'");
        Assert.Contains(result.Checks, c => !c.Passed && c.Description == "header Retry-After with '5'" && c.Detail == "absent");
        Assert.Contains(result.Checks, c => !c.Passed && c.Description == "media type application/fhir+xml" && c.Detail == "got 'application/fhir+json'");
    }

    [Fact]
    public void Kit_command_exits_0_when_every_case_passes_and_prints_each_check()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = KitCommand.Run(["--base", Base, "--manifest", ExampleCatalog.ManifestPath, "--case", "valid/fracture-femur-mirels-8"], stdout, stderr, api.Server.CreateHandler());

        Assert.True(code == 0, stdout + "\n" + stderr);
        Assert.StartsWith("PASS valid/fracture-femur-mirels-8  POST $assess", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("  pass  HTTP status 200", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("1 cases: 1 passed, 0 failed, 0 skipped", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Kit_command_exits_1_when_an_assertion_fails()
    {
        var folder = Directory.CreateTempSubdirectory("kit-");
        try
        {
            File.Copy(Path.Combine(ExampleCatalog.ValidFolder, "mscc-group-1.json"), Path.Combine(folder.FullName, "body.json"));
            var manifest = Path.Combine(folder.FullName, "manifest.json");
            File.WriteAllText(manifest, """
                {"cases":[{"id":"wrong","body":"body.json","request":{"method":"POST","path":"$assess","headers":{"Content-Type":"application/fhir+json"}},
                  "expect":{"status":200,"resourceType":"Bundle","assertions":[
                    {"description":"Rades 22","expression":"entry.resource.ofType(Observation).where(code.coding.code = 'rades-score').value = 22"},
                    {"description":"Rades 40 (wrong on purpose)","expression":"entry.resource.ofType(Observation).where(code.coding.code = 'rades-score').value = 40"}]}}]}
                """);
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();

            var code = KitCommand.Run(["--base", Base, "--manifest", manifest], stdout, stderr, api.Server.CreateHandler());

            Assert.True(code == 1, stdout + "\n" + stderr);
            Assert.Contains("FAIL wrong", stdout.ToString(), StringComparison.Ordinal);
            Assert.Contains("  pass  Rades 22", stdout.ToString(), StringComparison.Ordinal);
            Assert.Contains("  FAIL  Rades 40 (wrong on purpose)", stdout.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Kit_command_reports_an_unreachable_deployment_as_a_failure()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        // Port 9 (discard) on the loopback: nothing listens there, so the connection is refused at once.
        var code = KitCommand.Run(["--base", "http://127.0.0.1:9/fhir", "--manifest", ExampleCatalog.ManifestPath, "--case", "http/wrong-method"], stdout, stderr);

        Assert.True(code == 1, stdout + "\n" + stderr);
        Assert.Contains("FAIL http/wrong-method", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("the request failed", stdout.ToString(), StringComparison.Ordinal);
    }
}
