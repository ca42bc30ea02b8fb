using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BoneMetRT.TestEhr;

/// <summary>
/// The EHR's signing key (RSA 2048, made at start-up, never stored) and its tokens: RS256 JWTs, published as a JWKS
/// so that resource servers (the EHR's own FHIR API, the BoneMetRT service) can check them.
/// </summary>
public sealed class Tokens : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _signing;
    private readonly RsaSecurityKey _public;
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>Creates the key.</summary>
    public Tokens()
    {
        var kid = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(9));
        _signing = new RsaSecurityKey(_rsa) { KeyId = kid };
        _public = new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = kid };
    }

    /// <summary>The public key as a JWKS document.</summary>
    public JsonObject Jwks()
    {
        var p = _public.Parameters;
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = _public.KeyId,
                ["n"] = Base64UrlEncoder.Encode(p.Modulus),
                ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            }),
        };
    }

    /// <summary>A signed JWT.</summary>
    public string Create(string issuer, string audience, string subject, TimeSpan lifetime, IDictionary<string, object> claims)
    {
        var now = DateTime.UtcNow;
        var all = new Dictionary<string, object>(claims) { ["sub"] = subject, ["jti"] = Guid.NewGuid().ToString("N") };
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = all,
            SigningCredentials = new SigningCredentials(_signing, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>Checks an access token for the FHIR API: signature, issuer, audience, lifetime.</summary>
    public async Task<JsonWebToken?> ValidateAsync(string token, string issuer, string audience)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            IssuerSigningKey = _public,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
        });
        return result.IsValid ? result.SecurityToken as JsonWebToken : null;
    }

    /// <inheritdoc />
    public void Dispose() => _rsa.Dispose();
}
