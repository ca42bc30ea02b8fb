using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BoneMetRT.Api.Features.CdsHooks;

/// <summary>An action: <c>create</c> or <c>update</c> a FHIR resource.</summary>
/// <param name="Type"><c>create</c>, <c>update</c> or <c>delete</c>.</param>
/// <param name="Description">What it does.</param>
/// <param name="Resource">The FHIR resource, as JSON.</param>
public sealed record CdsAction(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("resource")] JsonNode Resource);
