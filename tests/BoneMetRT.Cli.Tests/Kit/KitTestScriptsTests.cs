using BoneMetRT.Cli.Kit;
using BoneMetRT.Cli.Tests.TestSupport;
using Hl7.Fhir.Model;

namespace BoneMetRT.Cli.Tests.Kit;

/// <summary><c>bonemetrt kit --export-testscripts</c>: the manifest as FHIR TestScripts, one per case, nothing lost.</summary>
public sealed class KitTestScriptsTests
{
    private static readonly KitManifest Manifest = KitManifest.Load(ExampleCatalog.ManifestPath);

    [Fact]
    public void Export_prints_one_parseable_TestScript_per_case_with_every_expectation_as_an_assert()
    {
        var run = Command.Run("kit", "--export-testscripts", "--manifest", ExampleCatalog.ManifestPath);

        Assert.True(run.ExitCode == 0, run.ToString());
        var bundle = Assert.IsType<Bundle>(run.Output());
        var scripts = bundle.Entry.Select(e => Assert.IsType<TestScript>(e.Resource)).ToList();
        Assert.Equal(Manifest.Cases.Count, scripts.Count);
        foreach (var (kitCase, script) in Manifest.Cases.Zip(scripts))
        {
            var test = Assert.Single(script.Test);
            Assert.Equal(kitCase.Id, test.Name);
            var operation = Assert.Single(test.Action, a => a.Operation is not null).Operation!;
            Assert.Equal(kitCase.Request.Path, operation.Url);
            Assert.Equal(kitCase.Request.Method, operation.Method?.ToString(), ignoreCase: true);
            var asserts = test.Action.Where(a => a.Assert is not null).Select(a => a.Assert!).ToList();
            Assert.Equal(2 + kitCase.Expect.Headers.Count + (kitCase.Expect.MediaType is null ? 0 : 1) + kitCase.Expect.Assertions.Count, asserts.Count);
            Assert.Contains(asserts, a => a.ResponseCode == kitCase.Expect.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Contains(asserts, a => a.Resource?.ToString() == kitCase.Expect.ResourceType);
            Assert.Equal(kitCase.Expect.Assertions.Select(a => a.Expression), asserts.Where(a => a.Expression is not null).Select(a => a.Expression));
            Assert.All(asserts, a => Assert.False(a.WarningOnly));
            if (kitCase.Body is not null)
            {
                Assert.Equal(kitCase.Body, Assert.Single(script.Fixture).Resource!.Reference);
                Assert.Equal(script.Fixture[0].ElementId, operation.SourceId);
            }
        }
    }

    [Fact]
    public void The_token_becomes_a_TestScript_variable()
    {
        var withToken = Manifest.Cases.First(c => c.NeedsToken);

        var script = KitTestScripts.Script(withToken);

        Assert.Equal("token", Assert.Single(script.Variable).Name);
        var operation = script.Test[0].Action[0].Operation!;
        Assert.Contains(operation.RequestHeader, h => h.Field == "Authorization" && h.Value == "Bearer ${token}");
    }

    [Fact]
    public void Export_needs_no_base()
    {
        var run = Command.Run("kit", "--export-testscripts", "--manifest", ExampleCatalog.ManifestPath, "--case", "http/");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(Manifest.Cases.Count(c => c.Id.StartsWith("http/", StringComparison.Ordinal)), Assert.IsType<Bundle>(run.Output()).Entry.Count);
    }
}
