using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BoneMetRT.Api.Features.CdsHooks;

/// <summary>A hook call (CDS Hooks 2.0 §Calling a CDS Service). Context and prefetch stay JSON: their content depends on the hook.</summary>
public sealed class CdsRequest
{
    /// <summary>The hook.</summary>
    [JsonPropertyName("hook")]
    public string? Hook { get; set; }

    /// <summary>Id of this call.</summary>
    [JsonPropertyName("hookInstance")]
    public string? HookInstance { get; set; }

    /// <summary>Base URL of the client's FHIR server.</summary>
    [JsonPropertyName("fhirServer")]
    public string? FhirServer { get; set; }

    /// <summary>Token to read from <see cref="FhirServer"/>.</summary>
    [JsonPropertyName("fhirAuthorization")]
    public CdsFhirAuthorization? FhirAuthorization { get; set; }

    /// <summary>Hook context.</summary>
    [JsonPropertyName("context")]
    public JsonObject? Context { get; set; }

    /// <summary>Prefetched data by key (a FHIR resource or null each).</summary>
    [JsonPropertyName("prefetch")]
    public JsonObject? Prefetch { get; set; }
}
