using BoneMetRT.Api.Features;
using BoneMetRT.Api.Features.Cpg;
using BoneMetRT.Api.Features.Smart;
using BoneMetRT.Api.Infrastructure;
using BoneMetRT.Domain;
using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Pipeline;
using BoneMetRT.Fhir.Validation;
using Microsoft.Extensions.Options;

StartupTimeline.Process.Mark("host: Main entered");
var builder = WebApplication.CreateBuilder(args);

// Settings: section "BoneMetRT" (base path, limits, load shedding, input validation, cord α/β, engine thresholds, SMART), checked at start.
builder.Services.AddOptions<BoneMetRTOptions>().Bind(builder.Configuration.GetSection("BoneMetRT")).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<BoneMetRTOptions>, BoneMetRTOptionsValidator>();
// Outside Development, operations on patient data need a token unless a deployment says otherwise.
builder.Services.PostConfigure<BoneMetRTOptions>(o => o.Auth.RequireToken ??= !builder.Environment.IsDevelopment());

// One gate in front of the CPU-heavy operations: bounded concurrency and queue, 503 beyond.
builder.Services.AddSingleton<CpuGate>();

// Who assessed which patient: FHIR AuditEvents to their own sink (BoneMetRT:Audit).
builder.Services.AddSingleton<AuditTrail>();

// The FHIR layer: one validation service (pooled validators, cached definitions) and the $assess pipeline.
builder.Services.AddSingleton(sp =>
{
    var validation = FhirValidation.Default;
    var size = sp.GetRequiredService<IOptions<BoneMetRTOptions>>().Value.ValidationCacheSize;
    if (validation.ResultCacheSize != size)
    {
        validation.ResultCacheSize = size; // BoneMetRT:ValidationCacheSize; 0 turns the result cache off
    }

    validation.UseFastInvariants = sp.GetRequiredService<IOptions<BoneMetRTOptions>>().Value.FastInvariants; // BoneMetRT:FastInvariants
    validation.UseShapeCache = sp.GetRequiredService<IOptions<BoneMetRTOptions>>().Value.ValidationShapeCache; // BoneMetRT:ValidationShapeCache

    return validation;
});
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(sp => new AssessPipeline(
    sp.GetRequiredService<FhirValidation>(),
    sp.GetRequiredService<IOptions<BoneMetRTOptions>>().Value.ToEngineSettings(),
    sp.GetRequiredService<TimeProvider>(),
    sp.GetRequiredService<IOptions<BoneMetRTOptions>>().Value.Terminology.ToSettings()));

// SMART on FHIR: bearer-token checks (BoneMetRT:Auth) and the client of the EHR's FHIR server (BoneMetRT:FhirServer).
builder.Services.AddSmartOnFhir();
builder.Services.AddCdsHooks();

// Compile the validation schemas and the pipeline's code paths in the background as the service starts.
builder.Services.AddSingleton<WarmUp>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<WarmUp>());

// Kestrel's own limit stays above ours so that our 413 (an OperationOutcome) answers first.
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 64L * 1024 * 1024);

var app = builder.Build();
StartupTimeline.Process.Mark("host: built");
app.Lifetime.ApplicationStarted.Register(() => StartupTimeline.Process.Mark("host: started, listening"));
var options = app.Services.GetRequiredService<IOptions<BoneMetRTOptions>>().Value;

// Every request is timed, without patient data; inside it, errors become OperationOutcomes in one place, so that the
// request log shows the status the caller really got.
app.UseRequestTiming();
app.UseStartupTimeline();
// HTTPS callers are told to stay on HTTPS (the framework sends HSTS only over HTTPS, and not for localhost).
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}

app.UseFhirResponseHeaders(options.BasePath);
app.UseAuditTrail(options.BasePath);
app.UseFhirErrors();

// The SMART app (launch.html, index.html) at /app/.
app.MapSmartApp();

app.MapGet("/health", () => Results.Ok(new { status = "ok", engine = EngineInfo.Version }));

// Readiness (for load balancers and Kubernetes): 503 until the warm-up has compiled the validation schemas and run a
// sample request, so that no instance gets traffic while its first requests would take seconds.
app.MapGet("/ready", (WarmUp warmUp) => warmUp.IsDone
    ? Results.Ok(new { status = "ready" })
    : Results.Json(new { status = "warming up" }, statusCode: StatusCodes.Status503ServiceUnavailable));

// FHIR endpoints, grouped by feature under the configurable base path (default /fhir).
var fhir = app.MapGroup(options.BasePath.TrimEnd('/'));
fhir.MapAssess();
fhir.MapInstanceAssess();
fhir.MapApply();
fhir.MapValidate();
fhir.MapConformance();
app.MapCdsHooks();

app.Run();

/// <summary>Entry point, public for WebApplicationFactory in the API tests.</summary>
public partial class Program;
