using BenchmarkDotNet.Attributes;
using BoneMetRT.Domain;
using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Pipeline;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.Model;

namespace BoneMetRT.Benchmarks;

/// <summary>What one in-process request costs, as the service runs it (bytes in, bytes out).</summary>
public sealed class AssessWork
{
    // A fixed clock: the answer carries the time it was made (Provenance.recorded, Bundle.timestamp), and the smoke run
    // checks that the same request gives the same bytes; reading a clock costs the same either way.
    private readonly AssessPipeline _pipeline = new(FhirValidation.Default, EngineSettings.Default, new FixedTime());
    private static readonly AssessOptions NoValidation = new(Validate: false);
    private static readonly AssessOptions WithValidation = new(Validate: true);

    /// <summary>(a) The floor: Firely parse of the body and serialization of what was parsed.</summary>
    public static byte[] ParseSerialize(byte[] body) => FhirSerialization.Serialize(Parse(body), FhirFormat.Json);

    /// <summary>The parse alone, (a) without its serialization.</summary>
    public static byte[] ParseOnly(byte[] body) => Parse(body) is null ? [] : body;

    /// <summary>(b) without the answer's serialization.</summary>
    public byte[] AssessUnserialized(byte[] body) => _pipeline.Assess(Parse(body), NoValidation).IsSuccess ? body : [];

    /// <summary>(b)/(c) parse, $assess, serialize the answer; throws unless the answer is a 200.</summary>
    public byte[] Assess(byte[] body, bool validate)
    {
        var result = _pipeline.Assess(Parse(body), validate ? WithValidation : NoValidation);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"$assess answered {result.Kind}: {string.Join("; ", result.Issues.Select(i => i.Text.En))}");
        }

        return FhirSerialization.Serialize(result.Value, FhirFormat.Json);
    }

    private static Resource Parse(byte[] body)
    {
        var parsed = FhirSerialization.Parse(body, FhirFormat.Json);
        return parsed.Value ?? throw new InvalidOperationException(string.Join("; ", parsed.Issues.Select(i => i.Text.En)));
    }
}

/// <summary>(a) floor, (b) $assess without validation, (c) with validation, for the small and the large Bundle.</summary>
[MemoryDiagnoser]
public class AssessBenchmarks
{
    private readonly AssessWork _work = new();
    private byte[] _body = [];

    /// <summary>small: 8 resources; large: 500 resources.</summary>
    [Params("small", "large")]
    public string Bundle { get; set; } = "small";

    /// <summary>
    /// The validation result cache: on (the default; the same body every time, so (c) finds its runs in the cache) or
    /// off (every run validated). Bodies that are new every time are measured by <c>--quick</c>, which makes them
    /// outside the measurement.
    /// </summary>
    [Params("on", "off")]
    public string Cache { get; set; } = "on";

    /// <summary>Loads the body and warms the pipeline (first validation loads the definitions).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _body = Bundle == "small" ? BenchData.Small() : BenchData.Large();
        FhirValidation.Default.ResultCacheSize = Cache == "on" ? FhirValidation.DefaultResultCacheSize : 0;
        _work.Assess(_body, validate: true);
    }

    /// <summary>(a) Firely parse + serialize of the input.</summary>
    [Benchmark(Baseline = true, Description = "a: parse+serialize")]
    public byte[] Floor() => AssessWork.ParseSerialize(_body);

    /// <summary>(b) parse → $assess without validation → serialize.</summary>
    [Benchmark(Description = "b: assess, no validation")]
    public byte[] AssessNoValidation() => _work.Assess(_body, validate: false);

    /// <summary>(c) parse → validation → $assess → serialize.</summary>
    [Benchmark(Description = "c: assess + validation")]
    public byte[] AssessValidated() => _work.Assess(_body, validate: true);
}

/// <summary>A clock stopped at 2026-03-16T12:00Z (the examples' assessment date), for reproducible answers.</summary>
internal sealed class FixedTime : TimeProvider
{
    private static readonly DateTimeOffset Now = new(2026, 3, 16, 12, 0, 0, TimeSpan.Zero);

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => Now;
}
