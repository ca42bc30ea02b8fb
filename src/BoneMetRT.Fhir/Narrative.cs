using System.Text;
using BoneMetRT.Domain;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir;

/// <summary>Builds XHTML narratives and bilingual strings.</summary>
internal static class Narrative
{
    /// <summary>A generated narrative: a title and lines, in the requested language.</summary>
    public static Hl7.Fhir.Model.Narrative Of(Language lang, string title, IEnumerable<string> lines)
    {
        // Written in one buffer: the lines, their items and the list used to be strings of their own, each copied again.
        var code = lang == Language.Fr ? "fr" : "en";
        var div = t_builder ?? new StringBuilder(1024);
        t_builder = null; // taken: a narrative made while this one is written (none is) would get its own
        div.Append("<div xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"").Append(code).Append("\" xml:lang=\"").Append(code).Append("\"><p><b>");
        Escape(div, title).Append("</b></p>");
        var empty = true;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                continue;
            }

            div.Append(empty ? "<ul><li>" : "<li>");
            Escape(div, line).Append("</li>");
            empty = false;
        }

        div.Append(empty ? "</div>" : "</ul></div>");
        var text = div.ToString();
        if (div.Capacity <= 16 * 1024)
        {
            t_builder = div.Clear();
        }

        return new Hl7.Fhir.Model.Narrative
        {
            Status = Hl7.Fhir.Model.Narrative.NarrativeStatus.Generated,
            Div = text,
        };
    }

    // One builder per thread, reused from one narrative to the next: an answer writes about ten.
    [ThreadStatic]
    private static StringBuilder? t_builder;

    /// <summary>Escapes XHTML text; only markup characters, so accents stay readable.</summary>
    private static StringBuilder Escape(StringBuilder to, string text)
    {
        var rest = text.AsSpan();
        for (var at = rest.IndexOfAny(Markup); at >= 0; at = rest.IndexOfAny(Markup))
        {
            to.Append(rest[..at]).Append(rest[at] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => "&quot;",
            });
            rest = rest[(at + 1)..];
        }

        return to.Append(rest);
    }

    private static readonly System.Buffers.SearchValues<char> Markup = System.Buffers.SearchValues.Create("&<>\"");

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

    // The translation extension of a text, one per text and language, shared by every answer that says it.
    private static Extension Translation(string content, Language lang) =>
        Translations.Get((content, lang), content.Length, static key => NewTranslation(key.Item1, key.Item2));

    private static readonly SharedElements<(string, Language), Extension> Translations = new();
    private static readonly SharedElements<(string, string, Language), Annotation> Notes = new();

    private static Extension NewTranslation(string content, Language lang) => new()
    {
        Url = PackageCanonicals.TranslationExtension,
        Extension =
        [
            new Extension("lang", new Code(lang == Language.Fr ? "fr" : "en")),
            new Extension("content", new FhirString(content)),
        ],
    };

    /// <summary>Annotation (note) in both languages, shared by every answer that holds it (<see cref="SharedElements{TKey, T}"/>): never change it.</summary>
    public static Annotation Note(LocalizedText text, Language lang) =>
        Notes.Get((text.En, text.Fr, lang), Math.Max(text.En.Length, text.Fr.Length), static key => new Annotation { TextElement = Markdown(new LocalizedText(key.Item1, key.Item2), key.Item3) });

    /// <summary>Picks a language.</summary>
    public static string T(this LocalizedText text, Language lang) => text.In(lang);
}
