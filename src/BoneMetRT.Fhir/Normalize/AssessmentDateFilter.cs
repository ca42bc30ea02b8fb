using System.Globalization;
using BoneMetRT.Domain.Facts;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Normalize;

/// <summary>
/// Everything is read as of the assessment date (contract §3: "every interval and window is computed against it"). A
/// resource dated after it describes something the assessment could not have known: a pain score of next week must
/// not raise today's Mirels. Such resources are ignored and reported. A partial date counts as after only when its
/// first possible day is after (a "2026" Observation may be from before a 2026-03-16 assessment; the engine is not
/// allowed to complete the date either way).
/// </summary>
internal static class AssessmentDateFilter
{
    /// <summary>True (and the resource reported as ignored) when it is dated after <paramref name="assessmentDate"/>.</summary>
    public static bool IsAfter(ReadContext ctx, int i, Resource resource, DateOnly assessmentDate)
    {
        var dates = resource switch
        {
            Observation o => [(FhirDates.Partial(o.Effective) ?? Issued(o), "effective[x]")],
            Condition c => [(FhirDates.Partial(c.Onset), "onset[x]"), (FhirDates.Partial(c.RecordedDate), "recordedDate")],
            Procedure p => [(FhirDates.Partial(p.Performed), "performed[x]")],
            _ => Array.Empty<(PartialDate?, string)>(),
        };

        foreach (var (date, element) in dates)
        {
            if (date is { } d && d.Earliest > assessmentDate)
            {
                var on = assessmentDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                ctx.Ignore(i, new($"its {element} ({d}) is after the assessment date ({on}): the assessment is made as of that date.",
                    $"son {element} ({d}) est postérieur à la date d'évaluation ({on}) : l'évaluation est faite à cette date."));
                return true;
            }
        }

        return false;
    }

    private static PartialDate? Issued(Observation o) =>
        o.Issued is { } issued ? PartialDate.Day(DateOnly.FromDateTime(issued.UtcDateTime)) : null;
}
