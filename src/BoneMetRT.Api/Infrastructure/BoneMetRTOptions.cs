using BoneMetRT.Domain;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Infrastructure;

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

    /// <summary>
    /// Bound of the cache of validation results (<c>FhirValidation.ResultCacheSize</c>: one unit per cached
    /// validation run plus one per error it found); 0 turns the cache off. The cache never changes an answer: a request
    /// whose Bundle, or whose bonemet Observations, were validated before gets the same errors without validating again.
    /// </summary>
    public int ValidationCacheSize { get; set; } = BoneMetRT.Fhir.Validation.FhirValidation.DefaultResultCacheSize;

    /// <summary>
    /// Answer the core FHIRPath invariants by their C# shortcuts where these can tell the invariant holds
    /// (<c>FhirValidation.UseFastInvariants</c>; default true). It never changes an answer: wherever a shortcut is
    /// unsure, and always when this is false, Firely evaluates the invariant's FHIRPath.
    /// </summary>
    public bool FastInvariants { get; set; } = true;

    /// <summary>
    /// Answer "no error" for a Bundle (or bonemet Observation) whose shape was validated before without error: the same
    /// resource but for its identifiers and a few free values (birth date, effective and onset dates, integer values,
    /// identifier values, names), each of which must pass its type's checks (<c>FhirValidation.UseShapeCache</c>;
    /// default true; needs <see cref="ValidationCacheSize"/> above 0). It never changes an answer: a shape is only
    /// remembered when it had no error, and anything it cannot stand for (contained resources, references in other
    /// forms, codes, texts) is validated.
    /// </summary>
    public bool ValidationShapeCache { get; set; } = true;

    /// <summary>
    /// Log the phases of start-up (<c>BoneMetRT.Fhir.StartupTimeline</c>: package and core definitions loaded, schemas
    /// compiled, warm-up, first request), each with its wall and CPU time since the process started, once the warm-up is
    /// done and once the first request is answered (default false). Phase names only: no request data.
    /// </summary>
    public bool LogStartupTimeline { get; set; }

    /// <summary>α/β of the spinal cord in Gy, for cord EQD2.</summary>
    public decimal CordAlphaBetaGy { get; set; } = 0.87m;

    /// <summary>The engine's thresholds where the guideline gives none (section <c>BoneMetRT:Engine</c>).</summary>
    public EngineOptions Engine { get; set; } = new();

    /// <summary>The code systems Conditions are read in (section <c>BoneMetRT:Terminology</c>).</summary>
    public TerminologyOptions Terminology { get; set; } = new();

    /// <summary>The engine settings these options describe.</summary>
    public EngineSettings ToEngineSettings() =>
        new(CordAlphaBetaGy, Engine.PoorPerformanceEcog, Engine.PoorPerformanceKarnofsky, Engine.PostOperativeHorizonDays);

    /// <summary>
    /// Most entries in a request's Bundle (default 1 000; more get 413): validation costs about 1.6 ms of CPU per entry,
    /// so this bounds one request's CPU time where the byte limit alone would let ~25 000 tiny entries through.
    /// </summary>
    public int MaxBundleEntries { get; set; } = 1000;

    /// <summary>The audit trail (section <c>BoneMetRT:Audit</c>).</summary>
    public AuditOptions Audit { get; set; } = new();

    /// <summary>Load shedding of the CPU-heavy operations (section <c>BoneMetRT:Load</c>).</summary>
    public LoadOptions Load { get; set; } = new();

    /// <summary>The FHIR server that <c>Patient/{id}/$assess</c> reads from (section <c>BoneMetRT:FhirServer</c>).</summary>
    public FhirServerOptions FhirServer { get; set; } = new();

    /// <summary>Bearer-token checks (section <c>BoneMetRT:Auth</c>).</summary>
    public AuthOptions Auth { get; set; } = new();

    /// <summary>The SMART app served at <c>/app/</c> (section <c>BoneMetRT:SmartApp</c>).</summary>
    public SmartAppOptions SmartApp { get; set; } = new();
}

/// <summary>
/// How many CPU-heavy requests (<c>$assess</c>, <c>$validate</c>) run at once and how many may wait. Beyond that, or
/// after waiting too long, a request gets 503 with <c>Retry-After</c>: under overload the service answers quickly
/// and keeps its memory bounded instead of letting every request time out.
/// </summary>
public sealed class LoadOptions
{
    /// <summary>Requests processed at once; empty: one per core (the work is CPU-bound, more only adds memory and latency).</summary>
    public int? MaxConcurrentRequests { get; set; }

    /// <summary>Requests allowed to wait for a slot; empty: 16 per core (a burst of small requests waits, a flood is refused).</summary>
    public int? QueueLimit { get; set; }

    /// <summary>Longest wait for a slot, in seconds, before 503 (a queue of large requests drains slowly).</summary>
    public int QueueTimeoutSeconds { get; set; } = 10;

    /// <summary>The <c>Retry-After</c> sent with 503, in seconds.</summary>
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>The effective number of slots.</summary>
    public int EffectiveMaxConcurrentRequests => MaxConcurrentRequests ?? Environment.ProcessorCount;

    /// <summary>The effective queue length.</summary>
    public int EffectiveQueueLimit => QueueLimit ?? 16 * Environment.ProcessorCount;
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

