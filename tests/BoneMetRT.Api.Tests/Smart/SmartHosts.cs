using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BoneMetRT.Api.Features.Smart;
using BoneMetRT.Api.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using TestEhrProgram = BoneMetRT.TestEhr.Program;

namespace BoneMetRT.Api.Tests.Smart;

/// <summary>
/// The test EHR and the BoneMetRT service in memory, wired together: the service's JwtBearer reads the EHR's OpenID
/// discovery and JWKS, and its FHIR client calls the EHR's FHIR API, through the EHR's test server. Tokens come from
/// the EHR's real /authorize and /token (PKCE S256). Search pages are 3 entries long so that paging is exercised.
/// </summary>
public sealed class SmartHosts : IDisposable
{
    /// <summary>Issuer of the test EHR.</summary>
    public const string EhrUrl = "http://ehr.test";

    /// <summary>FHIR base of the test EHR.</summary>
    public const string FhirBase = EhrUrl + "/fhir";

    /// <summary>Redirect URI registered for the app.</summary>
    public const string RedirectUri = "http://app.test/app/index.html";

    private readonly List<IDisposable> _owned = [];

    /// <summary>Starts the EHR.</summary>
    public SmartHosts()
    {
        Ehr = NewEhr();
    }

    /// <summary>The test EHR.</summary>
    public WebApplicationFactory<TestEhrProgram> Ehr { get; }

    /// <summary>Log lines the service wrote (at its configured levels).</summary>
    public ConcurrentQueue<string> ServiceLogs { get; } = new();

    /// <summary>A new test EHR (its own signing key).</summary>
    public WebApplicationFactory<TestEhrProgram> NewEhr()
    {
        var ehr = new WebApplicationFactory<TestEhrProgram>().WithWebHostBuilder(b =>
        {
            b.UseSetting("TestEhr:PublicUrl", EhrUrl);
            b.UseSetting("TestEhr:AppLaunchUrl", "http://app.test/app/launch.html");
            b.UseSetting("TestEhr:MaxPageSize", "3");
        });
        _owned.Add(ehr);
        return ehr;
    }

    /// <summary>The service configured against the EHR, with extra settings.</summary>
    public HttpClient Service(params (string Key, string Value)[] settings)
    {
        var api = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("BoneMetRT:FhirServer:BaseUrl", FhirBase);
            b.UseSetting("BoneMetRT:Auth:Authority", EhrUrl);
            b.UseSetting("BoneMetRT:Auth:RequireHttpsMetadata", "false");
            foreach (var (k, v) in settings)
            {
                b.UseSetting(k, v);
            }

            b.ConfigureLogging(l => l.AddProvider(new CaptureLogs(ServiceLogs)));
            b.ConfigureTestServices(s =>
            {
                s.Configure<JwtBearerOptions>(SmartAuth.Scheme, o => o.BackchannelHttpHandler = Ehr.Server.CreateHandler());
                s.AddHttpClient<FhirServerClient>().ConfigurePrimaryHttpMessageHandler(() => Ehr.Server.CreateHandler());
            });
        });
        _owned.Add(api);
        return api.CreateClient();
    }

    /// <summary>An access token from an EHR through /authorize (auto-approved) and /token, as a SMART app gets it.</summary>
    public static async Task<string> TokenAsync(WebApplicationFactory<TestEhrProgram> ehr, string scope, string? patient)
    {
        using var client = ehr.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri(EhrUrl) });
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var query = string.Join('&', new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = "bonemetrt", ["redirect_uri"] = RedirectUri, ["scope"] = scope, ["state"] = "st",
            ["aud"] = FhirBase, ["code_challenge"] = challenge, ["code_challenge_method"] = "S256", ["auto_approve"] = "1", ["patient"] = patient,
        }.Where(x => x.Value is not null).Select(x => $"{x.Key}={Uri.EscapeDataString(x.Value!)}"));
        var authorize = await client.GetAsync($"/authorize?{query}");
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        var location = authorize.Headers.Location!.ToString();
        var code = Uri.UnescapeDataString(location.Split("code=")[1].Split('&')[0]);
        var token = await client.PostAsync("/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = RedirectUri, ["client_id"] = "bonemetrt", ["code_verifier"] = verifier,
        }));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        using var json = JsonDocument.Parse(await token.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var d in Enumerable.Reverse(_owned))
        {
            d.Dispose();
        }
    }

    private sealed class CaptureLogs(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, sink);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> sink) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                sink.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
