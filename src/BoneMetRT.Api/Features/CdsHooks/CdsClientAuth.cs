using System.Collections.Concurrent;
using BoneMetRT.Api.Features.Smart;
using BoneMetRT.Api.Infrastructure;
using BoneMetRT.Domain;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BoneMetRT.Api.Features.CdsHooks;

/// <summary>
/// Checks the JWT a CDS client sends with every call (CDS Hooks 2.0 §Trusting CDS Clients): <c>iss</c> is a configured
/// trusted client, the signature verifies against that client's JWK Set (RS256/RS384/ES256/ES384), <c>aud</c> is the URL
/// of the service being called, <c>exp</c> and <c>iat</c> are present and sane, and <c>jti</c> has not been seen before.
/// Refusals are 401 OperationOutcomes; the token itself is never logged.
/// </summary>
public sealed class CdsClientAuth(IOptions<CdsHooksOptions> options, IHttpClientFactory httpFactory, TimeProvider clock, ILogger<CdsClientAuth> log)
{
    /// <summary>Name of the HTTP client that fetches JWK Sets.</summary>
    public const string JwksClient = "BoneMetRT.CdsJwks";

    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384];
    private static readonly TimeSpan JwksLifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan JwksMinRefresh = TimeSpan.FromSeconds(30);

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<SecurityKey> Keys)> _jwks = new(StringComparer.Ordinal);

    /// <summary>
    /// Checks the call's token against <paramref name="audience"/> (the URL called); returns the client's issuer, or
    /// null for an unauthenticated call the settings allow. Throws a 401 <see cref="FhirRequestException"/> otherwise.
    /// </summary>
    public async Task<string?> AuthenticateAsync(HttpRequest request, string audience, CancellationToken ct)
    {
        var settings = options.Value;
        var token = SmartAuth.BearerOf(request);
        if (token is null)
        {
            if (settings.AllowUnauthenticated)
            {
                return null;
            }

            throw Refused(new("A JWT from a trusted CDS client is required (Authorization: Bearer …).",
                "Un JWT d'un client CDS de confiance est requis (Authorization: Bearer …)."), "Bearer");
        }

        JsonWebToken jwt;
        try
        {
            jwt = _handler.ReadJsonWebToken(token);
        }
        catch (ArgumentException)
        {
            throw Invalid("malformed", new("The bearer token is not a JWT.", "Le jeton porteur n'est pas un JWT."));
        }

        if (!Algorithms.Contains(jwt.Alg, StringComparer.Ordinal))
        {
            throw Invalid("algorithm", new("The JWT must be signed with RS256, RS384, ES256 or ES384.", "Le JWT doit être signé en RS256, RS384, ES256 ou ES384."));
        }

        var client = settings.TrustedClients.FirstOrDefault(c => c.Issuer.Length > 0 && string.Equals(c.Issuer, jwt.Issuer, StringComparison.Ordinal))
            ?? throw Invalid("issuer", new("The JWT's issuer (iss) is not a trusted CDS client.", "L'émetteur du JWT (iss) n'est pas un client CDS de confiance."));

        var keys = await KeysAsync(client, jwt.Kid, ct);
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = client.Issuer,
            ValidAudiences = [audience, audience + "/"],
            IssuerSigningKeys = keys,
            ValidAlgorithms = Algorithms,
            // Lifetime is checked below against the injected clock, with the spec's bounds.
            ValidateLifetime = false,
            RequireExpirationTime = false,
            RequireSignedTokens = true,
        };
        var result = await _handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            var (reason, text) = result.Exception switch
            {
                SecurityTokenInvalidAudienceException => ("audience", new LocalizedText($"The JWT's audience (aud) must be the URL of the service called: {audience}.",
                    $"L'audience du JWT (aud) doit être l'URL du service appelé : {audience}.")),
                _ => ("signature", new LocalizedText("The JWT's signature does not verify with the keys of its issuer.",
                    "La signature du JWT ne se vérifie pas avec les clés de son émetteur.")),
            };
            throw Invalid(reason, text);
        }

        var now = clock.GetUtcNow();
        var skew = TimeSpan.FromSeconds(settings.ClockSkewSeconds);
        if (!jwt.TryGetPayloadValue<long>("exp", out var exp) || !jwt.TryGetPayloadValue<long>("iat", out var iat))
        {
            throw Invalid("lifetime", new("The JWT must carry exp and iat.", "Le JWT doit porter exp et iat."));
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(exp);
        if (expires + skew < now)
        {
            throw Invalid("expired", new("The JWT has expired.", "Le JWT a expiré."));
        }

        if (expires > now + TimeSpan.FromSeconds(settings.MaxTokenLifetimeSeconds) + skew || DateTimeOffset.FromUnixTimeSeconds(iat) > now + skew)
        {
            throw Invalid("lifetime", new($"The JWT must be issued now and expire within {settings.MaxTokenLifetimeSeconds} s.",
                $"Le JWT doit être émis maintenant et expirer dans les {settings.MaxTokenLifetimeSeconds} s."));
        }

        if (string.IsNullOrEmpty(jwt.Id))
        {
            throw Invalid("jti", new("The JWT must carry a jti.", "Le JWT doit porter un jti."));
        }

        Remember(client.Issuer + "\n" + jwt.Id, expires + skew, now, settings.MaxRememberedJti);
        return client.Issuer;
    }

    // Each jti is accepted once until its token expires; a full cache refuses rather than forgets (no replay window).
    private void Remember(string key, DateTimeOffset until, DateTimeOffset now, int max)
    {
        if (_seen.Count >= max)
        {
            foreach (var (k, v) in _seen)
            {
                if (v < now)
                {
                    _seen.TryRemove(k, out _);
                }
            }
        }

        if (_seen.Count >= max)
        {
            throw Invalid("replay-cache", new("Too many calls: try again shortly.", "Trop d'appels : réessayer dans un instant."));
        }

        // Atomic: two concurrent calls with the same jti cannot both get in.
        if (!_seen.TryAdd(key, until)
            && !(_seen.TryGetValue(key, out var previous) && previous < now && _seen.TryUpdate(key, until, previous)))
        {
            throw Invalid("replay", new("This JWT (jti) has already been used.", "Ce JWT (jti) a déjà été utilisé."));
        }
    }

    private async Task<IReadOnlyList<SecurityKey>> KeysAsync(CdsTrustedClient client, string? kid, CancellationToken ct)
    {
        if (client.Jwks.Length > 0)
        {
            return Parse(client.Jwks);
        }

        if (client.JwksUrl.Length == 0)
        {
            throw Invalid("keys", new("No keys are configured for this CDS client.", "Aucune clé n'est configurée pour ce client CDS."));
        }

        var now = clock.GetUtcNow();
        if (_jwks.TryGetValue(client.Issuer, out var cached)
            && now - cached.At < JwksLifetime
            && (kid is null || cached.Keys.Any(k => k.KeyId == kid) || now - cached.At < JwksMinRefresh))
        {
            return cached.Keys;
        }

        try
        {
            using var http = httpFactory.CreateClient(JwksClient);
            var json = await http.GetStringAsync(client.JwksUrl, ct);
            var keys = Parse(json);
            _jwks[client.Issuer] = (now, keys);
            return keys;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ArgumentException or InvalidOperationException)
        {
            log.LogWarning("JWK Set of a trusted CDS client could not be read ({ExceptionType})", e.GetType().Name);
            if (cached.Keys is { } stale)
            {
                return stale;
            }

            throw Invalid("keys", new("The keys of this CDS client could not be read.", "Les clés de ce client CDS n'ont pu être lues."));
        }
    }

    private static IReadOnlyList<SecurityKey> Parse(string json) => [.. new JsonWebKeySet(json).GetSigningKeys()];

    private FhirRequestException Invalid(string reason, LocalizedText text)
    {
        // The reason only: never the token or its claims.
        log.LogInformation("CDS client JWT refused: {Reason}", reason);
        return Refused(text, "Bearer error=\"invalid_token\"");
    }

    private static FhirRequestException Refused(LocalizedText text, string challenge) =>
        new(401, OperationOutcome.IssueType.Login, text) { WwwAuthenticate = challenge };
}
