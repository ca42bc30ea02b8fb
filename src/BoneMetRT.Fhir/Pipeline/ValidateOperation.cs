using BoneMetRT.Domain;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Pipeline;

/// <summary>
/// <c>$validate</c> end to end, once for every door (the service and the CLI), as <see cref="AssessPipeline"/> is for
/// <c>$assess</c>: FHIR's <c>resource</c>/<c>profile</c> parameters, and an <c>$assess</c> request body validated as
/// <c>$assess</c> validates it (its data Bundle against FHIR R4 and every explicit observation against its input profile).
/// </summary>
public sealed class ValidateOperation(FhirValidation validation)
{
    /// <summary>The operation on the process-wide validation.</summary>
    public static ValidateOperation Default { get; } = new(FhirValidation.Default);

    /// <summary>Validates a parsed body; <paramref name="profile"/> (e.g. from the query) wins over a <c>profile</c> parameter.</summary>
    /// <returns>The OperationOutcome, never empty (an OperationOutcome needs an issue).</returns>
    public OperationOutcome Validate(Resource body, string? profile, Language language)
    {
        var resource = body;
        if (body is Parameters p && p.Parameter.Any(x => x.Name is "resource" or "profile"))
        {
            // FHIR's $validate takes the resource in a 'resource' parameter and an optional 'profile'.
            profile ??= (p.Parameter.FirstOrDefault(x => x.Name == "profile")?.Value as FhirUri)?.Value
                ?? (p.Parameter.FirstOrDefault(x => x.Name == "profile")?.Value as Hl7.Fhir.Model.Canonical)?.Value;
            resource = p.Parameter.FirstOrDefault(x => x.Name == "resource")?.Resource ?? body;
        }

        var data = resource is Parameters parameters ? parameters.Parameter.FindIndex(x => x.Name == "data" && x.Resource is Bundle) : -1;
        // An $assess body or a Bundle is validated as $assess validates its data Bundle; anything else by Firely.
        var (input, at) = profile is not null ? (null, "")
            : resource is Parameters ps && data >= 0 ? ((Bundle)ps.Parameter[data].Resource!, $"Parameters.parameter[{data}].resource")
            : resource is Bundle b ? (b, "Bundle")
            : ((Bundle?)null, "");
        OperationOutcome outcome;
        if (input is not null)
        {
            outcome = OperationOutcomes.From([.. validation.ValidateInput(input, at), .. validation.UncheckedProfiles(input, at)], language);
        }
        else
        {
            // Firely's own outcome, its expressions rooted at the resource's type; the declared profiles it was not
            // validated against are told the same way.
            outcome = validation.Validate(resource, resource is Observation o && profile is null ? FhirValidation.InputProfile(o) : profile);
            outcome.Issue.AddRange(validation.UncheckedProfiles(resource, resource.TypeName) is { Count: > 0 } notChecked
                ? OperationOutcomes.From(notChecked, language).Issue
                : []);
        }

        return outcome.Issue.Count == 0 ? OperationOutcomes.From([], language) : outcome;
    }

    /// <summary>The resource a body asks to validate (the <c>resource</c> parameter, or the body itself).</summary>
    public static Resource Target(Resource body) =>
        body is Parameters p && p.Parameter.FirstOrDefault(x => x.Name == "resource")?.Resource is { } r ? r : body;
}
