using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace BoneMetRT.TestEhr;

/// <summary>The EHR's addresses for the current request.</summary>
/// <param name="Issuer">Token issuer and authorization server base.</param>
public sealed record EhrUrls(string Issuer)
{
    /// <summary>FHIR base URL (the <c>iss</c> of a launch and the <c>aud</c> of tokens).</summary>
    public string FhirBase => Issuer + "/fhir";

    /// <summary>The addresses for a request.</summary>
    public static EhrUrls Of(HttpRequest request, TestEhrOptions options) =>
        new(string.IsNullOrWhiteSpace(options.PublicUrl) ? $"{request.Scheme}://{request.Host}" : options.PublicUrl.TrimEnd('/'));
}

/// <summary>What the EHR remembers between the steps of a launch: launch contexts and authorization codes (in memory, short-lived).</summary>
public sealed class AuthState
{
    /// <summary>EHR launch contexts by their opaque <c>launch</c> value.</summary>
    public ConcurrentDictionary<string, LaunchContext> Launches { get; } = new();

    /// <summary>Issued authorization codes, each usable once.</summary>
    public ConcurrentDictionary<string, Grant> Codes { get; } = new();

    /// <summary>A random opaque value.</summary>
    public static string NewHandle() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24));
}

/// <summary>An EHR launch: the patient open in the EHR, and whether the test asked to skip the approval page.</summary>
public sealed record LaunchContext(string PatientId, bool AutoApprove, DateTimeOffset Expires);

/// <summary>An approved authorization request, waiting for its code to be exchanged.</summary>
public sealed record Grant(string ClientId, string RedirectUri, string CodeChallenge, string? PatientId, IReadOnlyList<string> Scopes, string? Nonce, DateTimeOffset Expires);

/// <summary>
/// The SMART App Launch 2.x authorization server: discovery (<c>.well-known/smart-configuration</c>, OpenID
/// configuration, JWKS), <c>/authorize</c> with an approval page and a patient picker, and <c>/token</c> (authorization
/// code with PKCE S256 only, public client).
/// </summary>
public static class AuthServer
{
    /// <summary>Maps the endpoints.</summary>
    public static void MapAuthServer(this WebApplication app)
    {
        app.MapGet("/fhir/.well-known/smart-configuration", (HttpRequest r, IOptions<TestEhrOptions> o) => Json(SmartConfiguration(EhrUrls.Of(r, o.Value))));
        app.MapGet("/.well-known/smart-configuration", (HttpRequest r, IOptions<TestEhrOptions> o) => Json(SmartConfiguration(EhrUrls.Of(r, o.Value))));
        app.MapGet("/.well-known/openid-configuration", (HttpRequest r, IOptions<TestEhrOptions> o) => Json(OpenIdConfiguration(EhrUrls.Of(r, o.Value))));
        app.MapGet("/.well-known/jwks.json", (Tokens t) => Json(t.Jwks()));
        app.MapGet("/authorize", Authorize);
        app.MapPost("/authorize", Authorize).DisableAntiforgery();
        app.MapPost("/token", Token).DisableAntiforgery();
    }

    private static JsonObject SmartConfiguration(EhrUrls urls) => new()
    {
        ["issuer"] = urls.Issuer,
        ["jwks_uri"] = urls.Issuer + "/.well-known/jwks.json",
        ["authorization_endpoint"] = urls.Issuer + "/authorize",
        ["token_endpoint"] = urls.Issuer + "/token",
        ["grant_types_supported"] = new JsonArray("authorization_code"),
        ["token_endpoint_auth_methods_supported"] = new JsonArray("none"),
        ["scopes_supported"] = new JsonArray("openid", "fhirUser", "launch", "launch/patient", "online_access",
            "patient/*.rs", "user/*.rs", "patient/Patient.rs", "patient/Condition.rs", "patient/Observation.rs", "patient/Procedure.rs",
            "patient/CarePlan.c", "patient/RequestGroup.c", "patient/ServiceRequest.c", "patient/RiskAssessment.c", "patient/Observation.c", "patient/Device.c", "patient/Provenance.c"),
        ["response_types_supported"] = new JsonArray("code"),
        ["code_challenge_methods_supported"] = new JsonArray("S256"),
        ["capabilities"] = new JsonArray("launch-ehr", "launch-standalone", "client-public", "context-ehr-patient",
            "context-standalone-patient", "permission-patient", "permission-user", "permission-v1", "permission-v2", "sso-openid-connect"),
    };

