using System.Diagnostics;
using System.Text;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Cli.Tests.TestSupport;
using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Tests.Examples;
using Hl7.Fhir.Model;

namespace BoneMetRT.Cli.Tests;

/// <summary>
/// The built executable (<c>dotnet bonemetrt.dll</c>, copied next to the tests by the project reference) as a real
/// process: the exit code the shell sees, stdout and stderr, stdin piped.
/// </summary>
public sealed class ProgramTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static async Task<CliRun> RunProcessAsync(string? stdin, params string[] args)
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
    public async System.Threading.Tasks.Task No_arguments_exits_2()
    {
        var run = await RunProcessAsync(null);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("Usage:", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task Unparseable_input_exits_1_with_an_outcome()
    {
        var run = await RunProcessAsync(null, "assess", Command.Invalid("not-json.json"));

        Assert.True(run.ExitCode == 1, run.ToString());
        Golden.AssertMatches(ExampleCatalog.InvalidFolder, "not-json.json", Assert.IsType<OperationOutcome>(run.Output()));
    }

    [Fact]
    public async System.Threading.Tasks.Task Profile_violation_exits_1_with_the_validator_running_in_the_executable()
    {
        var run = await RunProcessAsync(null, "validate", Command.Invalid("invalid-observation-value.json"));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(Assert.IsType<OperationOutcome>(run.Output()).Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error);
    }

    [Fact]
    public async System.Threading.Tasks.Task Valid_example_on_stdin_exits_0_with_its_golden_bundle()
    {
        const string file = "pain-uncomplicated-rib.json";

        var run = await RunProcessAsync(File.ReadAllText(Command.Valid(file)), "assess", "-", "--no-validate", "--format", "xml");

        Assert.True(run.ExitCode == 0, run.ToString());
        Golden.AssertMatches(ExampleCatalog.ValidFolder, file, Assert.IsType<Bundle>(run.Output(FhirFormat.Xml)), FhirFormat.Xml);
    }
}
