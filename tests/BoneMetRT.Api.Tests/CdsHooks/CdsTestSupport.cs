using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BoneMetRT.Api.Tests.CdsHooks;

/// <summary>A clock stopped on the examples' assessment date (2026-03-16, noon UTC), so hook answers match the examples.</summary>
public sealed class FixedClock : TimeProvider
{
    /// <summary>The instant.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 16, 12, 0, 0, TimeSpan.Zero);

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>The service in memory with the fixed clock and CDS Hooks settings.</summary>
public class CdsApiFactory : WebApplicationFactory<Program>
{
    /// <summary>Settings added to appsettings.json.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["BoneMetRT:CdsHooks:AllowUnauthenticated"] = "true",
    };

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        // The FHIR endpoints' token policy is not what these tests are about (the CDS service checks its own JWTs).
        builder.UseSetting("BoneMetRT:Auth:RequireToken", "false");
        foreach (var (k, v) in Settings)
        {
            builder.UseSetting(k, v);
        }

        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(new FixedClock()));
    }
}

/// <summary>The service trusting one CDS client (inline JWKS with an RSA and an EC P-384 key); unauthenticated calls refused.</summary>
public sealed class CdsAuthApiFactory : CdsApiFactory
{
    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["BoneMetRT:CdsHooks:TrustedClients:0:Issuer"] = CdsClientKeys.Issuer,
        ["BoneMetRT:CdsHooks:TrustedClients:0:Jwks"] = CdsClientKeys.Trusted.Jwks,
    };
}

/// <summary>The service under another CDS base path, in French by setting.</summary>
public sealed class CdsCustomApiFactory : CdsApiFactory
{
    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["BoneMetRT:CdsHooks:AllowUnauthenticated"] = "true",
        ["BoneMetRT:CdsHooks:BasePath"] = "/ehr/cds",
        ["BoneMetRT:CdsHooks:Language"] = "fr",
    };
}

/// <summary>Signing keys of a CDS client and JWTs made with them.</summary>
public sealed class CdsClientKeys
{
    /// <summary>The trusted client's issuer.</summary>
    public const string Issuer = "https://ehr.example.org";

    /// <summary>The trusted client's keys.</summary>
    public static readonly CdsClientKeys Trusted = new();

    /// <summary>Keys nobody trusts.</summary>
    public static readonly CdsClientKeys Other = new();

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);

    private CdsClientKeys()
    {
        var rsa = _rsa.ExportParameters(false);
        var ec = _ec.ExportParameters(false);
        Jwks = new JsonObject
        {
            ["keys"] = new JsonArray(
                new JsonObject { ["kty"] = "RSA", ["kid"] = "rsa-1", ["use"] = "sig", ["alg"] = "RS384", ["n"] = Base64UrlEncoder.Encode(rsa.Modulus), ["e"] = Base64UrlEncoder.Encode(rsa.Exponent) },
                new JsonObject { ["kty"] = "EC", ["kid"] = "ec-1", ["use"] = "sig", ["alg"] = "ES384", ["crv"] = "P-384", ["x"] = Base64UrlEncoder.Encode(ec.Q.X), ["y"] = Base64UrlEncoder.Encode(ec.Q.Y) }),
        }.ToJsonString();
    }

    /// <summary>The public JWK Set.</summary>
    public string Jwks { get; }

    /// <summary>A client JWT (RS384 unless <paramref name="ec"/>), issued <paramref name="issuedAgo"/> before the fixed clock, living <paramref name="lifetime"/>.</summary>
    public string Token(string audience, string issuer = Issuer, string? jti = null, TimeSpan? issuedAgo = null, TimeSpan? lifetime = null, bool ec = false)
    {
        var iat = FixedClock.Now - (issuedAgo ?? TimeSpan.Zero);
        var key = ec ? (SecurityKey)new ECDsaSecurityKey(_ec) { KeyId = "ec-1" } : new RsaSecurityKey(_rsa) { KeyId = "rsa-1" };
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = iat.UtcDateTime,
            Expires = (iat + (lifetime ?? TimeSpan.FromMinutes(5))).UtcDateTime,
            Claims = new Dictionary<string, object> { ["jti"] = jti ?? Guid.NewGuid().ToString(), ["sub"] = "ehr-client" },
            SigningCredentials = new SigningCredentials(key, ec ? SecurityAlgorithms.EcdsaSha384 : SecurityAlgorithms.RsaSha384),
        });
    }
}

/// <summary>Hook calls built from the examples, as an EHR would send them.</summary>
public static class CdsCalls
{
    /// <summary>Base of the test EHR's FHIR server named in calls.</summary>
    public const string Ehr = "http://ehr.test/fhir";

