using System.Diagnostics;
using System.Runtime.InteropServices;
using BoneMetRT.Fhir;

namespace BoneMetRT.Benchmarks;

/// <summary>
/// <c>--side SECONDS [FILTER]</c>: (a) and (b) measured interleaved, batch after batch, in one process, so that the
/// load other processes put on a shared machine falls on every case alike and the ratios b/a hold up when absolute
/// times swing. Cases: small and large Bundle, bodies repeated or fresh, (a) parse + serialize with our JSON parse and
/// writer and with Firely's alone (<see cref="FhirSerialization.FastParse"/> and <see cref="FhirSerialization.FastJson"/>
/// off: Firely's own floor, the a), (p) the parse alone three ways (ours; Firely's deserializer without its
/// validator and our checks, as before <see cref="FhirJsonReader"/>; Firely's own), (b) $assess without validation,
/// (b) with Firely's deserializer and our checks, (b) with Firely's parse and serializer (what our JSON code saves in
/// (b)), and (c) $assess with validation as the service runs it (result and shape caches on); bodies also fresh with new
/// texts (<see cref="BenchData.FreshTexts"/>) and of a new shape (<see cref="BenchData.NewShape"/>). Besides wall time
/// and the process's CPU time, the measuring thread's own CPU time (Linux CLOCK_THREAD_CPUTIME_ID), which neither the
/// other processes' load nor the runtime's background threads (tiered JIT) add to: the steadiest of the three.
/// </summary>
public static class SideBySide
{
    private sealed record Case(string Name, bool FirelyJson, bool NoReader, Func<byte[], byte[]> Run, Func<byte[]> Next)
    {
        public List<double> Walls { get; } = [];
        public TimeSpan Cpu { get; set; }
        public double ThreadCpuMs { get; set; }
        public long Alloc { get; set; }
    }

    /// <summary>Runs the selected cases round-robin for about <paramref name="seconds"/> after a warm-up, and prints the figures and ratios.</summary>
    public static int Run(double seconds, string filter)
    {
        var work = new AssessWork();
        var serial = new System.Runtime.CompilerServices.StrongBox<int>(0x30000000); // fresh bodies never repeat within the process
        var cases = new List<Case>();
        foreach (var (size, original) in new[] { ("small", BenchData.Small()), ("large", BenchData.Large()) })
        {
            foreach (var bodies in BenchData.BodyKinds)
            {
                var next = BenchData.Bodies(bodies, original, serial);
                foreach (var (label, firely, noReader, run) in new (string, bool, bool, Func<byte[], byte[]>)[]
                         {
                             ("a: parse+serialize", false, false, AssessWork.ParseSerialize),
                             ("p: parse", false, false, AssessWork.ParseOnly),
                             ("p: parse, Firely's deserializer + checks", false, true, AssessWork.ParseOnly),
                             ("p: parse, Firely", true, false, AssessWork.ParseOnly),
                             ("q: assess, no validation, not serialized", false, false, b => work.AssessUnserialized(b)),
                             ("a: parse+serialize, Firely", true, false, AssessWork.ParseSerialize),
                             ("b: assess, no validation", false, false, b => work.Assess(b, validate: false)),
                             ("b: assess, no validation, Firely's deserializer + checks", false, true, b => work.Assess(b, validate: false)),
                             ("b: assess, no validation, Firely JSON", true, false, b => work.Assess(b, validate: false)),
                             ("c: assess + validation", false, false, b => work.Assess(b, validate: true)),
                         })
                {
                    var name = $"{size} {bodies} {label}";
                    if (filter.Split('|').Any(f => name.Contains(f, StringComparison.Ordinal)))
                    {
                        cases.Add(new Case(name, firely, noReader, run, next));
                    }
                }
            }
        }

        var process = Process.GetCurrentProcess();
        var clock = Stopwatch.StartNew();
        var warmUp = Math.Min(3, seconds / 3); // JIT and tier-up of every case first; not counted
        while (clock.Elapsed.TotalSeconds < seconds + warmUp)
        {
            var counted = clock.Elapsed.TotalSeconds >= warmUp;
            foreach (var c in cases)
            {
                var batch = Enumerable.Range(0, c.Name.StartsWith("large", StringComparison.Ordinal) ? 2 : 8).Select(_ => c.Next()).ToArray();
                FhirSerialization.FastJson = FhirSerialization.FastParse = !c.FirelyJson;
                FhirSerialization.FastRead = !c.NoReader;
                process.Refresh();
                var cpu0 = process.TotalProcessorTime;
                var thread0 = ThreadCpuMs();
                var alloc0 = GC.GetAllocatedBytesForCurrentThread();
                var walls = new double[batch.Length];
                for (var i = 0; i < batch.Length; i++)
                {
                    var sw = Stopwatch.StartNew();
                    c.Run(batch[i]);
                    walls[i] = sw.Elapsed.TotalMilliseconds;
                }

                var thread1 = ThreadCpuMs();
                process.Refresh();
                FhirSerialization.FastJson = FhirSerialization.FastParse = FhirSerialization.FastRead = true;
                if (counted)
                {
                    c.Cpu += process.TotalProcessorTime - cpu0;
                    c.ThreadCpuMs += thread1 - thread0;
                    c.Alloc += GC.GetAllocatedBytesForCurrentThread() - alloc0;
                    c.Walls.AddRange(walls);
                }
            }
        }

        foreach (var c in cases)
        {
            c.Walls.Sort();
            Console.WriteLine($"side {c.Name,-60} median {Median(c):F3} ms  cpu {c.Cpu.TotalMilliseconds / c.Walls.Count,8:F3} ms/op  thread cpu {Thread(c),7:F3} ms/op  alloc {c.Alloc / 1024.0 / c.Walls.Count,8:F1} KB/op  ({c.Walls.Count} ops)");
        }

        Console.WriteLine();
        Console.WriteLine("ratios to a (same size, same bodies) by median wall time, process CPU and thread CPU per op; a = with our JSON parse and writer, aF = Firely's parse and serializer alone (the issue's floor):");
        foreach (var c in cases.Where(c => !c.Name.Contains(" a: ", StringComparison.Ordinal)))
        {
            var prefix = string.Join(' ', c.Name.Split(' ', 3)[..2]); // size and bodies
            var a = cases.FirstOrDefault(x => x.Name == prefix + " a: parse+serialize");
            var aF = cases.FirstOrDefault(x => x.Name == prefix + " a: parse+serialize, Firely");
            var text = $"  {c.Name,-60}";
            if (a is not null)
            {
                text += $" /a: wall {Median(c) / Median(a),5:F2} cpu {Cpu(c) / Cpu(a),5:F2} thread {Thread(c) / Thread(a),5:F2}";
            }

            if (aF is not null)
            {
                text += $"   /aF: wall {Median(c) / Median(aF),5:F2} cpu {Cpu(c) / Cpu(aF),5:F2} thread {Thread(c) / Thread(aF),5:F2}";
            }

            Console.WriteLine(text);
        }

        return 0;
    }

    private static double Median(Case c) => c.Walls[c.Walls.Count / 2];

    private static double Cpu(Case c) => c.Cpu.TotalMilliseconds / c.Walls.Count;

    private static double Thread(Case c) => c.ThreadCpuMs / c.Walls.Count;

    // CPU time of the calling thread, in milliseconds (0 where clock_gettime is not available).
    private static double ThreadCpuMs()
    {
        try
        {
            return ClockGetTime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var t) == 0 ? t.Seconds * 1e3 + t.Nanoseconds / 1e6 : 0;
        }
        catch (DllNotFoundException)
        {
            return 0;
        }
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
