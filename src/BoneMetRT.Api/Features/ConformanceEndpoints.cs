using BoneMetRT.Api.Features.Smart;
using BoneMetRT.Api.Infrastructure;
using BoneMetRT.Domain;
using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Features;

/// <summary>
/// <c>GET [base]/metadata</c> (the instance CapabilityStatement), and the conformance resources of fhir-profiles/ by
/// type and id and by search on url and version. The types served are those the package holds.
/// </summary>
public static class ConformanceEndpoints
{
    /// <summary>
    /// Maps the endpoints. The id must be a FHIR id, so that <c>GET [base]/Patient/$assess</c> is not taken for a read
    /// (it is a 405: the operation is POST).
    /// </summary>
    public static RouteGroupBuilder MapConformance(this RouteGroupBuilder fhir)
    {
        // The instance statement built from the package's requirements one, with the security this deployment really
        // has (settings are read once); only implementation.url depends on the request.
        var services = ((IEndpointRouteBuilder)fhir).ServiceProvider;
        var options = services.GetRequiredService<IOptions<BoneMetRTOptions>>().Value;
        var capabilities = new Lazy<CapabilityStatement>(() =>
        {
            var package = services.GetRequiredService<FhirValidation>().Package;
            var requirements = package.OfType<CapabilityStatement>().Single(c => c.Kind == CapabilityStatementKind.Requirements);
            return ForDeployment(InstanceCapabilities.FromRequirements(requirements, package), options.Auth);
        });
        fhir.MapGet("/metadata", (HttpRequest request) =>
            FhirHttp.Write(InstanceCapabilities.At(capabilities.Value, ServiceBase(request, options)), 200, FhirHttp.ResponseFormat(request)));

        fhir.MapGet("/{type:regex(^[A-Z][A-Za-z]{{1,63}}$)}", (string type, HttpRequest request, FhirValidation validation) =>
            FhirHttp.Write(ConformanceSearch.Search(validation.Package, type, request.Query, ServiceBase(request, options)), 200, FhirHttp.ResponseFormat(request)));

        fhir.MapGet("/{type}/{id:regex(^[A-Za-z0-9\\-\\.]{{1,64}}$)}", (string type, string id, HttpRequest request, FhirValidation validation) =>
        {
            var resource = validation.Package.FirstOrDefault(r => r.TypeName == type && r.Id == id);
            return resource is null
                ? throw ConformanceSearch.NotServed(validation.Package, $"{type}/{id}")
                : FhirHttp.Write(resource, 200, FhirHttp.ResponseFormat(request));
        });
        return fhir;
    }

    /// <summary>The absolute FHIR base the caller used: scheme, host, path base and the configured base path.</summary>
    private static string ServiceBase(HttpRequest request, BoneMetRTOptions options) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}{options.BasePath.TrimEnd('/')}";

    /// <summary>
    /// A copy of <paramref name="package"/> whose <c>rest.security</c> says what is in force: no CORS (the service
    /// sends no CORS headers; its app is served from its own origin), SMART-on-FHIR only when tokens are checked
    /// against a configured authorization server, and which operations need a token.
    /// </summary>
    public static CapabilityStatement ForDeployment(CapabilityStatement package, AuthOptions auth)
    {
        var statement = (CapabilityStatement)package.DeepCopy();
        var security = new CapabilityStatement.SecurityComponent { Cors = false };
        LocalizedText text;
        if (auth.Disabled)
        {
            text = new("Token checks are off (BoneMetRT:Auth:Disabled, a Development setting): no operation asks for a token, and POST [base]/Patient/{id}/$assess reads the FHIR server without one.",
                "Les contrôles de jeton sont désactivés (BoneMetRT:Auth:Disabled, réglage de développement) : aucune opération ne demande de jeton, et POST [base]/Patient/{id}/$assess lit le serveur FHIR sans jeton.");
        }
        else if (!SmartAuth.TokensChecked(auth))
        {
            text = new("No SMART authorization server is configured: POST [base]/Patient/{id}/$assess refuses every token; system- and type-level $assess, $validate and the conformance reads need no token.",
                "Aucun serveur d'autorisation SMART n'est configuré : POST [base]/Patient/{id}/$assess refuse tout jeton ; $assess au niveau système et type, $validate et les lectures de conformité ne demandent pas de jeton.");
        }
        else
        {
            security.Service.Add(new CodeableConcept("http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR", "SMART-on-FHIR"));
            var system = auth.RequireToken == true
                ? new LocalizedText("System- and type-level $assess need a valid bearer JWT from the same server (no particular scope).",
                    "$assess au niveau système et type demande un jeton porteur JWT valide du même serveur (sans scope particulier).")
                : new LocalizedText("System- and type-level $assess need no token.", "$assess au niveau système et type ne demande pas de jeton.");
            text = new($"POST [base]/Patient/{{id}}/$assess needs a bearer JWT from the configured SMART authorization server (read on Patient, search on Condition, Observation and Procedure); the token is forwarded to the FHIR server the data is read from. {system.En} $validate and the conformance reads need no token.",
                $"POST [base]/Patient/{{id}}/$assess demande un jeton porteur JWT du serveur d'autorisation SMART configuré (lecture de Patient, recherche de Condition, Observation et Procedure) ; le jeton est transmis au serveur FHIR où les données sont lues. {system.Fr} $validate et les lectures de conformité ne demandent pas de jeton.");
        }

        security.DescriptionElement = new Markdown(text.En);
        security.DescriptionElement.Extension.Add(new Extension
        {
            Url = PackageCanonicals.TranslationExtension,
            Extension = [new Extension("lang", new Code("fr")), new Extension("content", new FhirString(text.Fr))],
        });
        statement.Rest[0].Security = security;
        return statement;
    }
}
