using BoneMetRT.Domain;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir;

/// <summary>Builds XHTML narratives and bilingual strings.</summary>
internal static class Narrative
{
    /// <summary>A generated narrative: a title and lines, in the requested language.</summary>
    public static Hl7.Fhir.Model.Narrative Of(Language lang, string title, IEnumerable<string> lines)
    {
        var code = lang == Language.Fr ? "fr" : "en";
        var items = string.Concat(lines.Where(l => l.Length > 0).Select(l => $"<li>{Escape(l)}</li>"));
        var list = items.Length > 0 ? $"<ul>{items}</ul>" : "";
        return new Hl7.Fhir.Model.Narrative
        {
            Status = Hl7.Fhir.Model.Narrative.NarrativeStatus.Generated,
            Div = $"<div xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"{code}\" xml:lang=\"{code}\"><p><b>{Escape(title)}</b></p>{list}</div>",
        };
    }

    /// <summary>Escapes XHTML text; only markup characters, so accents stay readable.</summary>
    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);

    /// <summary>A FHIR string in the requested language carrying the other language as a translation extension.</summary>
    public static FhirString Text(LocalizedText text, Language lang)
    {
        var other = lang == Language.Fr ? Language.En : Language.Fr;
        var s = new FhirString(text.In(lang));
        s.Extension.Add(Translation(text.In(other), other));
        return s;
    }

    /// <summary>A markdown in the requested language with the other language as a translation extension.</summary>
    public static Markdown Markdown(LocalizedText text, Language lang)
    {
        var other = lang == Language.Fr ? Language.En : Language.Fr;
        var s = new Markdown(text.In(lang));
        s.Extension.Add(Translation(text.In(other), other));
        return s;
    }

    private static Extension Translation(string content, Language lang) => new()
    {
        Url = PackageCanonicals.TranslationExtension,
        Extension =
        [
            new Extension("lang", new Code(lang == Language.Fr ? "fr" : "en")),
            new Extension("content", new FhirString(content)),
        ],
    };

    /// <summary>Annotation (note) in both languages.</summary>
    public static Annotation Note(LocalizedText text, Language lang) => new() { TextElement = Markdown(text, lang) };

    /// <summary>Picks a language.</summary>
    public static string T(this LocalizedText text, Language lang) => text.In(lang);
}
