using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using BoneMetRT.Api.Features.Smart;
using BoneMetRT.Api.Infrastructure;
using BoneMetRT.Api.Tests.TestSupport;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace BoneMetRT.Api.Tests.Smart;

/// <summary>
/// Token checks of <c>Patient/{id}/$assess</c> with tokens made here, signed by keys the service trusts (RSA and EC)
/// or forged: pinned algorithms, token type, clock skew, <c>scp</c> and <c>scope</c> in both forms, SMART v2
/// granular scopes narrowing the searches, user-level scopes without a <c>patient</c> claim. A fake FHIR server
/// answers the reads and records the searches.
/// </summary>
public sealed class JwtValidationTests : IDisposable
{
    private const string Issuer = "https://auth.test";
    private const string FhirBase = "https://ehr.test/fhir";
    private const string Patient = "p1";
    private const string PatientScopes = "patient/Patient.rs patient/Condition.rs patient/Observation.rs patient/Procedure.rs";
    private const string Laboratory = "http://terminology.hl7.org/CodeSystem/observation-category|laboratory";

    private readonly RsaSecurityKey _rsa = new(RSA.Create(2048)) { KeyId = "rsa-1" };
    private readonly ECDsaSecurityKey _ec = new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "ec-1" };
    private readonly List<IDisposable> _owned = [];

    /// <summary>Introspection requests the fake authorization server received (their form bodies).</summary>
    private ConcurrentQueue<string> Introspected { get; } = new();

    /// <summary>Searches the fake FHIR server received (path and query).</summary>
    private ConcurrentQueue<string> Searches { get; } = new();

    public void Dispose()
    {
        foreach (var d in _owned)
        {
            d.Dispose();
        }
    }

    private HttpClient Service(params (string Key, string Value)[] settings)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("BoneMetRT:FhirServer:BaseUrl", FhirBase);
            b.UseSetting("BoneMetRT:Auth:Authority", Issuer);
            foreach (var (k, v) in settings)
            {
                b.UseSetting(k, v);
            }

            b.ConfigureTestServices(s =>
            {
                // The authorization server's discovery, as JwtBearer would have read it: issuer and both public keys.
                var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
                configuration.SigningKeys.Add(new RsaSecurityKey(_rsa.Rsa.ExportParameters(false)) { KeyId = _rsa.KeyId });
                configuration.SigningKeys.Add(new ECDsaSecurityKey(ECDsa.Create(_ec.ECDsa.ExportParameters(false))) { KeyId = _ec.KeyId });
                s.PostConfigure<JwtBearerOptions>(SmartAuth.Scheme, o =>
                {
                    o.Configuration = configuration;
                    o.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
                });
                s.AddHttpClient<FhirServerClient>().ConfigurePrimaryHttpMessageHandler(() => new FakeFhirServer(Searches));
                s.AddHttpClient<TokenIntrospection>().ConfigurePrimaryHttpMessageHandler(() => new FakeIntrospection(Introspected));
            });
        });
        _owned.Add(factory);
        return factory.CreateClient();
    }

    private string Token(Action<SecurityTokenDescriptor>? change = null, SigningCredentials? credentials = null, Dictionary<string, object>? claims = null)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = FhirBase,
            IssuedAt = DateTime.UtcNow.AddMinutes(-1),
            NotBefore = DateTime.UtcNow.AddMinutes(-1),
            Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = claims ?? new Dictionary<string, object> { ["scope"] = PatientScopes, ["patient"] = Patient, ["sub"] = "dr-who", ["client_id"] = "bonemetrt" },
            SigningCredentials = credentials ?? new SigningCredentials(_rsa, SecurityAlgorithms.RsaSha256),
        };
        change?.Invoke(descriptor);
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    private static async Task<HttpResponseMessage> AssessAsync(HttpClient client, string token, string patient = Patient)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/fhir/Patient/{patient}/$assess");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    private static async Task AssertStatusAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        if (status == HttpStatusCode.OK)
        {
            Assert.True(response.StatusCode == status, await response.Content.ReadAsStringAsync());
            return;
        }

        await Wire.AssertOutcomeAsync(response, status);
    }

    private static string B64(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    private static string Payload(long exp) =>
        $$"""{"iss":"{{Issuer}}","aud":"{{FhirBase}}","exp":{{exp}},"nbf":{{exp - 600}},"scope":"{{PatientScopes}}","patient":"{{Patient}}"}""";

    [Fact]
    public async Task A_well_formed_RS256_or_ES256_token_is_accepted()
    {
        var client = Service();

        await AssertStatusAsync(await AssessAsync(client, Token()), HttpStatusCode.OK);
        await AssertStatusAsync(await AssessAsync(client, Token(credentials: new SigningCredentials(_ec, SecurityAlgorithms.EcdsaSha256))), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Forged_tokens_are_refused_with_401()
    {
        var client = Service();
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();

        // alg none, no signature.
        var none = $"{B64("""{"alg":"none","typ":"JWT"}""")}.{B64(Payload(exp))}.";
        // HS256 keyed with the RSA public key (the classic algorithm confusion).
        var publicKey = _rsa.Rsa.ExportSubjectPublicKeyInfo();
        var hmac = Token(credentials: new SigningCredentials(new SymmetricSecurityKey(publicKey) { KeyId = _rsa.KeyId }, SecurityAlgorithms.HmacSha256));
        // A key of its own, announced in the header.
        var foreign = Token(credentials: new SigningCredentials(new RsaSecurityKey(RSA.Create(2048)) { KeyId = _rsa.KeyId }, SecurityAlgorithms.RsaSha256));
        // A claim changed after signing.
        var good = Token().Split('.');
        var tampered = $"{good[0]}.{B64(Payload(exp).Replace(Patient, "p2", StringComparison.Ordinal))}.{good[2]}";
        // Another issuer, another audience.
        var otherIssuer = Token(d => d.Issuer = "https://evil.test");
        var otherAudience = Token(d => d.Audience = "https://other.test/fhir");

        foreach (var token in new[] { none, hmac, foreign, tampered, otherIssuer, otherAudience })
        {
            using var response = await AssessAsync(client, token);
            await AssertStatusAsync(response, HttpStatusCode.Unauthorized);
            Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_algorithm_left_out_of_the_setting_is_refused()
    {
        var client = Service(("BoneMetRT:Auth:Algorithms", "RS256"));

        await AssertStatusAsync(await AssessAsync(client, Token(credentials: new SigningCredentials(_ec, SecurityAlgorithms.EcdsaSha256))), HttpStatusCode.Unauthorized);
        await AssertStatusAsync(await AssessAsync(client, Token()), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Expiry_is_held_within_the_configured_skew_of_30_seconds()
    {
        var client = Service();

        // 151 s after expiry (accepted before with the 5-minute default): refused.
        await AssertStatusAsync(await AssessAsync(client, Token(d => { d.Expires = DateTime.UtcNow.AddSeconds(-151); d.NotBefore = DateTime.UtcNow.AddMinutes(-10); d.IssuedAt = d.NotBefore; })), HttpStatusCode.Unauthorized);
        await AssertStatusAsync(await AssessAsync(client, Token(d => { d.Expires = DateTime.UtcNow.AddSeconds(-45); d.NotBefore = DateTime.UtcNow.AddMinutes(-10); d.IssuedAt = d.NotBefore; })), HttpStatusCode.Unauthorized);
        // 5 s after expiry: within the skew.
        await AssertStatusAsync(await AssessAsync(client, Token(d => { d.Expires = DateTime.UtcNow.AddSeconds(-5); d.NotBefore = DateTime.UtcNow.AddMinutes(-10); d.IssuedAt = d.NotBefore; })), HttpStatusCode.OK);
        // Not yet valid.
        await AssertStatusAsync(await AssessAsync(client, Token(d => { d.NotBefore = DateTime.UtcNow.AddMinutes(2); d.IssuedAt = d.NotBefore; d.Expires = DateTime.UtcNow.AddMinutes(10); })), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public void A_skew_over_60_seconds_stops_the_service()
    {
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Service(("BoneMetRT:Auth:ClockSkewSeconds", "300")));
        Assert.Contains("ClockSkewSeconds", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("JWT", HttpStatusCode.OK)]
    [InlineData("at+jwt", HttpStatusCode.OK)]
    [InlineData("application/at+jwt", HttpStatusCode.OK)]
    [InlineData("id_token+jwt", HttpStatusCode.Unauthorized)]
    [InlineData("logout+jwt", HttpStatusCode.Unauthorized)]
    public async Task The_token_type_is_checked_when_the_issuer_sets_one(string type, HttpStatusCode status)
    {
        var client = Service();

        await AssertStatusAsync(await AssessAsync(client, Token(d => d.TokenType = type)), status);
    }

    [Fact]
    public async Task Scopes_are_read_from_scp_or_scope_as_a_string_or_an_array()
    {
        var client = Service();
        var list = PatientScopes.Split(' ');
        var forms = new Dictionary<string, object>[]
        {
            new() { ["scp"] = PatientScopes, ["patient"] = Patient },
            new() { ["scp"] = list, ["patient"] = Patient },
            new() { ["scope"] = list, ["patient"] = Patient },
            new() { ["scope"] = "launch/patient openid", ["scp"] = list, ["patient"] = Patient },
        };

        foreach (var claims in forms)
        {
            await AssertStatusAsync(await AssessAsync(client, Token(claims: claims)), HttpStatusCode.OK);
        }

        await AssertStatusAsync(await AssessAsync(client, Token(claims: new() { ["scp"] = "patient/Observation.rs", ["patient"] = Patient })), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_granular_scope_narrows_the_search_to_its_category()
    {
        var client = Service();
        var scopes = $"patient/Patient.rs patient/Condition.rs patient/Procedure.rs patient/Observation.rs?category={Uri.EscapeDataString(Laboratory)}";

        await AssertStatusAsync(await AssessAsync(client, Token(claims: new() { ["scope"] = scopes, ["patient"] = Patient })), HttpStatusCode.OK);

        var observation = Assert.Single(Searches, s => s.StartsWith("/fhir/Observation?", StringComparison.Ordinal));
        Assert.Contains("category=" + Uri.EscapeDataString(Laboratory), observation, StringComparison.Ordinal);
        Assert.DoesNotContain(Searches, s => s.StartsWith("/fhir/Condition?", StringComparison.Ordinal) && s.Contains("category", StringComparison.Ordinal));

        // An unrestricted scope next to it wins: nothing is narrowed.
        Searches.Clear();
        await AssertStatusAsync(await AssessAsync(client, Token(claims: new() { ["scope"] = scopes + " patient/Observation.rs", ["patient"] = Patient })), HttpStatusCode.OK);
        Assert.DoesNotContain(Searches, s => s.Contains("category", StringComparison.Ordinal));

        // A restriction that is not a plain search parameter gives nothing.
        await AssertStatusAsync(await AssessAsync(client, Token(claims: new() { ["scope"] = "patient/Patient.rs patient/Condition.rs patient/Procedure.rs patient/Observation.rs?_include=*", ["patient"] = Patient })), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task User_level_scopes_without_a_patient_claim_reach_any_patient_unless_configured_off()
    {
        var user = Token(claims: new() { ["scope"] = PatientScopes.Replace("patient/", "user/", StringComparison.Ordinal), ["sub"] = "dr-who" });

        await AssertStatusAsync(await AssessAsync(Service(), user, "p2"), HttpStatusCode.OK);
        await AssertStatusAsync(await AssessAsync(Service(("BoneMetRT:Auth:AllowUserLevelScopes", "false")), user, "p2"), HttpStatusCode.Forbidden);

        // Patient-level scopes without a patient claim reach no one.
        var patientLevel = Token(claims: new() { ["scope"] = PatientScopes, ["sub"] = "dr-who" });
        await AssertStatusAsync(await AssessAsync(Service(), patientLevel, "p2"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task At_instance_level_a_CPU_slot_is_held_for_the_assessment_only_not_for_the_reads()
    {
        var client = Service(("BoneMetRT:Load:MaxConcurrentRequests", "1"), ("BoneMetRT:Load:QueueLimit", "0"));
        var factory = (WebApplicationFactory<Program>)_owned[^1];
        var lease = await factory.Services.GetRequiredService<CpuGate>().EnterAsync(CancellationToken.None);
        Searches.Clear();

        using (var refused = await AssessAsync(client, Token()))
        {
            await AssertStatusAsync(refused, HttpStatusCode.ServiceUnavailable);
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        // The reads ran without a slot (a slow FHIR server holds none); only the assessment needed one.
        Assert.Equal(3, Searches.Count);
        lease.Dispose();
        await AssertStatusAsync(await AssessAsync(client, Token()), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Opaque_tokens_are_checked_by_introspection_when_it_is_configured()
    {
        // Without introspection an opaque token is refused.
        await AssertStatusAsync(await AssessAsync(Service(), "opaque-good"), HttpStatusCode.Unauthorized);

        var client = Service(("BoneMetRT:Auth:IntrospectionEndpoint", "https://auth.test/introspect"),
            ("BoneMetRT:Auth:IntrospectionClientId", "bonemetrt-rs"), ("BoneMetRT:Auth:IntrospectionClientSecret", "s3cret"));

        await AssertStatusAsync(await AssessAsync(client, "opaque-good"), HttpStatusCode.OK);
        Assert.Contains("token=opaque-good", Introspected.Last(), StringComparison.Ordinal);
        await AssertStatusAsync(await AssessAsync(client, "opaque-good", "p2"), HttpStatusCode.Forbidden); // its patient only
        foreach (var refused in new[] { "opaque-revoked", "opaque-expired", "opaque-other-audience", "opaque-other-issuer", "opaque-unknown" })
        {
            await AssertStatusAsync(await AssessAsync(client, refused), HttpStatusCode.Unauthorized);
        }

        // JWTs are still checked as JWTs, not introspected.
        Introspected.Clear();
        await AssertStatusAsync(await AssessAsync(client, Token()), HttpStatusCode.OK);
        Assert.Empty(Introspected);
    }

    /// <summary>An RFC 7662 endpoint: answers by token, only to the service's client credentials.</summary>
    private sealed class FakeIntrospection(ConcurrentQueue<string> seen) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var form = await request.Content!.ReadAsStringAsync(cancellationToken);
            seen.Enqueue(form);
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("bonemetrt-rs:s3cret"));
            if (request.Headers.Authorization?.Parameter != basic)
            {
                return new HttpResponseMessage(HttpStatusCode.Unauthorized);
            }

            var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
            var token = Uri.UnescapeDataString(form.Split('&').First(p => p.StartsWith("token=", StringComparison.Ordinal))["token=".Length..]);
            var json = token switch
            {
                "opaque-good" => $$"""{"active":true,"scope":"{{PatientScopes}}","patient":"{{Patient}}","sub":"dr-who","client_id":"bonemetrt","aud":"{{FhirBase}}","iss":"{{Issuer}}","exp":{{exp}}}""",
                "opaque-expired" => $$"""{"active":true,"scope":"{{PatientScopes}}","patient":"{{Patient}}","aud":"{{FhirBase}}","exp":{{exp - 3600}}}""",
                "opaque-other-audience" => $$"""{"active":true,"scope":"{{PatientScopes}}","patient":"{{Patient}}","aud":["https://other.test/fhir"],"exp":{{exp}}}""",
                "opaque-other-issuer" => $$"""{"active":true,"scope":"{{PatientScopes}}","patient":"{{Patient}}","iss":"https://evil.test","exp":{{exp}}}""",
                _ => """{"active":false}""",
            };
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        }
    }

    /// <summary>Answers reads of any Patient and every search with one empty page; records the searches.</summary>
    private sealed class FakeFhirServer(ConcurrentQueue<string> searches) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!;
            string body;
            if (url.AbsolutePath.StartsWith("/fhir/Patient/", StringComparison.Ordinal))
            {
                body = $$"""{"resourceType":"Patient","id":"{{url.AbsolutePath.Split('/').Last()}}"}""";
            }
            else
            {
                searches.Enqueue(url.PathAndQuery);
                body = """{"resourceType":"Bundle","type":"searchset"}""";
            }

            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/fhir+json"),
            });
        }
    }
}
