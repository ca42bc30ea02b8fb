using System.Text.Json.Serialization;

namespace BoneMetRT.Api.Features.CdsHooks;

/// <summary>Discovery answer (CDS Hooks 2.0 §Discovery).</summary>
/// <param name="Services">The services.</param>
public sealed record CdsDiscovery([property: JsonPropertyName("services")] IReadOnlyList<CdsServiceDescription> Services);
