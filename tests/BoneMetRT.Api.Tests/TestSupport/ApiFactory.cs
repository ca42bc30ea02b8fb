using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace BoneMetRT.Api.Tests.TestSupport;

/// <summary>
/// The service in memory, as deployed (environment Production, appsettings.json), shared by the tests of a class
/// through <see cref="IClassFixture{TFixture}"/>. Derived factories override settings of section <c>BoneMetRT</c>.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>
{
    /// <summary>Configuration keys to override (e.g. <c>BoneMetRT:MaxRequestBytes</c>).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    /// <inheritdoc/>
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        // The suites share two cores with other work: a request that waits its turn must not be shed as it would be
        // in production after 10 s. Shedding itself is tested with its own small settings (LoadSheddingTests).
        builder.UseSetting("BoneMetRT:Load:QueueTimeoutSeconds", "300");
        // A public test deployment: system-level $assess without a token (token policy: Smart/TokenPolicyTests).
        builder.UseSetting("BoneMetRT:Auth:RequireToken", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>
/// The service with the FHIR validation already warm (its first use in a process loads the core definitions, several
/// seconds), for tests that time the answers.
/// </summary>
public sealed class WarmApiFactory : ApiFactory
{
    /// <summary>Warms the process-wide validation with a valid example.</summary>
    public WarmApiFactory()
    {
        var parameters = (Hl7.Fhir.Model.Parameters)Wire.ParseValidExample(HostileBodies.Probe);
        _ = BoneMetRT.Fhir.Validation.FhirValidation.Default.ValidateInput((Hl7.Fhir.Model.Bundle)parameters.Parameter[0].Resource!, "Bundle");
    }
}

/// <summary>The service with a small body limit (4 KiB), for 413.</summary>
public sealed class SmallLimitApiFactory : ApiFactory
{
    /// <summary>The limit in bytes.</summary>
    public const int Limit = 4096;

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["BoneMetRT:MaxRequestBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>The service with a large body limit (64 MiB), for bodies that must be processed, not refused.</summary>
public sealed class LargeLimitApiFactory : ApiFactory
{
    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["BoneMetRT:MaxRequestBytes"] = (64 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["BoneMetRT:MaxBundleEntries"] = "100000",
    };
}

/// <summary>The service under another base path.</summary>
public sealed class CustomBasePathApiFactory : ApiFactory
{
    /// <summary>The base path.</summary>
    public const string BasePath = "/api/fhir";

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["BoneMetRT:BasePath"] = BasePath,
    };
}
