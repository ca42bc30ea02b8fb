using System.Text.Json.Serialization;

namespace BoneMetRT.Api.Features.CdsHooks;

/// <summary>A suggestion.</summary>
/// <param name="Label">What it does.</param>
/// <param name="Uuid">Id, reported in feedback.</param>
/// <param name="IsRecommended">The recommended one.</param>
/// <param name="Actions">Its actions.</param>
public sealed record CdsSuggestion(
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("uuid")] string Uuid,
    [property: JsonPropertyName("isRecommended")] bool IsRecommended,
    [property: JsonPropertyName("actions")] IReadOnlyList<CdsAction> Actions);
