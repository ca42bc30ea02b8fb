using System.Security.Claims;
using BoneMetRT.Api.Infrastructure;
using BoneMetRT.Domain;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace BoneMetRT.Api.Features.Smart;

/// <summary>One permission a SMART scope can give: read or search on a resource type.</summary>
/// <param name="Type">Resource type.</param>
/// <param name="Permission"><c>r</c> read or <c>s</c> search.</param>
public sealed record ScopeNeed(string Type, char Permission)
{
    /// <inheritdoc />
    public override string ToString() => $"{Type}.{Permission}";
}

/// <summary>A scope giving a permission: its level (patient, user, system) and its search restriction, if any.</summary>
/// <param name="Level">patient, user or system.</param>
/// <param name="Query">Search parameters the scope restricts the type to (SMART v2 granular scopes), or null.</param>
public sealed record ScopeGrant(string Level, string? Query);

/// <summary>
/// SMART on FHIR for the service: incoming bearer tokens are JWTs checked against the configured authorization server
/// (<c>BoneMetRT:Auth</c>), an endpoint states the scopes it needs, and refusals are 401/403 OperationOutcomes thrown
/// to the one error handler (<see cref="ErrorHandling"/>). Tokens are never logged.
/// </summary>
public static class SmartAuth
{
    /// <summary>The bearer scheme.</summary>
    public const string Scheme = JwtBearerDefaults.AuthenticationScheme;

    /// <summary>Registers token checks, the FHIR server client and the SMART app's settings.</summary>
    public static IServiceCollection AddSmartOnFhir(this IServiceCollection services)
    {
        // No default scheme: only endpoints that ask for a token authenticate (the system-level $assess stays open).
        services.AddAuthentication().AddJwtBearer(Scheme, _ => { });
        services.AddOptions<JwtBearerOptions>(Scheme).Configure<IOptions<BoneMetRTOptions>>((jwt, options) =>
        {
            var o = options.Value;
            jwt.MapInboundClaims = false;
            jwt.RequireHttpsMetadata = o.Auth.RequireHttpsMetadata;
            jwt.RefreshOnIssuerKeyNotFound = true;
            var audience = o.Auth.Audience.Length > 0 ? o.Auth.Audience : o.FhirServer.BaseUrl.TrimEnd('/');
            jwt.TokenValidationParameters.ValidateAudience = true;
            jwt.TokenValidationParameters.ValidAudiences = audience.Length > 0 ? [audience, audience + "/"] : ["(no audience configured)"];
            // Pinned algorithms: a key does not choose how it may be used (no "none", no HMAC keyed with a public key).
            jwt.TokenValidationParameters.ValidAlgorithms = o.Auth.AlgorithmList;
            jwt.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(o.Auth.ClockSkewSeconds);
            jwt.TokenValidationParameters.RequireExpirationTime = true;
            jwt.TokenValidationParameters.RequireSignedTokens = true;
            var types = o.Auth.TokenTypeList;
            // "Where the issuer sets it": many authorization servers send no typ; one that does says what the token is for.
            jwt.TokenValidationParameters.TypeValidator = (type, _, _) =>
                string.IsNullOrEmpty(type) || types.Any(t => string.Equals(t, type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) ? type["application/".Length..] : type, StringComparison.OrdinalIgnoreCase))
                    ? type
                    : throw new SecurityTokenInvalidTypeException($"Token type '{type}' is not accepted.") { InvalidType = type };
            if (o.Auth.MetadataAddress.Length > 0)
            {
                jwt.MetadataAddress = o.Auth.MetadataAddress;
            }

            if (o.Auth.Authority.Length > 0)
            {
                jwt.Authority = o.Auth.Authority;
            }
            else if (o.Auth.MetadataAddress.Length == 0)
            {
                // Not configured: no key is trusted, so every token is refused (401) rather than accepted.
                jwt.Configuration = new OpenIdConnectConfiguration();
                jwt.TokenValidationParameters.ValidIssuer = "(no authority configured)";
            }
        });

        services.AddHttpClient<FhirServerClient>((sp, http) =>
            {
                var o = sp.GetRequiredService<IOptions<BoneMetRTOptions>>().Value.FhirServer;
                http.Timeout = TimeSpan.FromSeconds(o.TimeoutSeconds);
            })
            // A redirect would carry the token off the configured server: 3xx answers are errors (FhirServerClient).
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            .RemoveAllLoggers(); // the default HttpClient logs carry request URLs, which hold patient ids

        // RFC 7662 introspection of opaque tokens (BoneMetRT:Auth:IntrospectionEndpoint): no redirects, a short time-out.
        services.AddHttpClient<TokenIntrospection>(http => http.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            .RemoveAllLoggers();
        return services;
    }

