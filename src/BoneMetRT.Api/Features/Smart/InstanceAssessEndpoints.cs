using System.Text.RegularExpressions;
using BoneMetRT.Api.Infrastructure;
using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Pipeline;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Features.Smart;

/// <summary>
/// <c>POST [base]/Patient/{id}/$assess</c>: the service reads the patient's data from the configured FHIR server
/// (Patient read; Condition, Observation and Procedure searched by patient, every page) with the caller's bearer token,
/// and runs the same <see cref="AssessPipeline"/> as the system-level operation on a collection Bundle of them.
/// The body is empty or a Parameters with <c>assessmentDate</c> and/or <c>language</c>.
/// </summary>
public static partial class InstanceAssessEndpoints
{
    private static readonly string[] SearchedTypes = ["Condition", "Observation", "Procedure"];

    /// <summary>What reading a patient's record needs of the token: read on Patient, search on the searched types.</summary>
    public static readonly IReadOnlyList<ScopeNeed> ScopeNeeds = [new ScopeNeed("Patient", 'r'), .. SearchedTypes.Select(t => new ScopeNeed(t, 's'))];

    /// <summary>Maps the endpoint; it needs read on Patient and search on the searched types.</summary>
    public static RouteGroupBuilder MapInstanceAssess(this RouteGroupBuilder fhir)
    {
        fhir.MapPost("/Patient/{id}/$assess", Assess)
            .WithMetadata(new AuditedEndpoint())
            .RequireSmartScopes([.. ScopeNeeds]);
        return fhir;
    }

    [GeneratedRegex("^[A-Za-z0-9\\-\\.]{1,64}$")]
    private static partial Regex FhirId();

    private static async Task<IResult> Assess(string id, HttpRequest request, FhirServerClient server, AssessPipeline pipeline,
        CpuGate gate, IOptions<BoneMetRTOptions> options, CancellationToken ct)
    {
        if (!FhirId().IsMatch(id))
        {
            throw new FhirRequestException(400, OperationOutcome.IssueType.Invalid, new("The patient id is not a valid FHIR id.", "L'identifiant du patient n'est pas un id FHIR valide."));
        }

        var (parameters, format) = await ReadParametersAsync(request, options, ct);
        var bundle = await ReadRecordAsync(id, request, server, options, ct);
        parameters.Parameter.Insert(0, new Parameters.ParameterComponent { Name = "data", Resource = bundle });
        // A CPU slot only for the pipeline: waiting on a slow FHIR server must not hold one that others need.
        using var slot = await gate.EnterAsync(ct);
        var result = pipeline.Assess(parameters, new AssessOptions(Validate: options.Value.ValidateInput));
        return FhirHttp.Write(result, request, FhirHttp.ResponseFormat(request, format));
    }

    /// <summary>
    /// The patient's record on the FHIR server, as a collection Bundle (Patient, then the matches of the searches, each
    /// once, with its server URL as <c>fullUrl</c>): read with the caller's token, within the scopes' search filters
    /// (set by the scope check, which must have run). Shared with <c>$apply</c> and <c>useServerData</c>.
    /// </summary>
    public static async Task<Bundle> ReadRecordAsync(string id, HttpRequest request, FhirServerClient server, IOptions<BoneMetRTOptions> options, CancellationToken ct)
    {
        // With token checks off (Development only), the caller's string is not forwarded: unchecked, it would make the
        // service a proxy that lends the FHIR server's trust to anything it is given.
        var bearer = options.Value.Auth.Disabled ? null : SmartAuth.BearerOf(request);
        var baseUrl = server.BaseUrl;

        var searches = SearchedTypes.SelectMany(t => SmartAuth.SearchFilters(request.HttpContext, t).Select(q => (t, q))).ToList();
        var resources = await server.ReadPatientDataAsync(id, searches, bearer, ct);

        var bundle = new Bundle { Type = Bundle.BundleType.Collection };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            var key = $"{resource.TypeName}/{resource.Id}";
            if (resource.Id is not null && seen.Add(key))
            {
                bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"{baseUrl}/{key}", Resource = resource });
            }
        }

        return bundle;
    }

    /// <summary>The optional body: nothing, or a Parameters with assessmentDate and language only.</summary>
    private static async Task<(Parameters Parameters, FhirFormat? Format)> ReadParametersAsync(HttpRequest request, IOptions<BoneMetRTOptions> options, CancellationToken ct)
    {
        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (!hasBody)
        {
            return (new Parameters(), null);
        }

        var format = FhirHttp.RequestFormat(request);
        var resource = FhirHttp.Parse(await FhirHttp.ReadBodyAsync(request, options, ct), format);
        if (resource is not Parameters parameters)
        {
            throw new FhirRequestException(422, OperationOutcome.IssueType.Invalid,
                new($"The body of Patient/{{id}}/$assess is empty or a Parameters, not a {resource.TypeName}.",
                    $"Le corps de Patient/{{id}}/$assess est vide ou un Parameters, pas un {resource.TypeName}."), resource.TypeName);
        }

        for (var i = 0; i < parameters.Parameter.Count; i++)
        {
            if (parameters.Parameter[i].Name is "data" or "subject")
            {
                throw new FhirRequestException(422, OperationOutcome.IssueType.Invalid,
                    new($"Parameter '{parameters.Parameter[i].Name}' is not taken at instance level: the data are read from the FHIR server for Patient/{{id}}.",
                        $"Le paramètre « {parameters.Parameter[i].Name} » n'est pas admis au niveau instance : les données sont lues sur le serveur FHIR pour Patient/{{id}}."),
                    $"Parameters.parameter[{i}]");
            }
        }

        return (parameters, format);
    }
}
