namespace BoneMetRT.Cli.Kit;

/// <summary>The HTTP request of a kit case.</summary>
public sealed record KitRequest
{
    /// <summary>Written in a header value where the caller's access token goes (<c>Bearer {token}</c>).</summary>
    public const string TokenPlaceholder = "{token}";

    /// <summary>HTTP method.</summary>
    public string Method { get; init; } = "POST";

    /// <summary>Path and query relative to the FHIR base, e.g. <c>$assess</c> or <c>Patient/$assess?_format=xml</c>.</summary>
    public string Path { get; init; } = "";

    /// <summary>
    /// Sent without an <c>Authorization</c> header even when the runner has a token: the case is about a call without
    /// one. Otherwise a given token goes with every request (a deployment may require one at system level too).
    /// </summary>
    public bool Anonymous { get; init; }

    /// <summary>Request headers (Content-Type, Accept, Accept-Language, Authorization…), by name.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
