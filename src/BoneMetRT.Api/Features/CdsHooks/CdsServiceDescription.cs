using System.Text.Json.Serialization;

namespace BoneMetRT.Api.Features.CdsHooks;

/// <summary>One CDS service in the discovery answer.</summary>
/// <param name="Hook">The hook it answers.</param>
/// <param name="Title">Human-friendly name.</param>
/// <param name="Description">What it does.</param>
/// <param name="Id">Its id, the last segment of its URL.</param>
/// <param name="Prefetch">Prefetch templates by key.</param>
/// <param name="UsageRequirements">What the client must do to use it.</param>
public sealed record CdsServiceDescription(
    [property: JsonPropertyName("hook")] string Hook,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("prefetch")] IReadOnlyDictionary<string, string> Prefetch,
    [property: JsonPropertyName("usageRequirements")] string UsageRequirements);
