using BoneMetRT.Domain;
using BoneMetRT.Fhir.Denormalize;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.WriteBack;

/// <summary>
/// An issue of the answer's OperationOutcome as a <c>CarePlan.note</c> of the saved plan: its severity and text in the
/// answer's language with the other language as a translation, written by the engine. The issue's location (a path into
/// the request) is not kept: it means nothing once the request is gone.
/// </summary>
internal static class CaveatNote
{
    public static Annotation Of(OperationOutcome.IssueComponent issue, Language lang, string? deviceUrl)
    {
        var text = issue.Details?.TextElement;
        var primary = text?.Value ?? issue.Diagnostics ?? "";
        var other = text?.Extension.Where(e => e.Url == PackageCanonicals.TranslationExtension)
            .Select(e => e.GetExtensionValue<FhirString>("content")?.Value).FirstOrDefault(v => v is not null) ?? primary;
        var (en, fr) = lang == Language.Fr ? (other, primary) : (primary, other);
        var (sevEn, sevFr) = issue.Severity switch
        {
            OperationOutcome.IssueSeverity.Fatal or OperationOutcome.IssueSeverity.Error => ("Error", "Erreur"),
            OperationOutcome.IssueSeverity.Warning => ("Warning", "Avertissement"),
            _ => ("Information", "Information"),
        };
        // An annotation of its own (Narrative.Note's are shared by answers): it gets an author.
        var note = new Annotation { TextElement = Narrative.Markdown(new LocalizedText($"{sevEn}: {en}", $"{sevFr} : {fr}"), lang) };
        if (deviceUrl is not null)
        {
            note.Author = new ResourceReference(deviceUrl);
        }

        return note;
    }
}
