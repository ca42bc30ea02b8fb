using System.Diagnostics;
using System.Diagnostics.Tracing;
using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.Model;

namespace BoneMetRT.Benchmarks;

/// <summary>
/// <c>--profile</c>: where the time and the allocations of a validated small request go (and, step by step, those of
/// $assess without validation beyond parsing and serializing). Each phase of validation is
/// run on its own in a loop (allocations measured on the calling thread, CPU time of the process), and the allocations
/// of the whole validation are attributed to types by sampling the runtime's GCAllocationTick events (one per ~100 KB
/// allocated), which is what dotnet-trace's gc-verbose profile records, read here in process so no trace file is needed.
/// </summary>
public static class Profile
{
    /// <summary>Runs the phase breakdown and the allocation sample on the small Bundle; <paramref name="part"/> "b" runs only the steps of (b).</summary>
    public static int Run(double seconds, string part = "")
    {
        var validation = FhirValidation.Default;
        validation.ResultCacheSize = 0; // every phase below validates; the cached path is measured at the end
        var body = BenchData.Small();
        var parameters = (Parameters)FhirSerialization.Parse(body, FhirFormat.Json).Value!;
        var bundle = (Bundle)parameters.Parameter.Single(p => p.Name == "data").Resource!;
        validation.ValidateInput(bundle, "Bundle");
        var observations = bundle.Entry.Select(e => e.Resource).OfType<Observation>().Select(o => (o, FhirValidation.InputProfile(o))).Where(x => x.Item2 is not null).ToList();
        Console.WriteLine($"small Bundle: {bundle.Entry.Count} resources, {observations.Count} with a BoneMetRT input profile");

        Phase("parse (bytes -> POCO)", seconds, () => FhirSerialization.Parse(body, FhirFormat.Json));
        if (part != "b")
        {
            ValidationPhases(seconds, validation, bundle, observations);
        }

        // Where (b) spends beyond (a): the steps of $assess without validation, each alone, on the same request.
        var steps = new StepsOfB();
        foreach (var (_, label, run) in steps.All)
        {
            Phase(label, seconds, run);
        }

        // Allocation by type of the two biggest steps of (b) beyond (a), then of the whole ValidateInput, cache off.
        Allocations("(b) Denormalize", seconds, 12, () => steps.Denormalize());
        Allocations("(b) serialize the answer", seconds, 12, steps.SerializeAnswer);
        if (part != "b")
        {
            Allocations("ValidateInput", seconds, 30, () => validation.ValidateInput(bundle, "Bundle"), byKind: true);
        }

        return 0;
    }

    /// <summary>
    /// Runs one step of (a) or (b) on the small request in a loop for the given time and nothing else, for a CPU
    /// profiler attached from outside (dotnet-trace): a, b, or one of the steps of <see cref="StepsOfB"/>.
    /// </summary>
    public static int Loop(string step, double seconds)
    {
        var (_, label, run) = new StepsOfB().All.Single(s => s.Key == step);
        Phase("loop " + label, seconds, run);
        return 0;
    }

    /// <summary>(a), (b) and the steps of (b) on the small request, each on its own, as the pipeline runs them.</summary>
    private sealed class StepsOfB
    {
        private static readonly DateOnly Date = new(2026, 3, 16);
        private readonly byte[] _body = BenchData.Small();
        private readonly Parameters _parameters;
        private readonly Bundle _bundle;
        private readonly BoneMetRT.Fhir.Normalize.NormalizedInput _input;
        private readonly BoneMetRT.Domain.Assessment.AssessmentResult _result;
        private readonly List<Resource> _hashed;
        private readonly Dictionary<Resource, byte[]> _hashes;
        private readonly Bundle _answer;
        private readonly AssessWork _work = new();

        public StepsOfB()
        {
            _parameters = (Parameters)FhirSerialization.Parse(_body, FhirFormat.Json).Value!;
            _bundle = (Bundle)_parameters.Parameter.Single(p => p.Name == "data").Resource!;
            _input = BoneMetRT.Fhir.Normalize.Normalizer.Normalize(_bundle, "Bundle", null, Date).Value!;
            _result = BoneMetRT.Domain.Assessment.GuidelineEngine.Evaluate(_input.Facts, BoneMetRT.Domain.EngineSettings.Default);
            _hashed = [.. BoneMetRT.Fhir.Denormalize.OutputIdentifiers.HashedInputs(_input)];
            _hashes = FhirSerialization.JsonSha256Within(_parameters, _hashed).Parts;
            _answer = Denormalize();
        }

