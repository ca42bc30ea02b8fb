using System.Diagnostics;
using System.Text;
using BoneMetRT.Cli.Tests.TestSupport;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;

namespace BoneMetRT.Cli.Tests;

/// <summary>
/// The built executable (<c>dotnet bonemetrt.dll</c>, copied next to the tests by the project reference) as a real
/// process: the exit code the shell sees, stdout and stderr, stdin piped.
/// </summary>
public sealed class ProgramTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static Task<CliRun> RunProcessAsync(string? stdin, params string[] args) => RunProcessWithTempAsync(stdin, null, args);

    /// <summary>Runs the executable with <c>TMPDIR</c> set to <paramref name="tempDirectory"/> when given.</summary>
    private static async Task<CliRun> RunProcessWithTempAsync(string? stdin, string? tempDirectory, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "bonemetrt.dll");
        Assert.True(File.Exists(dll), $"{dll} not found");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        if (tempDirectory is not null)
        {
            start.Environment["TMPDIR"] = tempDirectory;
        }

        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bonemetrt {string.Join(' ', args)} did not exit within {Timeout}");
        }

        return new CliRun(process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task No_arguments_exits_2()
    {
        var run = await RunProcessAsync(null);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("Usage:", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unparseable_input_exits_1_with_an_outcome()
    {
        var run = await RunProcessAsync(null, "assess", Command.Invalid("not-json.json"));

        Assert.True(run.ExitCode == 1, run.ToString());
        Golden.AssertMatches(ExampleCatalog.InvalidFolder, "not-json.json", Assert.IsType<OperationOutcome>(run.Output()));
    }

    [Fact]
    public async Task Profile_violation_exits_1_with_the_validator_running_in_the_executable()
    {
        var run = await RunProcessAsync(null, "validate", Command.Invalid("invalid-observation-value.json"));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(Assert.IsType<OperationOutcome>(run.Output()).Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error);
    }

    [Fact]
    public async Task Valid_example_on_stdin_exits_0_with_its_golden_bundle()
    {
        const string file = "pain-uncomplicated-rib.json";

        var run = await RunProcessAsync(File.ReadAllText(Command.Valid(file)), "assess", "-", "--no-validate", "--format", "xml");

        Assert.True(run.ExitCode == 0, run.ToString());
        Golden.AssertMatches(ExampleCatalog.ValidFolder, file, Assert.IsType<Bundle>(run.Output(FhirFormat.Xml)), FhirFormat.Xml);
    }

    [Fact]
    public async Task First_runs_at_the_same_time_on_a_fresh_machine_all_validate()
    {
        // The FHIR core definitions are extracted to the temp directory on first use; processes starting together
        // (several CLI runs, a service and the CLI) must not read each other's half-extracted files.
        var temp = Path.Combine(Path.GetTempPath(), $"bonemetrt-fresh-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            var validating = RunProcessWithTempAsync(null, temp, "validate", Command.Invalid("invalid-observation-value.json"));
            var assessing = RunProcessWithTempAsync(null, temp, "assess", Command.Valid("mscc-nsclc.json"));
            var again = RunProcessWithTempAsync(null, temp, "assess", Command.Valid("mscc-nsclc.json"), "--format", "xml");
            await Task.WhenAll(validating, assessing, again);

            var validation = await validating;
            Assert.True(validation.ExitCode == 1, validation.ToString());
            Assert.Contains(Assert.IsType<OperationOutcome>(validation.Output()).Issue,
                i => i.Expression.Any(e => e?.StartsWith("Parameters.parameter[0].resource.entry[2].resource.value", StringComparison.Ordinal) == true));
            Assert.DoesNotContain("Unable to resolve", validation.Stdout, StringComparison.Ordinal);
            foreach (var (run, format) in new[] { (await assessing, FhirFormat.Json), (await again, FhirFormat.Xml) })
            {
                Assert.True(run.ExitCode == 0, run.ToString());
                Golden.AssertMatches(ExampleCatalog.ValidFolder, "mscc-nsclc.json", Assert.IsType<Bundle>(run.Output(format)), format);
            }
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }
}
