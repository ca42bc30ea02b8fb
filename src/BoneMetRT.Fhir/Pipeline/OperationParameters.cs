using System.Globalization;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Pipeline;

/// <summary>
/// The parameters <c>$assess</c> and <c>$apply</c> share (<c>data</c>, <c>subject</c>, <c>assessmentDate</c>), read
/// one way for both: a wrong value is an error issue pointing at the parameter.
/// </summary>
internal static class OperationParameters
{
    /// <summary>Takes the first <c>data</c> Bundle; another one, or one that is not a Bundle, is an error.</summary>
    public static void Data(Parameters.ParameterComponent p, string at, ref Bundle? data, ref string prefix, List<Issue> errors)
    {
        if (p.Resource is Bundle b && data is null)
        {
            data = b;
            prefix = $"{at}.resource";
            return;
        }

        errors.Add(Issue.Invalid(new("Parameter 'data' must be given once, as a Bundle resource.", "Le paramètre « data » doit être donné une fois, comme ressource Bundle."), at));
    }

    /// <summary>The patient named by <c>subject</c> (a string or a Reference); null, with an error, otherwise.</summary>
    public static string? Subject(Parameters.ParameterComponent p, string at, List<Issue> errors)
    {
        var subject = p.Value switch
        {
            FhirString s => s.Value,
            ResourceReference r => r.Reference,
            _ => null,
        };
        if (subject is null)
        {
            errors.Add(Issue.Invalid(new("Parameter 'subject' must be a string 'Patient/{id}'.", "Le paramètre « subject » doit être une chaîne « Patient/{id} »."), $"{at}.value"));
        }

        return subject;
    }

    /// <summary>The day of <c>assessmentDate</c> (a dateTime, or a full date); null, with an error, otherwise.</summary>
    public static DateOnly? AssessmentDate(Parameters.ParameterComponent p, string at, List<Issue> errors)
    {
        DateOnly? date = p.Value switch
        {
            FhirDateTime dt when FhirDates.Start(dt.Value) is { } d => DateOnly.FromDateTime(d.UtcDateTime),
            Date d when d.Value is { Length: 10 } v && DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dd) => dd,
            _ => null,
        };
        if (date is null)
        {
            errors.Add(Issue.Invalid(new("Parameter 'assessmentDate' must be a valid dateTime.", "Le paramètre « assessmentDate » doit être une dateTime valide."), $"{at}.value"));
        }

        return date;
    }
}