    private static JsonObject OpenIdConfiguration(EhrUrls urls) => new()
    {
        ["issuer"] = urls.Issuer,
        ["jwks_uri"] = urls.Issuer + "/.well-known/jwks.json",
        ["authorization_endpoint"] = urls.Issuer + "/authorize",
        ["token_endpoint"] = urls.Issuer + "/token",
        ["response_types_supported"] = new JsonArray("code"),
        ["subject_types_supported"] = new JsonArray("public"),
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        ["code_challenge_methods_supported"] = new JsonArray("S256"),
    };

    /// <summary>GET shows the approval page (or approves at once); POST is that page's answer.</summary>
    private static async Task<IResult> Authorize(HttpRequest request, IOptions<TestEhrOptions> options, AuthState state, PatientStore store)
    {
        var o = options.Value;
        var urls = EhrUrls.Of(request, o);
        var q = request.HasFormContentType ? (await request.ReadFormAsync()).ToDictionary(x => x.Key, x => x.Value.ToString()) : request.Query.ToDictionary(x => x.Key, x => x.Value.ToString());
        string P(string name) => q.GetValueOrDefault(name) ?? "";

        // Until the client and its redirect URI are known, errors are shown here, never sent to the redirect URI.
        if (P("client_id") != o.ClientId)
        {
            return Pages.Error(400, $"Unknown client_id '{P("client_id")}'.", $"client_id inconnu « {P("client_id")} ».");
        }

        if (!RedirectAllowed(P("redirect_uri"), o))
        {
            return Pages.Error(400, $"redirect_uri '{P("redirect_uri")}' is not registered for {o.ClientId}.", $"redirect_uri « {P("redirect_uri")} » n'est pas enregistrée pour {o.ClientId}.");
        }

        IResult Fail(string error, string description) => Results.Redirect(WithQuery(P("redirect_uri"),
            ("error", error), ("error_description", description), ("state", P("state"))));

        if (P("response_type") != "code")
        {
            return Fail("unsupported_response_type", "Only response_type=code is supported.");
        }

        if (P("code_challenge_method") != "S256" || P("code_challenge").Length < 43)
        {
            return Fail("invalid_request", "PKCE is required: code_challenge with code_challenge_method=S256.");
        }

        if (P("aud").TrimEnd('/') != urls.FhirBase)
        {
            return Fail("invalid_request", $"aud must be this EHR's FHIR base URL, {urls.FhirBase}.");
        }

        var scopes = Scopes.Grant(P("scope"));
        string? patient = null;
        var autoApprove = P("auto_approve") is "1" or "true";
        if (P("launch").Length > 0)
        {
            if (!state.Launches.TryGetValue(P("launch"), out var launch) || launch.Expires < DateTimeOffset.UtcNow)
            {
                return Fail("invalid_request", "Unknown or expired launch.");
            }

            if (!scopes.Contains("launch"))
            {
                return Fail("invalid_scope", "An EHR launch needs the 'launch' scope.");
            }

            patient = launch.PatientId;
            autoApprove |= launch.AutoApprove;
        }
        else if (P("patient").Length > 0 && store.Read("Patient", P("patient")) is not null)
        {
            patient = P("patient"); // standalone launch: chosen on the page, or given by a test with auto_approve
        }

        var needsPatient = scopes.Contains("launch/patient") || scopes.Any(s => s.StartsWith("patient/", StringComparison.Ordinal));
        var decided = request.HasFormContentType ? P("decision") : autoApprove && (patient is not null || !needsPatient) ? "approve" : "";
        if (decided == "")
        {
            return Pages.Approve(q, scopes, patient, store.Patients);
        }

        if (decided != "approve")
        {
            return Fail("access_denied", "The user denied the request.");
        }

        if (needsPatient && patient is null)
        {
            return Fail("invalid_request", "No patient was chosen.");
        }

        var code = AuthState.NewHandle();
        state.Codes[code] = new Grant(o.ClientId, P("redirect_uri"), P("code_challenge"), needsPatient ? patient : null, scopes,
            P("nonce").Length > 0 ? P("nonce") : null, DateTimeOffset.UtcNow.AddMinutes(2));
        return Results.Redirect(WithQuery(P("redirect_uri"), ("code", code), ("state", P("state"))));
    }

