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
/// as <c>$assess</c>, answered as a CarePlan with its RequestGroups contained. With <c>useServerData</c> the patient's
/// record is read from the configured FHIR server as <c>Patient/{id}/$assess</c> reads it.
/// </summary>
public static class ApplyEndpoints
{
    /// <summary>Maps the endpoints, with the token requirement and load shedding of <c>$assess</c> (the body holds patient data).</summary>
    public static RouteGroupBuilder MapApply(this RouteGroupBuilder fhir)
    {
        fhir.MapPost("/PlanDefinition/$apply", (HttpRequest request, AssessPipeline pipeline, FhirServerClient server, IOptions<BoneMetRTOptions> options, CancellationToken ct) =>
                Apply(null, request, pipeline, server, options, ct))
            .RequireSmartTokenWhenConfigured().WithLoadShedding();
        fhir.MapPost("/PlanDefinition/{id}/$apply", (string id, HttpRequest request, AssessPipeline pipeline, FhirServerClient server, IOptions<BoneMetRTOptions> options, CancellationToken ct) =>
                Apply(id, request, pipeline, server, options, ct))
            .RequireSmartTokenWhenConfigured().WithLoadShedding();
        return fhir;
    }

    private static async Task<IResult> Apply(string? id, HttpRequest request, AssessPipeline pipeline, FhirServerClient server, IOptions<BoneMetRTOptions> options, CancellationToken ct)
    {
        var format = FhirHttp.RequestFormat(request);
        var body = await FhirHttp.ReadBodyAsync(request, options, ct);
        var resource = FhirHttp.LimitEntries(FhirHttp.Parse(body, format), options);
        Bundle? serverData = null;
        if (ApplyOperation.ServerDataPatient(resource) is { } patientId)
        {
            AuditTrail.SetPatient(request.HttpContext, patientId);
            serverData = await ReadServerDataAsync(patientId, request, server, options, ct);
        }
        else
        {
            AuditTrail.SetPatient(request.HttpContext, AssessEndpoints.PatientOf(resource));
        }

        var result = new ApplyOperation(pipeline, GuidelinePlan.Default).Apply(id, resource, new AssessOptions(Validate: options.Value.ValidateInput), serverData);
        return FhirHttp.Write(result, request, FhirHttp.ResponseFormat(request, format));
    }

    /// <summary>
    /// The subject's record from the FHIR server, with the checks of <c>Patient/{id}/$assess</c>: a token with its
    /// scopes (whatever <c>RequireToken</c> says: the token is what the server is read with), the same read and errors.
    /// </summary>
    private static async Task<Bundle> ReadServerDataAsync(string patientId, HttpRequest request, FhirServerClient server, IOptions<BoneMetRTOptions> options, CancellationToken ct)
    {
        // Checked first: without a server the token's audience cannot be checked either, and a 401 would mislead.
        if (options.Value.FhirServer.BaseUrl.TrimEnd('/').Length == 0)
        {
            throw new FhirRequestException(422, OperationOutcome.IssueType.NotSupported,
                new("No FHIR server is configured (BoneMetRT:FhirServer:BaseUrl): useServerData (the default without 'data') cannot read the patient's record; send it in 'data'.",
                    "Aucun serveur FHIR n'est configuré (BoneMetRT:FhirServer:BaseUrl) : useServerData (la valeur par défaut sans « data ») ne peut lire le dossier du patient ; envoyez-le dans « data »."),
                "Parameters.parameter");
        }

        await SmartAuth.CheckScopesAsync(request.HttpContext, patientId, InstanceAssessEndpoints.ScopeNeeds);
        return await InstanceAssessEndpoints.ReadRecordAsync(patientId, request, server, options, ct);
    }
}
