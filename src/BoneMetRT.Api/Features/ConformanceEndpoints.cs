using BoneMetRT.Api.Infrastructure;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Features;

/// <summary><c>GET [base]/metadata</c> and the conformance resources of fhir-profiles/ by type and id.</summary>
public static class ConformanceEndpoints
{
    private static readonly HashSet<string> ConformanceTypes =
        ["CapabilityStatement", "StructureDefinition", "CodeSystem", "ValueSet", "OperationDefinition", "PlanDefinition"];

    /// <summary>
    /// Maps the endpoints. The id must be a FHIR id, so that <c>GET [base]/Patient/$assess</c> is not taken for a read
    /// (it is a 405: the operation is POST).
    /// </summary>
    public static RouteGroupBuilder MapConformance(this RouteGroupBuilder fhir)
    {
        fhir.MapGet("/metadata", (HttpRequest request, FhirValidation validation) =>
            FhirHttp.Write(validation.Package.OfType<CapabilityStatement>().Single(), 200, FhirHttp.ResponseFormat(request)));

        fhir.MapGet("/{type}/{id:regex(^[A-Za-z0-9\\-\\.]{{1,64}}$)}", (string type, string id, HttpRequest request, FhirValidation validation) =>
        {
            var resource = ConformanceTypes.Contains(type)
                ? validation.Package.FirstOrDefault(r => r.TypeName == type && r.Id == id)
                : null;
            return resource is null
                ? throw new FhirRequestException(404, OperationOutcome.IssueType.NotFound,
                    new($"{type}/{id} is not a resource of this service (it serves its conformance resources: {string.Join(", ", ConformanceTypes)}).",
                        $"{type}/{id} n'est pas une ressource de ce service (il sert ses ressources de conformité : {string.Join(", ", ConformanceTypes)})."))
                : FhirHttp.Write(resource, 200, FhirHttp.ResponseFormat(request));
        });
        return fhir;
    }
}
