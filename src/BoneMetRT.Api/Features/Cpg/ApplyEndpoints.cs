using BoneMetRT.Api.Features.Smart;
using BoneMetRT.Api.Infrastructure;
using BoneMetRT.Fhir.Cpg;
using BoneMetRT.Fhir.Pipeline;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Features.Cpg;

/// <summary>
/// <c>PlanDefinition/$apply</c> (type level, with <c>url</c> or <c>planDefinition</c>) and
/// <c>PlanDefinition/{id}/$apply</c> (instance level) on the guideline's PlanDefinition (docs/cpg.md): the same pipeline
/// as <c>$assess</c>, answered as a CarePlan with its RequestGroups contained.
/// </summary>
public static class ApplyEndpoints
{
    /// <summary>Maps the endpoints, with the token requirement and load shedding of <c>$assess</c> (the body holds patient data).</summary>
    public static RouteGroupBuilder MapApply(this RouteGroupBuilder fhir)
    {
        fhir.MapPost("/PlanDefinition/$apply", (HttpRequest request, AssessPipeline pipeline, IOptions<BoneMetRTOptions> options, CancellationToken ct) =>
                Apply(null, request, pipeline, options, ct))
            .RequireSmartTokenWhenConfigured().WithLoadShedding();
        fhir.MapPost("/PlanDefinition/{id}/$apply", (string id, HttpRequest request, AssessPipeline pipeline, IOptions<BoneMetRTOptions> options, CancellationToken ct) =>
                Apply(id, request, pipeline, options, ct))
            .RequireSmartTokenWhenConfigured().WithLoadShedding();
        return fhir;
    }

    private static async Task<IResult> Apply(string? id, HttpRequest request, AssessPipeline pipeline, IOptions<BoneMetRTOptions> options, CancellationToken ct)
    {
        var format = FhirHttp.RequestFormat(request);
        var body = await FhirHttp.ReadBodyAsync(request, options, ct);
        var resource = FhirHttp.LimitEntries(FhirHttp.Parse(body, format), options);
        AuditTrail.SetPatient(request.HttpContext, AssessEndpoints.PatientOf(resource));
        var result = new ApplyOperation(pipeline, GuidelinePlan.Default).Apply(id, resource, new AssessOptions(Validate: options.Value.ValidateInput));
        return FhirHttp.Write(result, request, FhirHttp.ResponseFormat(request, format));
    }
}
