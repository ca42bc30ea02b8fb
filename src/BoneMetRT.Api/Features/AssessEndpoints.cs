using BoneMetRT.Api.Infrastructure;
using BoneMetRT.Fhir.Pipeline;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Features;

/// <summary><c>$assess</c> at system and Patient type level (docs/fhir-contract.md §3).</summary>
public static class AssessEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static RouteGroupBuilder MapAssess(this RouteGroupBuilder fhir)
    {
        fhir.MapPost("/$assess", Assess);
        fhir.MapPost("/Patient/$assess", Assess);
        return fhir;
    }

    private static async Task<IResult> Assess(HttpRequest request, AssessPipeline pipeline, IOptions<BoneMetRTOptions> options, CancellationToken ct)
    {
        var format = FhirHttp.RequestFormat(request);
        var body = await FhirHttp.ReadBodyAsync(request, options, ct);
        var resource = FhirHttp.Parse(body, format);
        var result = pipeline.Assess(resource, new AssessOptions(Validate: options.Value.ValidateInput));
        return FhirHttp.Write(result.Body, result.StatusCode, FhirHttp.ResponseFormat(request, format));
    }
}
