using BoneMetRT.Api.Infrastructure;
using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Pipeline;
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
        var target = ValidateOperation.Target(resource);
        if (type is not null && target.TypeName != type)
        {
            throw new FhirRequestException(422, OperationOutcome.IssueType.Invalid,
                new($"The body is a {target.TypeName}, not a {type}.", $"Le corps est un {target.TypeName}, pas un {type}."));
        }

        // The same operation as the CLI's (src/BoneMetRT.Fhir/Pipeline/ValidateOperation.cs).
        var outcome = new ValidateOperation(validation).Validate(resource, profile, FhirHttp.Language(request));
        return FhirHttp.Write(outcome, 200, FhirHttp.ResponseFormat(request, format));
    }
}
