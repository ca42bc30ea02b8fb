using System.Globalization;
using System.Text;
using BoneMetRT.Domain;
using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Pipeline;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.Model;

namespace BoneMetRT.Cli;

/// <summary>
/// The <c>bonemetrt</c> command line: <c>assess</c> prints the $assess response Bundle, <c>validate</c> checks a
/// resource against FHIR R4 and BoneMetRT's profiles, <c>kit</c> runs the tester's kit against a deployment. Exit
/// codes: 0 ok, 1 invalid input (an OperationOutcome is printed on stdout) or a failed kit case, 2 usage error.
/// </summary>
public static class CliApp
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        Usage:
          bonemetrt assess <file|-> [--date YYYY-MM-DD] [--lang en|fr] [--format json|xml] [--no-validate]
          bonemetrt validate <file|-> [--format json|xml]
          bonemetrt kit --base <fhir-base-url> [--token <access-token>] [--manifest <file>] [--case <id-prefix>]
          bonemetrt kit --export-testscripts [--manifest <file>] [--case <id-prefix>]

        assess    runs the $assess operation of the BoneMetRT service on a Parameters or Bundle resource
                  (JSON or XML, detected from the content) and prints the response Bundle.
        validate  validates a resource against FHIR R4 and the BoneMetRT profiles and prints an OperationOutcome.
        kit       runs the tester's kit (examples/manifest.json by default) against a running deployment and prints
                  PASS/FAIL per check; cases that need a token are skipped without --token. With
                  --export-testscripts it prints the kit as a Bundle of FHIR TestScripts instead.

        Exit codes: 0 ok, 1 invalid input (OperationOutcome on stdout) or a kit case failed, 2 usage error.
        """;

    /// <summary>Runs the command line; returns the exit code.</summary>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (args is ["-h" or "--help"])
        {
            stdout.WriteLine(Usage);
            return 0;
        }

        if (args is ["kit", .. var kitArgs])
        {
            return Kit.KitCommand.Run(kitArgs, stdout, stderr);
        }

        if (args.Length < 2 || args[0] is not ("assess" or "validate"))
        {
            stderr.WriteLine(args.Length == 0 || args[0] is "-h" or "--help" ? Usage : $"Unknown or incomplete command.\n{Usage}");
            return 2;
        }

        var command = args[0];
        var path = args[1];
        DateOnly? date = null;
        Language? lang = null;
        FhirFormat? format = null;
        var validate = true;
        for (var i = 2; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--date" when value is not null && DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d):
                    date = d;
                    i++;
                    break;
                case "--lang" when value is "en" or "fr":
                    lang = value == "fr" ? Language.Fr : Language.En;
                    i++;
                    break;
                case "--format" when value is "json" or "xml":
                    format = value == "xml" ? FhirFormat.Xml : FhirFormat.Json;
                    i++;
                    break;
                case "--no-validate" when command == "assess":
                    validate = false;
                    break;
                default:
                    stderr.WriteLine($"Invalid option '{args[i]}'{(value is null ? "" : $" '{value}'")}.\n{Usage}");
                    return 2;
            }
        }

        byte[] body;
        try
        {
            body = path == "-" ? Encoding.UTF8.GetBytes(stdin.ReadToEnd()) : File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"Cannot read '{path}': {e.Message}");
            return 2;
        }

        var inputFormat = Detect(body);
        var outputFormat = format ?? inputFormat;
        var parsed = FhirSerialization.Parse(body, inputFormat);
        if (!parsed.IsSuccess)
        {
            stdout.WriteLine(FhirSerialization.ToText(OperationOutcomes.From(parsed.Issues, lang ?? Language.En), outputFormat));
            return 1;
        }

        var resource = parsed.Value;

        if (command == "validate")
        {
            // The same operation as the service's $validate (src/BoneMetRT.Fhir/Pipeline/ValidateOperation.cs).
            var outcome = ValidateOperation.Default.Validate(resource, null, lang ?? Language.En);

            stdout.WriteLine(FhirSerialization.ToText(outcome, outputFormat));
            return outcome.Issue.Any(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal) ? 1 : 0;
        }

        var result = AssessPipeline.CreateDefault().Assess(resource, new AssessOptions(validate, date, lang));
        stdout.WriteLine(FhirSerialization.ToText(result.Value ?? OperationOutcomes.From(result.Issues, lang ?? Language.En), outputFormat));
        return result.IsSuccess ? 0 : 1;
    }

    /// <summary>XML when the first non-blank character is '&lt;', JSON otherwise.</summary>
    public static FhirFormat Detect(ReadOnlySpan<byte> body)
    {
        foreach (var b in body)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
            {
                continue;
            }

            return b == (byte)'<' ? FhirFormat.Xml : FhirFormat.Json;
        }

        return FhirFormat.Json;
    }
}
