namespace BoneMetRT.Cli.Kit;

/// <summary>
/// <c>bonemetrt kit --base URL [--token T] [--manifest FILE] [--case PREFIX]</c>: runs the tester's kit against a
/// deployment and prints PASS/FAIL per check. Exit codes: 0 every case run passed, 1 a case failed, 2 usage error.
/// <c>bonemetrt kit --export-testscripts [--manifest FILE] [--case PREFIX]</c> prints the kit as FHIR TestScripts.
/// </summary>
public static class KitCommand
{
    /// <summary>Where the manifest is when <c>--manifest</c> is not given (run from the repository root).</summary>
    public const string DefaultManifest = "examples/manifest.json";

    /// <summary>Runs the command; <paramref name="handler"/> replaces the network (for tests).</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, HttpMessageHandler? handler = null)
    {
        Uri? fhirBase = null;
        string? token = null;
        var manifestPath = DefaultManifest;
        string? only = null;
        var export = false;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--base" when value is not null && Uri.TryCreate(value, UriKind.Absolute, out var u) && u.Scheme is "http" or "https":
                    fhirBase = u;
                    i++;
                    break;
                case "--token" when !string.IsNullOrEmpty(value):
                    token = value;
                    i++;
                    break;
                case "--manifest" when value is not null:
                    manifestPath = value;
                    i++;
                    break;
                case "--case" when value is not null:
                    only = value;
                    i++;
                    break;
                case "--export-testscripts":
                    export = true;
                    break;
                default:
                    stderr.WriteLine($"Invalid option '{args[i]}'{(value is null ? "" : $" '{value}'")}.\n{CliApp.Usage}");
                    return 2;
            }
        }

        if (fhirBase is null && !export)
        {
            stderr.WriteLine($"kit needs --base, the FHIR base URL of the deployment (http or https).\n{CliApp.Usage}");
            return 2;
        }

        KitManifest manifest;
        try
        {
            manifest = KitManifest.Load(manifestPath);
        }
        catch (Exception e) when (e is KitManifestException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"Cannot read the manifest: {e.Message}");
            return 2;
        }

        if (only is not null)
        {
            manifest = manifest with { Cases = [.. manifest.Cases.Where(c => c.Id.StartsWith(only, StringComparison.Ordinal))] };
            if (manifest.Cases.Count == 0)
            {
                stderr.WriteLine($"No case id starts with '{only}'.");
                return 2;
            }
        }

        if (export)
        {
            stdout.WriteLine(BoneMetRT.Fhir.FhirSerialization.ToText(KitTestScripts.Export(manifest), BoneMetRT.Fhir.FhirFormat.Json));
            return 0;
        }

        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        // The first validated request of a fresh service loads the FHIR definitions; later ones are fast.
        http.Timeout = TimeSpan.FromSeconds(120);
        var results = new KitRunner(http, fhirBase!, token).RunAsync(manifest).GetAwaiter().GetResult();
        Print(results, stdout);
        return results.Any(r => r.Outcome == KitCaseOutcome.Failed) ? 1 : 0;
    }

    private static void Print(IReadOnlyList<KitCaseResult> results, TextWriter stdout)
    {
        foreach (var r in results)
        {
            var head = r.Outcome switch { KitCaseOutcome.Passed => "PASS", KitCaseOutcome.Failed => "FAIL", _ => "SKIP" };
            stdout.WriteLine($"{head} {r.Case.Id}  {r.Case.Request.Method} {r.Case.Request.Path}{(r.Note.Length > 0 ? $"  ({r.Note})" : "")}");
            foreach (var check in r.Checks)
            {
                stdout.WriteLine(check.Passed ? $"  pass  {check.Description}" : $"  FAIL  {check.Description}: {check.Detail}");
            }
        }

        var passed = results.Count(r => r.Outcome == KitCaseOutcome.Passed);
        var failed = results.Count(r => r.Outcome == KitCaseOutcome.Failed);
        var skipped = results.Count(r => r.Outcome == KitCaseOutcome.Skipped);
        var assertions = results.Sum(r => r.Checks.Count);
        var failedChecks = results.Sum(r => r.Checks.Count(c => !c.Passed));
        stdout.WriteLine($"{results.Count} cases: {passed} passed, {failed} failed, {skipped} skipped; {assertions} checks, {failedChecks} failed.");
    }
}
