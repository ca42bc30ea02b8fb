using System.Diagnostics;
using System.Text.Json.Nodes;
using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.Model;

namespace BoneMetRT.Benchmarks;

/// <summary>The .NET side of bench/peer/compare.sh: writes the Bundle both validators get, and times ours on it.</summary>
public static class PeerModes
{
    /// <summary><c>--write-bundle small|large FILE</c>: the request's <c>data</c> Bundle alone, as JSON.</summary>
    public static int WriteBundle(string size, string file)
    {
        var request = JsonNode.Parse(size == "large" ? BenchData.Large() : BenchData.Small())!.AsObject();
        var bundle = request["parameter"]!.AsArray().Single(p => (string?)p!["name"] == "data")!["resource"]!;
        File.WriteAllText(file, bundle.ToJsonString());
        Console.WriteLine($"wrote {file}");
        return 0;
    }

    /// <summary>
    /// <c>--validate FILE SECONDS</c>: BoneMetRT's validation of the Bundle in FILE, result cache off (every run
    /// validates): as $assess does it (the Bundle against the base spec, then the bonemet Observations against their
    /// profiles), and the base-spec run alone, which is what Medplum's validateResource checks. Parsing is outside the
    /// measurement on both sides.
    /// </summary>
    public static int Validate(string file, double seconds)
    {
        var bundle = (Bundle)(FhirSerialization.Parse(File.ReadAllBytes(file), FhirFormat.Json).Value ?? throw new InvalidOperationException($"{file} does not parse"));
        var validation = FhirValidation.Default;
        validation.ResultCacheSize = 0;
        Report("bonemetrt-validate-input", seconds, () => validation.ValidateInput(bundle, "Bundle").Count);
        Report("firely-base-spec-only", seconds, () => validation.Validate(bundle).Issue.Count(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal));

        // As the service runs (result and shape caches on), on Bundles of this shape never seen before: each run gets
        // a new one (other ids and values, BenchData.Fresh), parsed beforehand, outside the measurement.
        validation.ResultCacheSize = FhirValidation.DefaultResultCacheSize;
        var json = File.ReadAllBytes(file);
        var fresh = Enumerable.Range(0x20000000, 4096)
            .Select(n => (Bundle)FhirSerialization.Parse(BenchData.Fresh(json, n), FhirFormat.Json).Value!)
            .ToArray();
        var next = 0;
        Report("bonemetrt-validate-input-fresh-cached", seconds, () => validation.ValidateInput(fresh[next++ % fresh.Length], "Bundle").Count);
        return 0;
    }

    private static void Report(string name, double seconds, Func<int> run)
    {
        var errors = run();
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < 1)
        {
            run();
        }

        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds || times.Count < 5)
        {
            var sw = Stopwatch.StartNew();
            run();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        process.Refresh();
        times.Sort();
        Console.WriteLine($"OURS {name} n={times.Count} median_ms={times[times.Count / 2]:F3} cpu_ms_per_op={(process.TotalProcessorTime - cpu0).TotalMilliseconds / times.Count:F3} errors={errors}");
    }
}
