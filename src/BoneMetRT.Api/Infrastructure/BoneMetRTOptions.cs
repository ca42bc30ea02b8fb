using BoneMetRT.Domain;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Infrastructure;

/// <summary>Fails the start of the service on a wrong setting, naming each one.</summary>
public sealed class BoneMetRTOptionsValidation : IValidateOptions<BoneMetRTOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, BoneMetRTOptions options)
    {
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>Engine thresholds the guideline does not give (section <c>BoneMetRT:Engine</c>); defaults as in <see cref="EngineSettings"/>.</summary>
public sealed class EngineOptions
{
    /// <summary>ECOG from which performance status counts as poor (default 3).</summary>
    public int PoorPerformanceEcog { get; set; } = EngineSettings.Default.PoorPerformanceEcog;

    /// <summary>Karnofsky at or below which performance status counts as poor (default 40, the same patient as ECOG 3).</summary>
    public int PoorPerformanceKarnofsky { get; set; } = EngineSettings.Default.PoorPerformanceKarnofsky;

    /// <summary>Days after an operation past which a lesion is no longer post-operative (default 42).</summary>
    public int PostOperativeHorizonDays { get; set; } = EngineSettings.Default.PostOperativeHorizonDays;
}

/// <summary>Settings of the service (section <c>BoneMetRT</c> of the configuration).</summary>
public sealed class BoneMetRTOptions
{
    /// <summary>Base path of the FHIR endpoints.</summary>
    public string BasePath { get; set; } = "/fhir";

    /// <summary>Largest request body accepted, in bytes (default 1 MiB); larger bodies get 413.</summary>
    public long MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Validate inputs against FHIR R4 and the BoneMetRT profiles before scoring.</summary>
    public bool ValidateInput { get; set; } = true;

    /// <summary>α/β of the spinal cord in Gy, for cord EQD2.</summary>
    public decimal CordAlphaBetaGy { get; set; } = 0.87m;

    /// <summary>The engine's thresholds where the guideline gives none (section <c>BoneMetRT:Engine</c>).</summary>
    public EngineOptions Engine { get; set; } = new();

    /// <summary>The engine settings these options describe.</summary>
    public EngineSettings ToEngineSettings() =>
        new(CordAlphaBetaGy, Engine.PoorPerformanceEcog, Engine.PoorPerformanceKarnofsky, Engine.PostOperativeHorizonDays);

    /// <summary>Checks the values at start-up, so that a wrong setting stops the service instead of skewing an answer.</summary>
    public IEnumerable<string> Problems()
    {
        if (CordAlphaBetaGy <= 0)
        {
            yield return "BoneMetRT:CordAlphaBetaGy must be greater than 0.";
        }

        if (Engine.PoorPerformanceEcog is < 0 or > 5)
        {
            yield return "BoneMetRT:Engine:PoorPerformanceEcog must be 0 to 5.";
        }

        if (Engine.PoorPerformanceKarnofsky is < 0 or > 100)
        {
            yield return "BoneMetRT:Engine:PoorPerformanceKarnofsky must be 0 to 100.";
        }

        if (Engine.PostOperativeHorizonDays < 21)
        {
            yield return "BoneMetRT:Engine:PostOperativeHorizonDays must be at least 21 (the end of the post-operative window).";
        }
    }

    /// <summary>The FHIR server that <c>Patient/{id}/$assess</c> reads from (section <c>BoneMetRT:FhirServer</c>).</summary>
    public FhirServerOptions FhirServer { get; set; } = new();

    /// <summary>Bearer-token checks (section <c>BoneMetRT:Auth</c>).</summary>
    public AuthOptions Auth { get; set; } = new();

    /// <summary>The SMART app served at <c>/app/</c> (section <c>BoneMetRT:SmartApp</c>).</summary>
    public SmartAppOptions SmartApp { get; set; } = new();
}

/// <summary>The configured FHIR server (the EHR's FHIR API).</summary>
public sealed class FhirServerOptions
{
    /// <summary>FHIR base URL, e.g. <c>https://ehr.example.org/fhir</c>; empty: the instance-level operation answers 503.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary><c>_count</c> asked for each search page.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Most pages followed per search before giving up (502).</summary>
    public int MaxPages { get; set; } = 50;

    /// <summary>Time allowed for each call to the FHIR server, in seconds.</summary>
    public int TimeoutSeconds { get; set; } = 30;
}

/// <summary>
/// How incoming bearer tokens are checked: JWTs signed by the authorization server of <see cref="Authority"/> (its
/// OpenID discovery document gives the issuer and keys). Off only when <see cref="Disabled"/> is set explicitly.
/// </summary>
public sealed class AuthOptions
{
    /// <summary>Turns token checks off (local use only): the caller's token, if any, is still forwarded to the FHIR server.</summary>
    public bool Disabled { get; set; }

    /// <summary>Issuer of the tokens (the authorization server); its <c>/.well-known/openid-configuration</c> is read.</summary>
    public string Authority { get; set; } = "";

    /// <summary>Discovery document address when it is not under <see cref="Authority"/>.</summary>
    public string MetadataAddress { get; set; } = "";

    /// <summary>Expected <c>aud</c> of the tokens; empty: the FHIR server's base URL (SMART tokens are for it).</summary>
    public string Audience { get; set; } = "";

    /// <summary>Require HTTPS for the discovery document (turn off only for a local test EHR).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}

/// <summary>Registration of the SMART app in the EHR, given to the page by <c>/app/config.json</c>.</summary>
public sealed class SmartAppOptions
{
    /// <summary>Client id registered in the EHR.</summary>
    public string ClientId { get; set; } = "bonemetrt";

    /// <summary>Scopes the app asks for.</summary>
    public string Scope { get; set; } = "launch/patient openid fhirUser patient/Observation.rs patient/Condition.rs patient/Procedure.rs";

    /// <summary>Where the guideline's sections are shown; <c>#s1</c> … <c>#s8</c> are appended.</summary>
    public string GuidelineUrl { get; set; } = "guideline.html";

    /// <summary>
    /// Offer to save the proposal to the EHR (as drafts) once the clinician has confirmed it; the app then also asks
    /// for <see cref="WriteScope"/>. Off by default: the app only reads.
    /// </summary>
    public bool WriteBack { get; set; }

    /// <summary>Create scopes asked for when <see cref="WriteBack"/> is on.</summary>
    public string WriteScope { get; set; } = "patient/CarePlan.c patient/RequestGroup.c patient/ServiceRequest.c patient/RiskAssessment.c patient/Observation.c";
}
