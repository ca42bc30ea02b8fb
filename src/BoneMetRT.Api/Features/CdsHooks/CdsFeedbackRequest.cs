using System.Text.Json.Serialization;

namespace BoneMetRT.Api.Features.CdsHooks;

/// <summary>The feedback body (CDS Hooks 2.0 §Feedback).</summary>
public sealed class CdsFeedbackRequest
{
    /// <summary>One item per card.</summary>
    [JsonPropertyName("feedback")]
    public List<CdsFeedbackItem>? Feedback { get; set; }
}
