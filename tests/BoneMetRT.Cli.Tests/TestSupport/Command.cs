using System.Text;
using BoneMetRT.Cli;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;

namespace BoneMetRT.Cli.Tests.TestSupport;

/// <summary>What a run of the command line gave.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout parsed as FHIR; fails the test when it is not.</summary>
    public Resource Output(FhirFormat format = FhirFormat.Json)
    {
        var parsed = FhirSerialization.Parse(Encoding.UTF8.GetBytes(Stdout), format);
        Assert.True(parsed.IsSuccess, $"stdout is not FHIR {format}: {string.Join("; ", parsed.Issues.Select(i => i.Text.En))}\n{Stdout[..Math.Min(Stdout.Length, 2000)]}\nstderr: {Stderr}");
        return parsed.Value!;
    }

    /// <inheritdoc/>
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout[..Math.Min(Stdout.Length, 1500)]}\nstderr: {Stderr}";
}

/// <summary>Runs <see cref="CliApp.Run"/> in-process with captured streams.</summary>
public static class Command
{
    /// <summary>Path of a valid example.</summary>
    public static string Valid(string file) => Path.Combine(ExampleCatalog.ValidFolder, file);

    /// <summary>Path of an invalid example.</summary>
    public static string Invalid(string file) => Path.Combine(ExampleCatalog.InvalidFolder, file);

    /// <summary>Runs the command line with <paramref name="stdin"/> as standard input.</summary>
    public static CliRun RunWithStdin(string stdin, params string[] args)
    {
        using var input = new StringReader(stdin);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApp.Run(args, input, output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs the command line with an empty standard input.</summary>
    public static CliRun Run(params string[] args) => RunWithStdin("", args);
}
