namespace BoneMetRT.TestEhr;

/// <summary>Settings of the test EHR (configuration section <c>TestEhr</c>).</summary>
public sealed class TestEhrOptions
{
    /// <summary>
    /// The EHR's public address without a trailing slash (e.g. <c>http://127.0.0.1:8090</c>): the token issuer, and the
    /// FHIR base is this plus <c>/fhir</c>. Empty: taken from each request's scheme and host.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>Folder of the example requests to load (default: <c>examples/valid</c> of the repository, found upwards).</summary>
    public string? ExamplesPath { get; set; }

    /// <summary>The only client registered: a public SMART client (PKCE, no secret).</summary>
    public string ClientId { get; set; } = "bonemetrt";

    /// <summary>Launch URL of the registered app; its origin is also the only origin allowed for redirect URIs.</summary>
    public string AppLaunchUrl { get; set; } = "http://127.0.0.1:8080/app/launch.html";

    /// <summary>Largest page of search results; the <c>next</c> link gives the rest.</summary>
    public int MaxPageSize { get; set; } = 50;

    /// <summary>Lifetime of access and id tokens.</summary>
    public int TokenLifetimeMinutes { get; set; } = 60;
}
