using BoneMetRT.Api.Features;
using BoneMetRT.Api.Infrastructure;
using BoneMetRT.Domain;
using BoneMetRT.Fhir.Pipeline;
using BoneMetRT.Fhir.Validation;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);

// Settings: section "BoneMetRT" (base path, body limit, input validation, cord α/β).
builder.Services.Configure<BoneMetRTOptions>(builder.Configuration.GetSection("BoneMetRT"));

// The FHIR layer: one validation service (pooled validators, cached definitions) and the $assess pipeline.
builder.Services.AddSingleton(sp =>
{
    var validation = FhirValidation.Default;
    var size = sp.GetRequiredService<IOptions<BoneMetRTOptions>>().Value.ValidationCacheSize;
    if (validation.ResultCacheSize != size)
    {
        validation.ResultCacheSize = size; // BoneMetRT:ValidationCacheSize; 0 turns the result cache off
    }

    return validation;
});
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(sp => new AssessPipeline(
    sp.GetRequiredService<FhirValidation>(),
    new EngineSettings(CordAlphaBetaGy: sp.GetRequiredService<IOptions<BoneMetRTOptions>>().Value.CordAlphaBetaGy),
    sp.GetRequiredService<TimeProvider>()));

// SMART on FHIR: bearer-token checks (BoneMetRT:Auth) and the client of the EHR's FHIR server (BoneMetRT:FhirServer).
builder.Services.AddSmartOnFhir();

// Compile the validation schemas and the pipeline's code paths in the background as the service starts.
builder.Services.AddSingleton<WarmUp>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<WarmUp>());

// Kestrel's own limit stays above ours so that our 413 (an OperationOutcome) answers first.
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 64L * 1024 * 1024);

var app = builder.Build();
var options = app.Services.GetRequiredService<IOptions<BoneMetRTOptions>>().Value;

// Errors become OperationOutcomes in one place; every request is timed, without patient data.
app.UseFhirErrors();
app.UseRequestTiming();

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
fhir.MapValidate();
fhir.MapConformance();

app.Run();

/// <summary>Entry point, public for WebApplicationFactory in the API tests.</summary>
public partial class Program;
