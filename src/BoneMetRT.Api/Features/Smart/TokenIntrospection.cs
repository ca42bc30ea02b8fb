using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using BoneMetRT.Api.Infrastructure;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Features.Smart;

/// <summary>
/// RFC 7662 token introspection for opaque (non-JWT) access tokens, when <c>BoneMetRT:Auth:IntrospectionEndpoint</c> is
/// set: the authorization server says whether the token is active and what it carries. The answer is held to the same
/// rules as a JWT's claims: active, not expired (with the configured skew), audience and issuer as configured when
/// the answer names them. Nothing of the token or the answer is logged.
/// </summary>
public sealed class TokenIntrospection(HttpClient http, IOptions<BoneMetRTOptions> options)
{
    /// <summary>Largest introspection answer read (an answer is a small JSON object).</summary>
    private const int MaxAnswerBytes = 64 * 1024;

    /// <summary>Whether a bearer token is a JWS (three dot-separated parts) rather than an opaque token.</summary>
    public static bool IsJwt(string token) => token.Count(c => c == '.') == 2;

    /// <summary>The token's principal when the authorization server says it is active and it passes the checks; else null.</summary>
    public async Task<ClaimsPrincipal?> IntrospectAsync(string token, CancellationToken ct)
    {
        var o = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, o.Auth.IntrospectionEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["token_type_hint"] = "access_token" }),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (o.Auth.IntrospectionClientId.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
                System.Text.Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(o.Auth.IntrospectionClientId)}:{Uri.EscapeDataString(o.Auth.IntrospectionClientSecret)}")));
        }

        JsonElement answer;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > MaxAnswerBytes)
            {
                return null;
            }

            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[MaxAnswerBytes + 1];
            var length = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(length), ct)) > 0)
            {
                length += read;
                if (length > MaxAnswerBytes)
                {
                    return null;
                }
            }

            answer = JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // The authorization server could not vouch for the token: refused, as an unverifiable JWT would be.
            return null;
        }

        return Check(answer, o);
    }

    private static ClaimsPrincipal? Check(JsonElement answer, BoneMetRTOptions o)
    {
        if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("active", out var active) || active.ValueKind != JsonValueKind.True)
        {
            return null;
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var skew = o.Auth.ClockSkewSeconds;
        if ((Number(answer, "exp") is { } exp && exp + skew < now) || (Number(answer, "nbf") is { } nbf && nbf - skew > now))
        {
            return null;
        }

        var audience = o.Auth.Audience.Length > 0 ? o.Auth.Audience : o.FhirServer.BaseUrl.TrimEnd('/');
        if (answer.TryGetProperty("aud", out var aud)
            && !Strings(aud).Any(a => a.TrimEnd('/') == audience.TrimEnd('/')))
        {
            return null;
        }

        if (o.Auth.Authority.Length > 0 && answer.TryGetProperty("iss", out var iss) && iss.GetString()?.TrimEnd('/') != o.Auth.Authority.TrimEnd('/'))
        {
            return null;
        }

        var identity = new ClaimsIdentity("introspection");
        foreach (var name in new[] { "scope", "scp", "sub", "client_id", "patient", "iss" })
        {
            if (answer.TryGetProperty(name, out var value))
            {
                foreach (var text in Strings(value))
                {
                    identity.AddClaim(new Claim(name, text));
                }
            }
        }

        return new ClaimsPrincipal(identity);
    }

    private static long? Number(JsonElement answer, string name) =>
        answer.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

    private static IEnumerable<string> Strings(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Array => value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!),
        _ => [],
    };
}
