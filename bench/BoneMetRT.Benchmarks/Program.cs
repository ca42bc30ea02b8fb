using System.Diagnostics;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BoneMetRT.Benchmarks;

// bench/BoneMetRT.Benchmarks:
//   (no argument or BenchmarkDotNet arguments)  the BenchmarkDotNet run (AssessBenchmarks), see BENCHMARKS.md
//   --smoke                                     a few plain iterations of every case: checks they compile, run and answer 200
//   --quick [SECONDS [FILTER]]                  per case whose 'name label' contains FILTER: median wall time, process CPU time and allocations per op
//                                               (CPU time stays meaningful when other processes share the machine)
//   --profile [SECONDS]                         where the time and allocations of validating the small Bundle go (phases, types)
//   --write-data DIR                            writes large.json (the generated 500-resource request) into DIR
if (args.Length > 0 && args[0] == "--smoke")
{
    return Smoke();
}

if (args.Length > 0 && args[0] == "--quick")
{
    return Quick(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3, args.Length > 2 ? args[2] : "");
}

if (args.Length > 0 && args[0] == "--profile")
{
    return Profile.Run(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3);
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

static (string Name, string Label, Func<byte[]> Run)[] Cases(AssessWork work, string name, byte[] body) =>
[
    (name, "a: parse+serialize", () => AssessWork.ParseSerialize(body)),
    (name, "b: assess, no validation", () => work.Assess(body, validate: false)),
    (name, "c: assess + validation", () => work.Assess(body, validate: true)),
];

static int Quick(double seconds, string filter)
{
    var work = new AssessWork();
    var process = Process.GetCurrentProcess();
    foreach (var (name, label, run) in Cases(work, "small", BenchData.Small()).Concat(Cases(work, "large", BenchData.Large())))
    {
        if (!$"{name} {label}".Contains(filter, StringComparison.Ordinal))
        {
            continue;
        }

        // Warm-up: a second's worth of runs, so tiered compilation has settled.
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < 1)
        {
            run();
        }

        var walls = new List<double>();
        var cpu0 = process.TotalProcessorTime;
        var alloc0 = GC.GetTotalAllocatedBytes(precise: false);
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds || walls.Count < 5)
        {
            var sw = Stopwatch.StartNew();
            run();
            walls.Add(sw.Elapsed.TotalMilliseconds);
        }

        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalMilliseconds / walls.Count;
        var alloc = (GC.GetTotalAllocatedBytes(precise: false) - alloc0) / 1024.0 / walls.Count;
        walls.Sort();
        Console.WriteLine($"quick {name,-5} {label,-26} n={walls.Count,6}  median {walls[walls.Count / 2],8:F3} ms  cpu {cpu,8:F3} ms/op  alloc {alloc,10:F1} KB/op");
    }

    return 0;
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

    Console.WriteLine(failures == 0 ? "bench smoke: all cases ran" : $"bench smoke: {failures} case(s) failed");
    return failures == 0 ? 0 : 1;
}