    /// <summary>Time allowed for the whole read of a patient (every call and page together), in seconds; 504 beyond.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Most bytes read from the FHIR server for one patient, every answer together (default 16 MiB; 502 beyond): an
    /// answer is read as a stream and dropped at the limit, never buffered whole.
    /// </summary>
    public long MaxReadBytes { get; set; } = 16 * 1024 * 1024;
}

/// <summary>
/// How incoming bearer tokens are checked: JWTs signed by the authorization server of <see cref="Authority"/> (its
/// OpenID discovery document gives the issuer and keys). Off only when <see cref="Disabled"/> is set explicitly.
/// </summary>
public sealed class AuthOptions
{
    /// <summary>
    /// Turns token checks off, for local development only: the service refuses to start with it outside the
    /// Development environment, and never forwards the caller's <c>Authorization</c> to the FHIR server (which must
    /// then answer without a token), since an unchecked string would make the service a proxy for it.
    /// </summary>
    public bool Disabled { get; set; }

    /// <summary>
    /// Require a valid bearer token (same checks as the instance level: signature, issuer, audience, lifetime,
    /// algorithm) on the operations that receive patient data in their body (system- and type-level <c>$assess</c>).
    /// Empty: on outside the Development environment. Set it to false for a public test deployment without patient data.
    /// </summary>
    public bool? RequireToken { get; set; }

    /// <summary>Issuer of the tokens (the authorization server); its <c>/.well-known/openid-configuration</c> is read.</summary>
    public string Authority { get; set; } = "";

    /// <summary>Discovery document address when it is not under <see cref="Authority"/>.</summary>
    public string MetadataAddress { get; set; } = "";

    /// <summary>Expected <c>aud</c> of the tokens; empty: the FHIR server's base URL (SMART tokens are for it).</summary>
    public string Audience { get; set; } = "";

    /// <summary>Require HTTPS for the discovery document (turn off only for a local test EHR).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// Signature algorithms accepted (default RS256 and ES256): a token signed otherwise is refused, whatever its key
    /// would allow (no <c>none</c>, no HMAC made with a public key). Separated by spaces (a string, since configuration
    /// binding appends to a default list instead of replacing it).
    /// </summary>
    public string Algorithms { get; set; } = "RS256 ES256";

    /// <summary>
    /// Accepted values of the token's <c>typ</c> header, when the issuer sets one (default <c>JWT</c> and
    /// <c>at+jwt</c>, RFC 9068; separated by spaces): an ID token or another kind of JWT is refused.
    /// </summary>
    public string TokenTypes { get; set; } = "JWT at+jwt";

    /// <summary>The algorithms as a list.</summary>
    public IReadOnlyList<string> AlgorithmList => Algorithms.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The token types as a list.</summary>
    public IReadOnlyList<string> TokenTypeList => TokenTypes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// RFC 7662 introspection endpoint of the authorization server, for opaque (non-JWT) access tokens; empty: opaque
    /// tokens are refused (401).
    /// </summary>
    public string IntrospectionEndpoint { get; set; } = "";

    /// <summary>Client id the service authenticates with at the introspection endpoint (HTTP Basic); empty: none.</summary>
    public string IntrospectionClientId { get; set; } = "";

    /// <summary>Its secret (from an environment variable or a secret store, never appsettings.json).</summary>
    public string IntrospectionClientSecret { get; set; } = "";

    /// <summary>Tolerance on the token's lifetime for clocks that differ, in seconds (default 30, at most 60).</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>
    /// Accept user-level scopes (<c>user/Observation.rs</c>…) without a <c>patient</c> claim for any patient: the
    /// token is forwarded, so the FHIR server applies the user's own access. Off: only patient-level tokens for their
    /// patient, or system-level ones.
    /// </summary>
    public bool AllowUserLevelScopes { get; set; } = true;
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

    /// <summary>
    /// FHIR base URLs of the EHRs the app may launch against (space-separated; empty: the configured FHIR server's).
    /// A launch with any other <c>iss</c> is refused by the app, and the page's CSP lets it connect only to these.
    /// </summary>
    public string AllowedEhrs { get; set; } = "";

    /// <summary>
    /// Further origins the app must reach (space-separated), e.g. an EHR's authorization server on another origin than
    /// its FHIR API; the configured <c>Auth:Authority</c>'s origin is added by itself.
    /// </summary>
    public string ConnectOrigins { get; set; } = "";

    /// <summary>
    /// The CSP <c>frame-ancestors</c> of the app (default <c>'none'</c>: it cannot be framed, so its write-back button
    /// cannot be clickjacked); set the EHR's origin(s) for an EHR that embeds apps in a frame.
    /// </summary>
    public string FrameAncestors { get; set; } = "'none'";

    /// <summary>The FHIR base URLs of <see cref="AllowedEhrs"/>, without trailing slashes; the FHIR server's when empty.</summary>
    public IReadOnlyList<string> AllowedEhrList(FhirServerOptions server) =>
        AllowedEhrs.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } list
            ? [.. list.Select(u => u.TrimEnd('/'))]
            : server.BaseUrl.Length > 0 ? [server.BaseUrl.TrimEnd('/')] : [];

    /// <summary>Create scopes asked for when <see cref="WriteBack"/> is on.</summary>
    public string WriteScope { get; set; } = "patient/CarePlan.c patient/RequestGroup.c patient/ServiceRequest.c patient/RiskAssessment.c patient/Observation.c patient/Device.c patient/Provenance.c";
}
