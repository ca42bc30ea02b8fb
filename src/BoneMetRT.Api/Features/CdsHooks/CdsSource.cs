using System.Text.Json.Serialization;

namespace BoneMetRT.Api.Features.CdsHooks;

/// <summary>Source of a card.</summary>
/// <param name="Label">Short label.</param>
/// <param name="Url">More about the source.</param>
public sealed record CdsSource([property: JsonPropertyName("label")] string Label, [property: JsonPropertyName("url")] string? Url);
