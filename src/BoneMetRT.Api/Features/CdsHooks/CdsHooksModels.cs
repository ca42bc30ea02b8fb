using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BoneMetRT.Api.Features.CdsHooks;

/// <summary>Discovery answer (CDS Hooks 2.0 §Discovery).</summary>
/// <param name="Services">The services.</param>
public sealed record CdsDiscovery([property: JsonPropertyName("services")] IReadOnlyList<CdsServiceDescription> Services);

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

/// <summary>The OAuth 2.0 token the client gives for its FHIR server.</summary>
public sealed class CdsFhirAuthorization
{
    /// <summary>The access token.</summary>
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    /// <summary>Always <c>Bearer</c>.</summary>
    [JsonPropertyName("token_type")]
    public string? TokenType { get; set; }

    /// <summary>Granted scopes.</summary>
    [JsonPropertyName("scope")]
    public string? Scope { get; set; }

    /// <summary>The OAuth client id of the service.</summary>
    [JsonPropertyName("subject")]
    public string? Subject { get; set; }
}

/// <summary>A hook's answer.</summary>
/// <param name="Cards">Cards, possibly none.</param>
public sealed record CdsResponse([property: JsonPropertyName("cards")] IReadOnlyList<CdsCard> Cards);

/// <summary>A card.</summary>
public sealed record CdsCard
{
    /// <summary>Id, for feedback.</summary>
    [JsonPropertyName("uuid")]
    public required string Uuid { get; init; }

    /// <summary>One line, under 140 characters.</summary>
    [JsonPropertyName("summary")]
    public required string Summary { get; init; }

    /// <summary>Markdown.</summary>
    [JsonPropertyName("detail")]
    public string? Detail { get; init; }

    /// <summary><c>info</c>, <c>warning</c> or <c>critical</c>.</summary>
    [JsonPropertyName("indicator")]
    public required string Indicator { get; init; }

    /// <summary>Where the advice comes from.</summary>
    [JsonPropertyName("source")]
    public required CdsSource Source { get; init; }

    /// <summary>Actions offered.</summary>
    [JsonPropertyName("suggestions")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<CdsSuggestion>? Suggestions { get; init; }

    /// <summary>Required with suggestions: <c>at-most-one</c>.</summary>
    [JsonPropertyName("selectionBehavior")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SelectionBehavior { get; init; }

    /// <summary>Links (the SMART app).</summary>
    [JsonPropertyName("links")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<CdsLink>? Links { get; init; }
}

/// <summary>Source of a card.</summary>
/// <param name="Label">Short label.</param>
/// <param name="Url">More about the source.</param>
public sealed record CdsSource([property: JsonPropertyName("label")] string Label, [property: JsonPropertyName("url")] string? Url);

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

/// <summary>An action: <c>create</c> or <c>update</c> a FHIR resource.</summary>
/// <param name="Type"><c>create</c>, <c>update</c> or <c>delete</c>.</param>
/// <param name="Description">What it does.</param>
/// <param name="Resource">The FHIR resource, as JSON.</param>
public sealed record CdsAction(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("resource")] JsonNode Resource);

/// <summary>A link.</summary>
/// <param name="Label">Text.</param>
/// <param name="Url">Address (for a SMART link, the app's launch URL).</param>
/// <param name="Type"><c>absolute</c> or <c>smart</c>.</param>
public sealed record CdsLink(
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("type")] string Type);

/// <summary>The feedback body (CDS Hooks 2.0 §Feedback).</summary>
public sealed class CdsFeedbackRequest
{
    /// <summary>One item per card.</summary>
    [JsonPropertyName("feedback")]
    public List<CdsFeedbackItem>? Feedback { get; set; }
}

/// <summary>Feedback on one card.</summary>
public sealed class CdsFeedbackItem
{
    /// <summary>The card's uuid.</summary>
    [JsonPropertyName("card")]
    public string? Card { get; set; }

    /// <summary><c>accepted</c> or <c>overridden</c>.</summary>
    [JsonPropertyName("outcome")]
    public string? Outcome { get; set; }

    /// <summary>Accepted suggestions.</summary>
    [JsonPropertyName("acceptedSuggestions")]
    public List<JsonObject>? AcceptedSuggestions { get; set; }

    /// <summary>Why the card was overridden (may hold free text: never logged).</summary>
    [JsonPropertyName("overrideReason")]
    public JsonObject? OverrideReason { get; set; }
}

/// <summary>JSON settings of the CDS Hooks wire format.</summary>
public static class CdsJson
{
    /// <summary>Options: camelCase names as declared, nulls left out.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
