using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;
using TestEhrProgram = BoneMetRT.TestEhr.Program;

namespace BoneMetRT.E2E.Tests;

/// <summary>Where things are, and the switches of the end-to-end suite.</summary>
public static class E2E
{
    /// <summary>Set to 1 to skip the browser tests (only where Chromium cannot be installed).</summary>
    public const string SkipBrowserVariable = "BONEMETRT_E2E_SKIP_BROWSER";

    /// <summary>Set to 1 to skip the check of the committed app bundle (only where Node.js and npm cannot be installed).</summary>
    public const string SkipBundleVariable = "BONEMETRT_E2E_SKIP_BUNDLE_CHECK";

    /// <summary>Chromium to drive: <c>BONEMETRT_CHROMIUM</c>, else Debian's <c>/usr/bin/chromium</c>.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("BONEMETRT_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    /// <summary>The repository's root (the folder of BoneMetRT.sln).</summary>
    public static string RepoRoot => RepoPaths.Root;

    /// <summary>Where screenshots go: <c>TestResults/e2e/</c> under the repository root.</summary>
    public static string Artefacts { get; } = Directory.CreateDirectory(Path.Combine(RepoRoot, "TestResults", "e2e")).FullName;

    /// <summary>A free loopback port.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A fact that the given environment variable (set to 1) turns into a skip, saying why.</summary>
public sealed class SkippableFactAttribute : FactAttribute
{
    /// <summary>Skips when <paramref name="variable"/> is 1.</summary>
    public SkippableFactAttribute(string variable)
    {
        if (Environment.GetEnvironmentVariable(variable) == "1")
        {
            Skip = $"{variable}=1";
        }
    }
}

/// <summary>
/// The sandbox on real ports, as <c>sandbox/run.sh</c> starts it: the test EHR and the BoneMetRT service configured
/// against it, both on 127.0.0.1 (Kestrel, in this process). The EHR pages searches by 3 so the app follows next
/// links. And one headless Chromium.
/// </summary>
public class SandboxFixture : IAsyncLifetime
{
    private WebApplicationFactory<TestEhrProgram>? _ehr;
    private WebApplicationFactory<Program>? _api;
    private IPlaywright? _playwright;

    /// <summary>The EHR's address.</summary>
    public string EhrUrl { get; private set; } = "";

    /// <summary>The service's address.</summary>
    public string ApiUrl { get; private set; } = "";

    /// <summary>Chromium.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Whether the service offers write-back (<c>BoneMetRT:SmartApp:WriteBack</c>).</summary>
    protected virtual bool WriteBack => false;

    /// <summary>The test EHR's records, to check what an app saved.</summary>
    public BoneMetRT.TestEhr.PatientStore EhrStore => (BoneMetRT.TestEhr.PatientStore)_ehr!.Services.GetService(typeof(BoneMetRT.TestEhr.PatientStore))!;

    /// <summary>Seconds the start took (both servers and the browser).</summary>
    public double StartSeconds { get; private set; }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(E2E.SkipBrowserVariable) == "1")
        {
            return;
        }

        if (!File.Exists(E2E.ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {E2E.ChromiumPath}: the end-to-end tests need it (Debian: apt-get install -y chromium; " +
                $"or set BONEMETRT_CHROMIUM to a Chromium binary). To skip these tests on purpose, set {E2E.SkipBrowserVariable}=1.");
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var ehrPort = E2E.FreePort();
        var apiPort = E2E.FreePort();
        EhrUrl = $"http://127.0.0.1:{ehrPort}";
        ApiUrl = $"http://127.0.0.1:{apiPort}";

        _ehr = new WebApplicationFactory<TestEhrProgram>().WithWebHostBuilder(b =>
        {
            b.UseSetting("TestEhr:PublicUrl", EhrUrl);
            b.UseSetting("TestEhr:AppLaunchUrl", $"{ApiUrl}/app/launch.html");
            b.UseSetting("TestEhr:MaxPageSize", "3");
        });
        _ehr.UseKestrel(k => k.Listen(IPAddress.Loopback, ehrPort));
        _ehr.StartServer();

        _api = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("BoneMetRT:FhirServer:BaseUrl", $"{EhrUrl}/fhir");
            b.UseSetting("BoneMetRT:Auth:Authority", EhrUrl);
            b.UseSetting("BoneMetRT:Auth:RequireHttpsMetadata", "false");
            b.UseSetting("BoneMetRT:SmartApp:WriteBack", WriteBack ? "true" : "false");
        });
        _api.UseKestrel(k => k.Listen(IPAddress.Loopback, apiPort));
        _api.StartServer();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = E2E.ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        StartSeconds = watch.Elapsed.TotalSeconds;
    }

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_ehr is not null)
        {
            await _ehr.DisposeAsync();
        }
    }
}

/// <summary>The sandbox with the service's write-back switched on.</summary>
public sealed class WriteBackSandboxFixture : SandboxFixture
{
    /// <inheritdoc />
    protected override bool WriteBack => true;
}
