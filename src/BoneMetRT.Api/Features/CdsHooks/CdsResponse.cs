using System.Text.Json.Serialization;

namespace BoneMetRT.Api.Features.CdsHooks;

/// <summary>A hook's answer.</summary>
/// <param name="Cards">Cards, possibly none.</param>
public sealed record CdsResponse([property: JsonPropertyName("cards")] IReadOnlyList<CdsCard> Cards);
