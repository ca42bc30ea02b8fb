using System.Text.Json;
using System.Text.Json.Serialization;

namespace BoneMetRT.Api.Features.CdsHooks;

/// <summary>JSON settings of the CDS Hooks wire format.</summary>
public static class CdsJson
{
    /// <summary>
    /// Options: camelCase names as declared, nulls left out; the contracts are generated at build time
    /// (<see cref="CdsJsonContext"/>), so the native AOT build reads and writes hooks as the JIT build does.
    /// </summary>
    public static JsonSerializerOptions Options => CdsJsonContext.Default.Options;
}

/// <summary>
/// The CDS Hooks messages the service reads (calls, feedback) and writes (discovery, cards), with their serializers
/// generated at build time.
/// </summary>
/// <remarks>
/// System.Text.Json's reflection-based serializer fails under native AOT on these records (a 500 on every hook call,
/// found by bench/aot.sh); a generated context serves both builds, and a type not listed here fails at once in the
/// tests instead of falling back to reflection.
/// </remarks>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CdsRequest))]
[JsonSerializable(typeof(CdsFeedbackRequest))]
[JsonSerializable(typeof(CdsDiscovery))]
[JsonSerializable(typeof(CdsResponse))]
public sealed partial class CdsJsonContext : JsonSerializerContext;
