using System.Diagnostics;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BoneMetRT.Benchmarks;
using BoneMetRT.Fhir.Validation;

// bench/BoneMetRT.Benchmarks:
//   (no argument or BenchmarkDotNet arguments)  the BenchmarkDotNet run (AssessBenchmarks), see bench/BENCHMARKS.md
//   --smoke                                     a few plain iterations of every case: checks they compile, run and answer 200
//   --quick [SECONDS [FILTER]]                  per case whose 'size bodies label' contains FILTER (e.g. "small fresh"; "a|b": either): median wall time,
//                                               process CPU time and allocations per op, then the ratios to a; bodies repeated or fresh
//                                               (every resource with new ids and values per op), fresh with new texts too
//                                               ("freshtexts": every CodeableConcept text and note), with new codes too ("freshcodes": a
//                                               local coding with a new code in every bodySite) or of a new shape ("newshape":
//                                               that coding with a new version too, which a shape keeps),
//                                               validation cache off and on (with and without the shape cache), the C#
//                                               shortcuts of the core invariants off and on (cache off), side by side
//                                               (CPU time stays meaningful when other processes share the machine)
//   --side [SECONDS [FILTER]]                   (a), (b) and (c) interleaved batch by batch in one process (ratios that hold up on a
//                                               shared machine), with our JSON writer and with Firely's serializer; FILTER as --quick
//   --profile [SECONDS]                         where the time and allocations of validating the small Bundle go (phases, types)
//   --profile SECONDS b                         the same, only the steps of (b) without validation
//   --loop STEP SECONDS                         one step of (a) or (b) alone in a loop (a, b, normalize, hashes, denormalize, serialize-answer…), for dotnet-trace
//   --write-bundle small|large FILE             writes the request's data Bundle alone (bench/peer/compare.sh)
//   --validate FILE SECONDS                     times our validation of the Bundle in FILE: cache off, and on Bundles made
//                                               fresh from it (bench/peer/compare.sh)
//   --write-data DIR                            writes large.json (the generated 500-resource request) into DIR
if (args.Length > 0 && args[0] == "--smoke")
{
    return Smoke();
}

if (args.Length > 0 && args[0] == "--quick")
{
    return Quick(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3, args.Length > 2 ? args[2] : "");
}

if (args.Length > 0 && args[0] == "--side")
{
    return SideBySide.Run(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10, args.Length > 2 ? args[2] : "small");
}

if (args.Length > 0 && args[0] == "--profile")
{
    return Profile.Run(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3, args.Length > 2 ? args[2] : "");
}