    /// <summary>
    /// Requires a valid bearer token whose scopes give every permission in <paramref name="needs"/> (SMART v2
    /// <c>.rs</c> style or v1 <c>.read</c>, <c>patient</c>/<c>user</c>/<c>system</c>); with patient-level scopes only,
    /// the route's <c>{id}</c> must be the token's patient. Skipped when <c>BoneMetRT:Auth:Disabled</c> is true.
    /// </summary>
    public static RouteHandlerBuilder RequireSmartScopes(this RouteHandlerBuilder endpoint, params ScopeNeed[] needs) =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            await CheckScopesAsync(http, http.Request.RouteValues.TryGetValue("id", out var id) ? id as string : null, needs);
            return await next(context);
        });

    /// <summary>
    /// The check of <see cref="RequireSmartScopes"/>, for an operation that learns the patient from its body
    /// (<c>$apply</c> with <c>useServerData</c>): a valid token whose scopes give <paramref name="needs"/>, and with
    /// patient-level scopes only, <paramref name="patientId"/> the token's patient; 401/403 otherwise. Skipped when
    /// <c>BoneMetRT:Auth:Disabled</c> is true.
    /// </summary>
    public static async Task CheckScopesAsync(HttpContext http, string? patientId, IReadOnlyList<ScopeNeed> needs)
    {
        if (http.RequestServices.GetRequiredService<IOptions<BoneMetRTOptions>>().Value.Auth.Disabled)
        {
            return;
        }

        var principal = await AuthenticateAsync(http);
        var auth = http.RequestServices.GetRequiredService<IOptions<BoneMetRTOptions>>().Value.Auth;
        var scopes = ScopesOf(principal).ToList();
        var grants = needs.Select(n => (Need: n, Grants: Grants(scopes, n).Where(g => auth.AllowUserLevelScopes || g.Level != "user").ToList())).ToList();
        var levels = grants.Select(x => (x.Need, Level: x.Grants.Count == 0 ? null : x.Grants.Any(g => g.Level != "patient") ? x.Grants.First(g => g.Level != "patient").Level : "patient")).ToList();
        var missing = levels.Where(x => x.Level is null).Select(x => $"patient/{x.Need}").ToList();
        if (missing.Count > 0)
        {
            var list = string.Join(", ", missing);
            throw new FhirRequestException(403, OperationOutcome.IssueType.Forbidden,
                new($"The token's scopes are not enough: {list} (or the user/ or v1 .read equivalents) are needed.",
                    $"Les scopes du jeton sont insuffisants : {list} (ou leurs équivalents user/ ou v1 .read) sont nécessaires."))
            {
                WwwAuthenticate = $"Bearer error=\"insufficient_scope\", scope=\"{string.Join(' ', needs.Select(n => $"patient/{n.Type}.rs"))}\"",
            };
        }

        // SMART v2 granular scopes (patient/Observation.rs?category=…): the searches read only what the scopes give.
        foreach (var (need, given) in grants.Where(x => x.Need.Permission == 's'))
        {
            http.Items[FiltersKey(need.Type)] = given.Any(g => g.Query is null) ? [null] : given.Select(g => g.Query).Distinct().ToList();
        }

        // Patient-level scopes reach only the token's patient.
        if (levels.Any(x => x.Level == "patient") && patientId is not null
            && principal.FindFirstValue("patient") is var patient && patient != patientId)
        {
            throw new FhirRequestException(403, OperationOutcome.IssueType.Forbidden,
                new("The token is for another patient (its patient-level scopes reach only the patient of its launch context).",
                    "Le jeton concerne un autre patient (ses scopes de niveau patient ne donnent accès qu'au patient de son contexte de lancement)."));
        }

        http.User = principal;
    }

    /// <summary>
    /// Requires a valid bearer token when <c>BoneMetRT:Auth:RequireToken</c> is on (the default outside Development):
    /// for operations that receive patient data in their body. The token is checked as at instance level; no scope
    /// is asked for, since the service reads nothing with it.
    /// </summary>
    public static RouteHandlerBuilder RequireSmartTokenWhenConfigured(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var auth = http.RequestServices.GetRequiredService<IOptions<BoneMetRTOptions>>().Value.Auth;
            if (auth is { Disabled: false, RequireToken: true })
            {
                http.User = await AuthenticateAsync(http);
            }

            return await next(context);
        });

    /// <summary>Whether operations on patient data check tokens as configured (not disabled).</summary>
    public static bool TokensChecked(AuthOptions auth) =>
        !auth.Disabled && (auth.Authority.Length > 0 || auth.MetadataAddress.Length > 0 || auth.IntrospectionEndpoint.Length > 0);

    /// <summary>The checked principal of the request's bearer token; 401 (with its challenge) when there is none or it is refused.</summary>
    private static async Task<ClaimsPrincipal> AuthenticateAsync(HttpContext http)
    {
        var (principal, none) = await CheckTokenAsync(http);
        if (principal is null)
        {
            throw new FhirRequestException(401, OperationOutcome.IssueType.Login, none
                ? new LocalizedText("A bearer token is required (Authorization: Bearer …), issued by the configured SMART authorization server.",
                    "Un jeton porteur est requis (Authorization: Bearer …), émis par le serveur d'autorisation SMART configuré.")
                : new LocalizedText("The bearer token was refused: bad signature, issuer or audience, or expired.",
                    "Le jeton porteur a été refusé : signature, émetteur ou audience incorrects, ou jeton expiré."))
            {
                WwwAuthenticate = none ? "Bearer" : "Bearer error=\"invalid_token\"",
            };
        }

        return principal;
    }

    /// <summary>
    /// The checked principal of the request's bearer token (a JWT through JwtBearer, an opaque token through RFC 7662
    /// introspection when configured), or null with whether there was no token at all. Checked once per request.
    /// </summary>
    public static async Task<(ClaimsPrincipal? Principal, bool None)> CheckTokenAsync(HttpContext http)
    {
        const string key = "BoneMetRT.Smart.TokenCheck";
        if (http.Items.TryGetValue(key, out var cached) && cached is ValueTuple<ClaimsPrincipal?, bool> done)
        {
            return done;
        }

        var bearer = BearerOf(http.Request);
        var auth = http.RequestServices.GetRequiredService<IOptions<BoneMetRTOptions>>().Value.Auth;
        (ClaimsPrincipal?, bool) outcome;
        if (bearer is { Length: > 0 } && !TokenIntrospection.IsJwt(bearer) && auth.IntrospectionEndpoint.Length > 0)
        {
            outcome = (await http.RequestServices.GetRequiredService<TokenIntrospection>().IntrospectAsync(bearer, http.RequestAborted), false);
        }
        else
        {
            var result = await http.AuthenticateAsync(Scheme);
            outcome = (result.Succeeded ? result.Principal : null, result.None);
        }

        http.Items[key] = outcome;
        return outcome;
    }

    /// <summary>The caller's <c>Authorization</c> header, to forward to the FHIR server, or null.</summary>
    public static string? BearerOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    /// <summary>
    /// The search restrictions the token's scopes put on <paramref name="type"/> (set by <see cref="RequireSmartScopes"/>):
    /// query strings such as <c>category=…</c> (each to be searched, results united), or a single null for none.
    /// </summary>
    public static IReadOnlyList<string?> SearchFilters(HttpContext http, string type) =>
        http.Items.TryGetValue(FiltersKey(type), out var value) && value is IReadOnlyList<string?> filters ? filters : [null];

    /// <summary>The token's scopes: <c>scope</c> (RFC 8693/SMART, space-separated) and <c>scp</c> (string or array) alike.</summary>
    public static IEnumerable<string> ScopesOf(ClaimsPrincipal principal) =>
        principal.FindAll("scope").Concat(principal.FindAll("scp")).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>"user" or "system" (any patient), "patient" (the token's patient), or null when no scope gives the permission.</summary>
    public static string? Level(IEnumerable<string> scopes, ScopeNeed need)
    {
        var grants = Grants(scopes, need);
        return grants.FirstOrDefault(g => g.Level != "patient")?.Level ?? grants.FirstOrDefault()?.Level;
    }

    /// <summary>
    /// Every scope that gives <paramref name="need"/>, with its level and, for a SMART v2 granular scope
    /// (<c>patient/Observation.rs?category=…</c>), its query re-encoded for a search URL.
    /// </summary>
    public static IReadOnlyList<ScopeGrant> Grants(IEnumerable<string> scopes, ScopeNeed need)
    {
        var found = new List<ScopeGrant>();
        foreach (var full in scopes)
        {
            var question = full.IndexOf('?', StringComparison.Ordinal);
            var scope = question < 0 ? full : full[..question];
            string? query = null;
            if (question >= 0)
            {
                query = SearchQuery(full[(question + 1)..]);
                if (query is null)
                {
                    continue; // a restriction we cannot apply gives nothing, rather than everything
                }
            }

            var slash = scope.IndexOf('/', StringComparison.Ordinal);
            var dot = scope.LastIndexOf('.');
            if (slash <= 0 || dot <= slash + 1)
            {
                continue;
            }

            var context = scope[..slash];
            var type = scope[(slash + 1)..dot];
            var perms = scope[(dot + 1)..] switch
            {
                "read" => "rs",
                "*" => "cruds",
                var p when p.Length > 0 && p.All("cruds".Contains) => p,
                _ => "",
            };
            if (context is not ("patient" or "user" or "system") || (type != need.Type && type != "*") || !perms.Contains(need.Permission))
            {
                continue;
            }

            found.Add(new ScopeGrant(context, query));
        }

        return found;
    }

    private static string FiltersKey(string type) => "BoneMetRT.Smart.SearchFilters." + type;

    /// <summary>A scope's query as search parameters (each name and value percent-encoded), or null when it is empty or malformed.</summary>
    private static string? SearchQuery(string query)
    {
        var parts = new List<string>();
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == pair.Length - 1)
            {
                return null;
            }

            var name = Uri.UnescapeDataString(pair[..equals]);
            var value = Uri.UnescapeDataString(pair[(equals + 1)..]);
            // Only plain search parameters (category, code, …): never _include, _revinclude or other result parameters.
            if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or ':' or '.'))
            {
                return null;
            }

            parts.Add($"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}");
        }

        return parts.Count == 0 ? null : string.Join('&', parts);
    }
}
