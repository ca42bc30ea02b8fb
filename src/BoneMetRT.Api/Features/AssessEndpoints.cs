using BoneMetRT.Api.Infrastructure;
using BoneMetRT.Fhir.Pipeline;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Features;

/// <summary><c>$assess</c> at system and Patient type level (shared/spec/fhir-contract.md §3).</summary>
public static class AssessEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static RouteGroupBuilder MapAssess(this RouteGroupBuilder fhir)
    {
        // The body holds patient data: a token is needed where BoneMetRT:Auth:RequireToken says so (checked before
        // waiting for a CPU slot, so an anonymous flood is refused without queueing).
        fhir.MapPost("/$assess", Assess).RequireSmartTokenWhenConfigured().WithLoadShedding();
        fhir.MapPost("/Patient/$assess", Assess).RequireSmartTokenWhenConfigured().WithLoadShedding();
        return fhir;
    }

    private static async Task<IResult> Assess(HttpRequest request, AssessPipeline pipeline, IOptions<BoneMetRTOptions> options, CancellationToken ct)
    {
        var format = FhirHttp.RequestFormat(request);
        var body = await FhirHttp.ReadBodyAsync(request, options, ct);
        var resource = FhirHttp.LimitEntries(FhirHttp.Parse(body, format), options);
        var result = pipeline.Assess(resource, new AssessOptions(Validate: options.Value.ValidateInput));
        return FhirHttp.Write(result.Body, result.StatusCode, FhirHttp.ResponseFormat(request, format));
    }
}
