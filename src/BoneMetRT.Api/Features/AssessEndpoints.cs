using BoneMetRT.Api.Features.Smart;
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
        AuditTrail.SetPatient(request.HttpContext, PatientOf(resource));
        var result = pipeline.Assess(resource, new AssessOptions(Validate: options.Value.ValidateInput));
        return FhirHttp.Write(result, request, FhirHttp.ResponseFormat(request, format));
    }

    /// <summary>
    /// The first Patient of the data, for the audit trail: its id, else its first identifier (system|value), else its
    /// fullUrl; null when there is none.
    /// </summary>
    internal static string? PatientOf(Hl7.Fhir.Model.Resource resource)
    {
        var data = resource as Hl7.Fhir.Model.Bundle
            ?? (resource as Hl7.Fhir.Model.Parameters)?.Parameter.FirstOrDefault(p => p.Name == "data")?.Resource as Hl7.Fhir.Model.Bundle;
        var entry = data?.Entry.FirstOrDefault(e => e.Resource is Hl7.Fhir.Model.Patient);
        var patient = entry?.Resource as Hl7.Fhir.Model.Patient;
        var identifier = patient?.Identifier.FirstOrDefault(i => i.Value is not null);
        return patient?.Id ?? (identifier is null ? null : $"{identifier.System}|{identifier.Value}") ?? entry?.FullUrl;
    }
}
