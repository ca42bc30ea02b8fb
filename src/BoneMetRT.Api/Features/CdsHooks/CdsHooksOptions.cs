namespace BoneMetRT.Api.Features.CdsHooks;

/// <summary>Settings of the CDS Hooks service (section <c>BoneMetRT:CdsHooks</c>).</summary>
public sealed class CdsHooksOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "BoneMetRT:CdsHooks";

    /// <summary>Base path of the discovery endpoint and of the services.</summary>
    public string BasePath { get; set; } = "/cds-services";

    /// <summary>Language of the cards when the call has no <c>Accept-Language</c>: <c>en</c> or <c>fr</c>.</summary>
    public string Language { get; set; } = "";

    /// <summary>
    /// Accept calls without a JWT (a sandbox only). A JWT that is sent is still checked: a bad token is never accepted.
    /// </summary>
    public bool AllowUnauthenticated { get; set; }

    /// <summary>
    /// Public origin of the service (e.g. <c>https://cds.example.org</c>) when it runs behind a proxy: the expected
    /// <c>aud</c> of the client JWTs and the origin of the app and guideline links. Empty: the request's own origin.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>The CDS clients (EHRs) whose JWTs are accepted.</summary>
    public List<CdsTrustedClient> TrustedClients { get; set; } = [];

    /// <summary>
    /// FHIR servers the service may read from when a call has no prefetch (the <c>fhirServer</c> of the call must be
    /// one of them, so that the service never sends a token to a server nobody configured). The configured
    /// <c>BoneMetRT:FhirServer:BaseUrl</c> is always allowed.
    /// </summary>
    public List<string> AllowedFhirServers { get; set; } = [];

    /// <summary>Seconds a client JWT may live at most (<c>exp</c> − now); the spec asks for five minutes.</summary>
    public int MaxTokenLifetimeSeconds { get; set; } = 300;

    /// <summary>Clock skew allowed on <c>exp</c> and <c>iat</c>, in seconds.</summary>
    public int ClockSkewSeconds { get; set; } = 60;

    /// <summary>Most <c>jti</c> values remembered at once (replay protection); beyond it, calls are refused until some expire.</summary>
    public int MaxRememberedJti { get; set; } = 100_000;
}

/// <summary>A trusted CDS client: its issuer and where its keys are.</summary>
public sealed class CdsTrustedClient
{
    /// <summary>The <c>iss</c> of its JWTs.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>URL of its JWK Set (fetched and cached; fetched again when a <c>kid</c> is unknown).</summary>
    public string JwksUrl { get; set; } = "";

    /// <summary>Its JWK Set inline (JSON), instead of <see cref="JwksUrl"/> (tests, static keys).</summary>
    public string Jwks { get; set; } = "";
}
