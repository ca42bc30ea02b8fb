using System.Text.Json.Serialization;

namespace BoneMetRT.Api.Features.CdsHooks;

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
