using System.Text.Json.Serialization;

namespace BoneMetRT.Api.Features.CdsHooks;

/// <summary>A link.</summary>
/// <param name="Label">Text.</param>
/// <param name="Url">Address (for a SMART link, the app's launch URL).</param>
/// <param name="Type"><c>absolute</c> or <c>smart</c>.</param>
public sealed record CdsLink(
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("type")] string Type);