if (args.Length == 3 && args[0] == "--loop")
{
    return Profile.Loop(args[1], double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
}

if (args.Length == 3 && args[0] == "--write-bundle")
{
    return PeerModes.WriteBundle(args[1], args[2]);
}

if (args.Length == 3 && args[0] == "--validate")
{
    return PeerModes.Validate(args[1], double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
}

if (args.Length == 2 && args[0] == "--write-data")
{
    Directory.CreateDirectory(args[1]);
    File.WriteAllBytes(Path.Combine(args[1], "large.json"), BenchData.Large());
    Console.WriteLine($"wrote {Path.Combine(args[1], "large.json")}");
    return 0;
}

var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithMinIterationCount(10).WithMaxIterationCount(40))
    .AddColumn(StatisticColumn.Median, StatisticColumn.P95)
    .WithOptions(ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromAssembly(typeof(AssessBenchmarks).Assembly).Run(args, config);
return 0;

static int Quick(double seconds, string filter)
{
    // Every case runs in this one process, one after the other, so that the ratios compare like with like on a shared
    // machine. Per case: the bodies are made before each batch of runs, outside the measurement; wall time per run
    // (median), the process's CPU time and this thread's allocations are summed over the runs only.
    var work = new AssessWork();
    var validation = FhirValidation.Default;
    var results = new Dictionary<string, (double Median, double Cpu, double Alloc)>();
    var serial = new System.Runtime.CompilerServices.StrongBox<int>(0x10000000); // fresh bodies never repeat within the process, nor equal the originals (variant 1)
    foreach (var (size, original) in new[] { ("small", BenchData.Small()), ("large", BenchData.Large()) })
    {
        foreach (var bodies in BenchData.BodyKinds)
        {
            var next = BenchData.Bodies(bodies, original, serial);
            foreach (var (label, cache, shortcuts, shapes, run) in new (string, int, bool, bool, Func<byte[], byte[]>)[]
                     {
                         ("a: parse+serialize", 0, true, true, AssessWork.ParseSerialize),
                         ("b: assess, no validation", 0, true, true, b => work.Assess(b, validate: false)),
                         ("c: assess + validation, cache off, no shortcuts", 0, false, true, b => work.Assess(b, validate: true)),
                         ("c: assess + validation, cache off", 0, true, true, b => work.Assess(b, validate: true)),
                         ("c: assess + validation, cache on, no shapes", FhirValidation.DefaultResultCacheSize, true, false, b => work.Assess(b, validate: true)),
                         ("c: assess + validation, cache on", FhirValidation.DefaultResultCacheSize, true, true, b => work.Assess(b, validate: true)),
                     })
            {
                var name = $"{size} {bodies} {label}";
                if (!filter.Split('|').Any(f => name.Contains(f, StringComparison.Ordinal)))
                {
                    continue;
                }

                validation.ResultCacheSize = cache; // a new, empty cache for each case that has one
                validation.UseFastInvariants = shortcuts; // "no shortcuts": every core invariant as Firely's FHIRPath
                validation.UseShapeCache = shapes; // "no shapes": the result cache by exact content only
                results[name] = Measure(seconds, next, run);
                var (median, cpu, alloc) = results[name];
                Console.WriteLine($"quick {name,-52} median {median,8:F3} ms  cpu {cpu,8:F3} ms/op  alloc {alloc,9:F1} KB/op");
            }
        }
    }

    validation.ResultCacheSize = FhirValidation.DefaultResultCacheSize;
    validation.UseFastInvariants = true;
    validation.UseShapeCache = true;
    Console.WriteLine();
    Console.WriteLine("ratios to a (same size, same bodies), by median wall time and by CPU time per op:");
    foreach (var (name, (median, cpu, _)) in results)
    {
        var words = name.Split(' ');
        var a = $"{words[0]} {words[1]} a: parse+serialize";
        if (results.TryGetValue(a, out var floor) && name != a)
        {
            Console.WriteLine($"  {name,-52} wall {median / floor.Median,6:F2}  cpu {cpu / floor.Cpu,6:F2}");
        }
    }

    return 0;
}

static (double Median, double Cpu, double Alloc) Measure(double seconds, Func<byte[]> next, Func<byte[], byte[]> run)
{
    var process = Process.GetCurrentProcess();
    var walls = new List<double>();
    TimeSpan cpu = default;
    long alloc = 0;
    var total = Stopwatch.StartNew();
    var warm = true; // the first second's runs settle tiered compilation and fill the caches; they are not counted
    while (warm || total.Elapsed.TotalSeconds < seconds + 1 || walls.Count < 5)
    {
        if (warm && total.Elapsed.TotalSeconds >= 1)
        {
            warm = false;
        }

        var batch = Enumerable.Range(0, 16).Select(_ => next()).ToArray();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var alloc0 = GC.GetAllocatedBytesForCurrentThread();
        var times = new double[batch.Length];
        for (var i = 0; i < batch.Length; i++)
        {
            var sw = Stopwatch.StartNew();
            run(batch[i]);
            times[i] = sw.Elapsed.TotalMilliseconds;
        }

        process.Refresh();
        if (!warm)
        {
            cpu += process.TotalProcessorTime - cpu0;
            alloc += GC.GetAllocatedBytesForCurrentThread() - alloc0;
            walls.AddRange(times);
        }
    }

    walls.Sort();
    return (walls[walls.Count / 2], cpu.TotalMilliseconds / walls.Count, alloc / 1024.0 / walls.Count);
}

static int Smoke()
{
    var work = new AssessWork();
    var failures = 0;
    foreach (var (name, body) in new[] { ("small", BenchData.Small()), ("large", BenchData.Large()) })
    {
        foreach (var (label, run) in new (string, Func<byte[]>)[]
                 {
                     ("a: parse+serialize", () => AssessWork.ParseSerialize(body)),
                     ("b: assess, no validation", () => work.Assess(body, validate: false)),
                     ("c: assess + validation", () => work.Assess(body, validate: true)),
                 })
        {
            try
            {
                var first = run();
                var sw = Stopwatch.StartNew();
                const int n = 5;
                for (var i = 0; i < n; i++)
                {
                    if (!run().AsSpan().SequenceEqual(first))
                    {
                        throw new InvalidOperationException("the answer changed between two runs of the same request");
                    }
                }

                Console.WriteLine($"smoke {name,-5} {label,-26} ok  {sw.Elapsed.TotalMilliseconds / n,8:F2} ms/op  ({body.Length} bytes in, {first.Length} out)");
            }
            catch (Exception e)
            {
                failures++;
                Console.WriteLine($"smoke {name,-5} {label,-26} FAILED: {e.Message}");
            }
        }
    }

    // A body made new (other ids and values) must still answer 200 (Assess throws otherwise), the cache on and off.
    foreach (var cache in new[] { FhirValidation.DefaultResultCacheSize, 0 })
    {
        try
        {
            FhirValidation.Default.ResultCacheSize = cache;
            for (var i = 0; i < 3; i++)
            {
                work.Assess(BenchData.Fresh(BenchData.Small(), 0x20000000 + i), validate: true);
            }

            Console.WriteLine($"smoke small fresh c: assess + validation, cache {(cache > 0 ? "on " : "off")} ok");
        }
        catch (Exception e)
        {
            failures++;
            Console.WriteLine($"smoke small fresh c, cache {(cache > 0 ? "on" : "off")}: FAILED: {e.Message}");
        }
    }

    // Bodies with new texts, or new texts and codes, or declaring profiles the service does not know, answer 200 and are answered by shape (every run: the Bundle's and the profile runs) once one
    // of them was validated; bodies of a new shape answer 200, and the Bundle's run goes to Firely every time (the
    // profile runs of the bonemet Observations, whose shapes do not change, are still answered by shape), else the
    // newshape figures would not measure Firely.
    FhirValidation.Default.ResultCacheSize = FhirValidation.DefaultResultCacheSize;
    var textHits = -1L;
    foreach (var (label, make) in new (string, Func<byte[], int, byte[]>)[] { ("freshtexts", BenchData.FreshTexts), ("freshcodes", BenchData.FreshCodes), ("declared", BenchData.Declared), ("newshape", BenchData.NewShape) })
    {
        try
        {
            work.Assess(make(BenchData.Small(), 0x21000000), validate: true);
            var (before, (_, missesBefore)) = (FhirValidation.Default.ShapeCacheHits, FhirValidation.Default.ResultCacheStatistics);
            for (var i = 1; i <= 3; i++)
            {
                work.Assess(make(BenchData.Small(), 0x21000000 + i), validate: true);
            }

            var hits = FhirValidation.Default.ShapeCacheHits - before;
            var validated = FhirValidation.Default.ResultCacheStatistics.Misses - missesBefore;
            if (label != "newshape" ? hits == 0 || validated > 0 : hits >= textHits || validated < 3)
            {
                throw new InvalidOperationException($"{hits} runs answered by shape, {validated} result-cache misses");
            }

            textHits = hits;
            Console.WriteLine($"smoke small {label} c: assess + validation ok, {hits} runs answered by shape, {validated} result-cache misses");
        }
        catch (Exception e)
        {
            failures++;
            Console.WriteLine($"smoke small {label} c: FAILED: {e.Message}");
        }
    }

    // Every case ran on answers that share their translations: none may have been changed.
    if (!BoneMetRT.Fhir.FhirJsonWriter.FrozenUnchanged())
    {
        failures++;
        Console.WriteLine("smoke: a shared element (translation, note, concept or meta) was changed");
    }

    Console.WriteLine(failures == 0 ? "bench smoke: all cases ran" : $"bench smoke: {failures} case(s) failed");
    return failures == 0 ? 0 : 1;
}
