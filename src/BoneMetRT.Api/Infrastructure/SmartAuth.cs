using System.Security.Claims;
using BoneMetRT.Domain;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace BoneMetRT.Api.Infrastructure;

/// <summary>One permission a SMART scope can give: read or search on a resource type.</summary>
/// <param name="Type">Resource type.</param>
/// <param name="Permission"><c>r</c> read or <c>s</c> search.</param>
public sealed record ScopeNeed(string Type, char Permission)
{
    /// <inheritdoc />
    public override string ToString() => $"{Type}.{Permission}";
}

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
            if (http.RequestServices.GetRequiredService<IOptions<BoneMetRTOptions>>().Value.Auth.Disabled)
            {
                return await next(context);
            }

            var principal = await AuthenticateAsync(http);
            var scopes = principal.FindAll("scope").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
            var levels = needs.Select(n => (Need: n, Level: Level(scopes, n))).ToList();
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

            // Patient-level scopes reach only the token's patient.
            if (levels.Any(x => x.Level == "patient") && http.Request.RouteValues.TryGetValue("id", out var id)
                && principal.FindFirstValue("patient") is var patient && patient != id as string)
            {
                throw new FhirRequestException(403, OperationOutcome.IssueType.Forbidden,
                    new("The token is for another patient (its patient-level scopes reach only the patient of its launch context).",
                        "Le jeton concerne un autre patient (ses scopes de niveau patient ne donnent accès qu'au patient de son contexte de lancement)."));
            }

            http.User = principal;
            return await next(context);
        });

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
    public static bool TokensChecked(AuthOptions auth) => !auth.Disabled && (auth.Authority.Length > 0 || auth.MetadataAddress.Length > 0);

    /// <summary>The checked principal of the request's bearer token; 401 (with its challenge) when there is none or it is refused.</summary>
    private static async Task<ClaimsPrincipal> AuthenticateAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(Scheme);
        if (!result.Succeeded)
        {
            throw new FhirRequestException(401, OperationOutcome.IssueType.Login, result.None
                ? new LocalizedText("A bearer token is required (Authorization: Bearer …), issued by the configured SMART authorization server.",
                    "Un jeton porteur est requis (Authorization: Bearer …), émis par le serveur d'autorisation SMART configuré.")
                : new LocalizedText("The bearer token was refused: bad signature, issuer or audience, or expired.",
                    "Le jeton porteur a été refusé : signature, émetteur ou audience incorrects, ou jeton expiré."))
            {
                WwwAuthenticate = result.None ? "Bearer" : "Bearer error=\"invalid_token\"",
            };
        }

        return result.Principal!;
    }

    /// <summary>The caller's <c>Authorization</c> header, to forward to the FHIR server, or null.</summary>
    public static string? BearerOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    /// <summary>"user" or "system" (any patient), "patient" (the token's patient), or null when no scope gives the permission.</summary>
    public static string? Level(IEnumerable<string> scopes, ScopeNeed need)
    {
        string? level = null;
        foreach (var scope in scopes)
        {
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

            if (context != "patient")
            {
                return context;
            }

            level = "patient";
        }

        return level;
    }
}