        public IEnumerable<(string Key, string Label, Action Run)> All =>
        [
            ("a", "(a) parse + serialize, whole", () => AssessWork.ParseSerialize(_body)),
            ("b", "(b) $assess without validation, whole", () => _work.Assess(_body, validate: false)),
            ("q", "(b) $assess without validation, answer not serialized", () => _work.AssessUnserialized(_body)),
            ("parse", "(a) parse", () => AssessWork.ParseOnly(_body)),
            ("serialize-request", $"(a) serialize the request ({_body.Length} bytes)", () => FhirSerialization.Serialize(_parameters, FhirFormat.Json)),
            ("normalize", "(b) Normalize", () => BoneMetRT.Fhir.Normalize.Normalizer.Normalize(_bundle, "Bundle", null, Date)),
            ("evaluate", "(b) Evaluate", () => BoneMetRT.Domain.Assessment.GuidelineEngine.Evaluate(_input.Facts, BoneMetRT.Domain.EngineSettings.Default)),
            ("hashes", $"(b) SHA-256 of the request and its {_hashed.Count} used inputs", () => FhirSerialization.JsonSha256Within(_parameters, _hashed)),
            ("denormalize", "(b) Denormalize", () => Denormalize()),
            ("serialize-answer", $"(b) serialize the answer ({FhirSerialization.Serialize(_answer, FhirFormat.Json).Length} bytes)", SerializeAnswer),
            ("serialize-answer-firely", "(b) serialize the answer, Firely's serializer", () =>
            {
                FhirSerialization.FastJson = false;
                try
                {
                    SerializeAnswer();
                }
                finally
                {
                    FhirSerialization.FastJson = true;
                }
            }),
        ];

        public Bundle Denormalize() =>
            BoneMetRT.Fhir.Denormalize.Denormalizer.ToBundle(_result, _input, BoneMetRT.Domain.Language.En, "seed", [], DateTimeOffset.UnixEpoch, _hashes);

        public void SerializeAnswer() => FhirSerialization.Serialize(_answer, FhirFormat.Json);
    }

    private static void ValidationPhases(double seconds, FhirValidation validation, Bundle bundle, List<(Observation, string?)> observations)
    {
        Phase("ValidateInput (what $assess does)", seconds, () => validation.ValidateInput(bundle, "Bundle"));
        validation.UseFastInvariants = false;
        Phase("ValidateInput, invariant shortcuts off", seconds, () => validation.ValidateInput(bundle, "Bundle"));
        validation.UseFastInvariants = true;
        Phase("  Validate(Bundle), base spec", seconds, () => validation.Validate(bundle));
        Phase("  Validate(Observation, profile) x" + observations.Count, seconds, () =>
        {
            foreach (var (o, p) in observations)
            {
                validation.Validate(o, p);
            }
        });
        foreach (var entry in bundle.Entry)
        {
            var r = entry.Resource;
            var label = r is null ? "(none)" : r is Observation o && FhirValidation.InputProfile(o) is { } p ? $"{r.TypeName} {p[(p.LastIndexOf('/') + 1)..]}" : r.TypeName + " (base)";
            Phase("  alone: " + label, seconds / 3, () => validation.Validate(r!, r is Observation ob ? FhirValidation.InputProfile(ob) : null));
        }

        validation.ResultCacheSize = FhirValidation.DefaultResultCacheSize;
        Phase("ValidateInput, result cache on, Bundle seen before", seconds, () => validation.ValidateInput(bundle, "Bundle"));
        Phase("  of which: SHA-256 of the Bundle's JSON", seconds, () => FhirSerialization.JsonSha256(bundle));
        validation.ResultCacheSize = 0;
    }

    // Samples the runtime's allocation ticks while the action runs in a loop for the given time, and prints the types
    // that take the most (and, for validation, the rough kinds of object).
    private static void Allocations(string label, double seconds, int top, Action run, bool byKind = false)
    {
        using var listener = new AllocationListener();
        var sw = Stopwatch.StartNew();
        var n = 0;
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            run();
            n++;
        }

