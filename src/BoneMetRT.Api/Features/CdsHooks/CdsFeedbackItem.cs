using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BoneMetRT.Api.Features.CdsHooks;

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