    /// <summary>
    /// The example's data as an EHR holds it: every resource with an id and relative references (the examples that use
    /// urn:uuid fullUrls get the uuid as id), and the other types an EHR would not return for these searches dropped.
    /// Returns the Patient id and the resources by type.
    /// </summary>
    public static (string PatientId, Dictionary<string, List<JsonObject>> ByType) Chart(string example)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(ExampleCatalog.ValidFolder, example)))!;
        var bundle = root["resourceType"]!.GetValue<string>() == "Parameters" ? root["parameter"]![0]!["resource"]! : root;
        var rename = new Dictionary<string, string>();
        foreach (var entry in bundle["entry"]!.AsArray())
        {
            var resource = entry!["resource"]!.AsObject();
            if (entry["fullUrl"]?.GetValue<string>() is { } url && url.StartsWith("urn:uuid:", StringComparison.Ordinal))
            {
                var id = resource["id"]?.GetValue<string>() ?? url["urn:uuid:".Length..];
                resource["id"] = id;
                rename[url] = $"{resource["resourceType"]!.GetValue<string>()}/{id}";
            }
        }

        var text = bundle.ToJsonString();
        foreach (var (from, to) in rename)
        {
            text = text.Replace($"\"{from}\"", $"\"{to}\"", StringComparison.Ordinal);
        }

        var byType = new Dictionary<string, List<JsonObject>>();
        foreach (var entry in JsonNode.Parse(text)!["entry"]!.AsArray())
        {
            var resource = entry!["resource"]!.AsObject();
            var type = resource["resourceType"]!.GetValue<string>();
            if (!byType.TryGetValue(type, out var list))
            {
                byType[type] = list = [];
            }

            list.Add((JsonObject)resource.DeepClone());
        }

        return (byType["Patient"][0]["id"]!.GetValue<string>(), byType);
    }

    /// <summary>The prefetch of the discovery templates for the chart.</summary>
    public static JsonObject Prefetch(Dictionary<string, List<JsonObject>> chart)
    {
        JsonObject Searchset(string type)
        {
            var entries = new JsonArray();
            foreach (var r in chart.GetValueOrDefault(type) ?? [])
            {
                entries.Add(new JsonObject { ["fullUrl"] = $"{Ehr}/{type}/{r["id"]!.GetValue<string>()}", ["resource"] = r.DeepClone(), ["search"] = new JsonObject { ["mode"] = "match" } });
            }

            var bundle = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "searchset", ["total"] = entries.Count };
            if (entries.Count > 0)
            {
                bundle["entry"] = entries; // FHIR JSON has no empty arrays
            }

            return bundle;
        }

        return new JsonObject
        {
            ["patient"] = chart["Patient"][0].DeepClone(),
            ["conditions"] = Searchset("Condition"),
            ["observations"] = Searchset("Observation"),
            ["procedures"] = Searchset("Procedure"),
        };
    }

    /// <summary>A hook call body.</summary>
    public static JsonObject Call(string hook, string patientId, JsonObject? prefetch, JsonObject? draftOrders = null, string? fhirServer = null, string? accessToken = null)
    {
        var context = new JsonObject { ["userId"] = "Practitioner/example", ["patientId"] = patientId };
        if (draftOrders is not null)
        {
            context["draftOrders"] = draftOrders;
            if (hook == "order-select")
            {
                context["selections"] = new JsonArray(draftOrders["entry"]!.AsArray().Select(e => (JsonNode?)JsonValue.Create($"ServiceRequest/{e!["resource"]!["id"]}")).ToArray());
            }
        }

        var call = new JsonObject { ["hook"] = hook, ["hookInstance"] = Guid.NewGuid().ToString(), ["context"] = context };
        if (fhirServer is not null)
        {
            call["fhirServer"] = fhirServer;
        }

        if (accessToken is not null)
        {
            call["fhirAuthorization"] = new JsonObject { ["access_token"] = accessToken, ["token_type"] = "Bearer", ["expires_in"] = 300, ["scope"] = "patient/Patient.r patient/Condition.s patient/Observation.s patient/Procedure.s", ["subject"] = "bonemetrt" };
        }

        if (prefetch is not null)
        {
            call["prefetch"] = prefetch;
        }

        return call;
    }

    /// <summary>POSTs a JSON body.</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, JsonNode body, string? jwt = null, string? language = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        if (jwt is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
        }

        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }

        return client.SendAsync(request);
    }

    /// <summary>Reads a 200 JSON answer.</summary>
    public static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Reads a refusal: the status and an OperationOutcome; returns the first issue's text.</summary>
    public static async Task<string> RefusedAsync(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {text}");
        var root = JsonDocument.Parse(text).RootElement;
        Assert.Equal("OperationOutcome", root.GetProperty("resourceType").GetString());
        return root.GetProperty("issue")[0].GetProperty("details").GetProperty("text").GetString()!;
    }

    /// <summary>
    /// Checks a card against the required fields and value sets of CDS Hooks 2.0 (Card: summary under 140 characters,
    /// indicator, source.label; Suggestion: label, actions with type and description; selectionBehavior with suggestions;
    /// Link: label, url, type absolute or smart).
    /// </summary>
    public static void AssertCardShape(JsonElement card)
    {
        Assert.True(Guid.TryParse(card.GetProperty("uuid").GetString(), out _));
        var summary = card.GetProperty("summary").GetString()!;
        Assert.InRange(summary.Length, 1, 139);
        Assert.Contains(card.GetProperty("indicator").GetString(), new[] { "info", "warning", "critical" });
        Assert.False(string.IsNullOrWhiteSpace(card.GetProperty("source").GetProperty("label").GetString()));
        if (card.TryGetProperty("suggestions", out var suggestions))
        {
            Assert.Contains(card.GetProperty("selectionBehavior").GetString(), new[] { "at-most-one", "any" });
            foreach (var s in suggestions.EnumerateArray())
            {
                Assert.False(string.IsNullOrWhiteSpace(s.GetProperty("label").GetString()));
                foreach (var a in s.GetProperty("actions").EnumerateArray())
                {
                    Assert.Contains(a.GetProperty("type").GetString(), new[] { "create", "update", "delete" });
                    Assert.False(string.IsNullOrWhiteSpace(a.GetProperty("description").GetString()));
                    Assert.False(string.IsNullOrEmpty(a.GetProperty("resource").GetProperty("resourceType").GetString()));
                }
            }
        }

        foreach (var link in card.TryGetProperty("links", out var links) ? links.EnumerateArray() : default)
        {
            Assert.False(string.IsNullOrWhiteSpace(link.GetProperty("label").GetString()));
            Assert.True(Uri.IsWellFormedUriString(link.GetProperty("url").GetString(), UriKind.Absolute));
            Assert.Contains(link.GetProperty("type").GetString(), new[] { "absolute", "smart" });
        }
    }
}