    /// <summary>Exchanges a code for tokens, after checking the PKCE verifier.</summary>
    private static async Task<IResult> Token(HttpRequest request, IOptions<TestEhrOptions> options, AuthState state, Tokens tokens)
    {
        var o = options.Value;
        var urls = EhrUrls.Of(request, o);
        if (!request.HasFormContentType)
        {
            return OAuthError("invalid_request", "The token request must be application/x-www-form-urlencoded.");
        }

        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "authorization_code")
        {
            return OAuthError("unsupported_grant_type", "Only authorization_code is supported.");
        }

        if (!state.Codes.TryRemove(form["code"].ToString(), out var grant) || grant.Expires < DateTimeOffset.UtcNow)
        {
            return OAuthError("invalid_grant", "Unknown, used or expired code.");
        }

        if (form["client_id"] != grant.ClientId || form["redirect_uri"] != grant.RedirectUri)
        {
            return OAuthError("invalid_grant", "client_id or redirect_uri differ from the authorization request.");
        }

        var verifier = form["code_verifier"].ToString();
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        if (verifier.Length < 43 || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(challenge), Encoding.ASCII.GetBytes(grant.CodeChallenge)))
        {
            return OAuthError("invalid_grant", "The PKCE code_verifier does not match the code_challenge.");
        }

        var lifetime = TimeSpan.FromMinutes(o.TokenLifetimeMinutes);
        const string user = PatientStore.ClinicianId;
        var scope = string.Join(' ', grant.Scopes);
        var claims = new Dictionary<string, object> { ["scope"] = scope, ["client_id"] = grant.ClientId };
        if (grant.PatientId is not null)
        {
            claims["patient"] = grant.PatientId;
        }

        var body = new JsonObject
        {
            ["access_token"] = tokens.Create(urls.Issuer, urls.FhirBase, user, lifetime, claims),
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)lifetime.TotalSeconds,
            ["scope"] = scope,
        };
        if (grant.PatientId is not null)
        {
            body["patient"] = grant.PatientId;
        }

        if (grant.Scopes.Contains("openid"))
        {
            var id = new Dictionary<string, object>();
            if (grant.Scopes.Contains("fhirUser"))
            {
                id["fhirUser"] = $"{urls.FhirBase}/Practitioner/{user}";
            }

            if (grant.Nonce is not null)
            {
                id["nonce"] = grant.Nonce;
            }

            body["id_token"] = tokens.Create(urls.Issuer, grant.ClientId, user, lifetime, id);
        }

        request.HttpContext.Response.Headers.CacheControl = "no-store";
        request.HttpContext.Response.Headers.Pragma = "no-cache";
        return Json(body);
    }

    private static bool RedirectAllowed(string redirectUri, TestEhrOptions o) =>
        Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri) && Uri.TryCreate(o.AppLaunchUrl, UriKind.Absolute, out var app)
        && uri.Scheme == app.Scheme && uri.Host == app.Host && uri.Port == app.Port && uri.Fragment.Length == 0;

    /// <summary>Adds query parameters to a URL.</summary>
    public static string WithQuery(string url, params (string Key, string Value)[] parameters)
    {
        var sb = new StringBuilder(url);
        var first = !url.Contains('?', StringComparison.Ordinal);
        foreach (var (k, v) in parameters.Where(p => p.Value.Length > 0))
        {
            sb.Append(first ? '?' : '&').Append(Uri.EscapeDataString(k)).Append('=').Append(Uri.EscapeDataString(v));
            first = false;
        }

        return sb.ToString();
    }

    private static IResult OAuthError(string error, string description) =>
        Results.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, statusCode: 400);

    private static IResult Json(JsonNode node) => Results.Text(PatientStore.Json(node), "application/json; charset=utf-8");
}