        listener.Dispose();
        var total = Math.Max(1, listener.Bytes.Values.Sum());
        Console.WriteLine($"allocation sample over {n} {label}: {total / 1024.0 / n:F0} KB/op sampled; top types:");
        foreach (var (type, bytes) in listener.Bytes.OrderByDescending(kv => kv.Value).Take(top))
        {
            Console.WriteLine($"  {100.0 * bytes / total,5:F1} %  {bytes / 1024.0 / n,8:F1} KB/op  {type}");
        }

        if (!byKind)
        {
            return;
        }

        Console.WriteLine("by kind (first matching rule wins):");
        foreach (var (kind, bytes) in listener.Bytes.GroupBy(kv => Kind(kv.Key), kv => kv.Value).Select(g => (g.Key, g.Sum())).OrderByDescending(g => g.Item2))
        {
            Console.WriteLine($"  {100.0 * bytes / total,5:F1} %  {bytes / 1024.0 / n,8:F1} KB/op  {kind}");
        }
    }

    // Rough kinds of allocation, by type name: LINQ and closures first, since their type arguments name the rest.
    private static string Kind(string type) =>
        type switch
        {
            _ when type.Contains("Iterator", StringComparison.Ordinal) || type.Contains("Enumerator", StringComparison.Ordinal)
                || type.StartsWith("System.Func", StringComparison.Ordinal) || type.StartsWith("System.Predicate", StringComparison.Ordinal)
                || type.Contains("<>c__DisplayClass", StringComparison.Ordinal) => "LINQ iterators, enumerators, delegates and closures",
            _ when type.Contains("FhirPath", StringComparison.Ordinal) || type.Contains("Invokee", StringComparison.Ordinal) || type.Contains("Closure", StringComparison.Ordinal)
                => "FhirPath evaluation (invariants)",
            _ when type.Contains("PocoNode", StringComparison.Ordinal) || type.Contains("PrimitiveNode", StringComparison.Ordinal)
                || type.Contains("ElementNode", StringComparison.Ordinal) || type.Contains("ScopedNode", StringComparison.Ordinal)
                => "element model over the POCOs (PocoNode children, their dictionaries)",
            _ when type.Contains("Firely.Fhir.Validation", StringComparison.Ordinal) || type.Contains("LocationState", StringComparison.Ordinal)
                || type.Contains("GlobalState", StringComparison.Ordinal) || type.Contains("ValidationRun", StringComparison.Ordinal)
                => "validator state and results (ResultReport, ValidationState, paths, run log)",
            "System.String" => "strings",
            _ => "other (arrays, lists, dictionaries of other types)",
        };

    private static void Phase(string label, double seconds, Action run)
    {
        // Warm-up, not counted: the first runs of a phase pay for its JIT compilation and tier-up, whose background
        // threads would otherwise be counted in the process's CPU time.
        var warm = Stopwatch.StartNew();
        do
        {
            run();
        }
        while (warm.Elapsed.TotalSeconds < Math.Min(0.5, seconds / 4));

        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var alloc0 = GC.GetAllocatedBytesForCurrentThread();
        var gc0 = GC.CollectionCount(0);
        var items0 = ThreadPool.CompletedWorkItemCount;
        var sw = Stopwatch.StartNew();
        var n = 0;
        while (sw.Elapsed.TotalSeconds < seconds || n < 5)
        {
            run();
            n++;
        }

        process.Refresh();
        Console.WriteLine($"{label,-48} cpu {(process.TotalProcessorTime - cpu0).TotalMilliseconds / n,8:F3} ms/op  alloc {(GC.GetAllocatedBytesForCurrentThread() - alloc0) / 1024.0 / n,8:F1} KB/op  gen0 GCs/op {(GC.CollectionCount(0) - gc0) / (double)n:F2}  thread-pool items/op {(ThreadPool.CompletedWorkItemCount - items0) / (double)n:F1}");
    }

    private sealed class AllocationListener : EventListener
    {
        public Dictionary<string, long> Bytes { get; } = [];

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: GCAllocationTick at verbose level
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true && e.Payload is { } payload)
            {
                var type = (string?)payload[e.PayloadNames!.IndexOf("TypeName")] ?? "?";
                var amount = Convert.ToInt64(payload[e.PayloadNames!.IndexOf("AllocationAmount64")], System.Globalization.CultureInfo.InvariantCulture);
                lock (Bytes)
                {
                    Bytes[type] = Bytes.GetValueOrDefault(type) + amount;
                }
            }
        }
    }
}
