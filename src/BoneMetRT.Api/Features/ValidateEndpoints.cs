using BoneMetRT.Api.Infrastructure;
using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Features;

/// <summary>
/// <c>$validate</c> so testers can check their inputs against FHIR R4 and BoneMetRT's profiles: the answer is an
/// OperationOutcome (200 whatever it says, as in FHIR; 400 only when the body is not FHIR at all).
/// </summary>
public static class ValidateEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static RouteGroupBuilder MapValidate(this RouteGroupBuilder fhir)
    {
        fhir.MapPost("/$validate", (HttpRequest r, FhirValidation v, IOptions<BoneMetRTOptions> o, CancellationToken ct) => Validate(r, null, v, o, ct)).WithLoadShedding();
        fhir.MapPost("/{type}/$validate", (string type, HttpRequest r, FhirValidation v, IOptions<BoneMetRTOptions> o, CancellationToken ct) => Validate(r, type, v, o, ct)).WithLoadShedding();
        return fhir;
    }

    private static async Task<IResult> Validate(HttpRequest request, string? type, FhirValidation validation, IOptions<BoneMetRTOptions> options, CancellationToken ct)
    {
        var format = FhirHttp.RequestFormat(request);
        var body = await FhirHttp.ReadBodyAsync(request, options, ct);
        var resource = FhirHttp.LimitEntries(FhirHttp.Parse(body, format), options);
        string? profile = request.Query["profile"];
        if (resource is Parameters p)
        {
            // FHIR's $validate takes the resource in a 'resource' parameter and an optional 'profile'.
            profile ??= (p.Parameter.FirstOrDefault(x => x.Name == "profile")?.Value as FhirUri)?.Value
                ?? (p.Parameter.FirstOrDefault(x => x.Name == "profile")?.Value as Hl7.Fhir.Model.Canonical)?.Value;
            resource = p.Parameter.FirstOrDefault(x => x.Name == "resource")?.Resource ?? resource;
        }

        if (type is not null && resource.TypeName != type)
        {
            throw new FhirRequestException(422, OperationOutcome.IssueType.Invalid,
                new($"The body is a {resource.TypeName}, not a {type}.", $"Le corps est un {resource.TypeName}, pas un {type}."));
        }

        // An $assess request body is validated as $assess validates it: its data Bundle, with the input profiles.
        var data = resource is Parameters parameters ? parameters.Parameter.FindIndex(x => x.Name == "data" && x.Resource is Bundle) : -1;
        var outcome = resource switch
        {
            Parameters ps when profile is null && data >= 0 => OperationOutcomes.From(
                validation.ValidateInput((Bundle)ps.Parameter[data].Resource!, $"Parameters.parameter[{data}].resource"), FhirHttp.Language(request)),
            Bundle b when profile is null => OperationOutcomes.From(validation.ValidateInput(b, "Bundle"), FhirHttp.Language(request)),
            Observation o when profile is null => validation.Validate(o, FhirValidation.InputProfile(o)),
            _ => validation.Validate(resource, profile),
        };
        // The validator answers an empty OperationOutcome for a valid resource, which is not valid FHIR (issue 1..*).
        if (outcome.Issue.Count == 0)
        {
            outcome = OperationOutcomes.From([], FhirHttp.Language(request));
        }

        return FhirHttp.Write(outcome, 200, FhirHttp.ResponseFormat(request, format));
    }
}
