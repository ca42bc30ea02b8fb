using System.Net;
using System.Text.RegularExpressions;

namespace BoneMetRT.Fhir.Tests.Repository;

/// <summary>
/// The SMART app links every decision to a section of the guideline: <c>guideline.html#sN</c>, the app's own page of
/// section summaries (src/BoneMetRT.Api/wwwroot/app/guideline.html). That page must follow docs/guideline.md, the
/// clinical specification: the same numbered sections, with the same titles, and every section the app links to.
/// </summary>
public sealed partial class GuidelinePageTests
{
    private static readonly string AppFolder = Path.Combine(RepoPaths.Root, "src", "BoneMetRT.Api");

    [Fact]
    public void The_guideline_document_has_sections_1_to_8()
    {
        Assert.Equal(Enumerable.Range(1, 8), GuidelineDocument.Sections().Keys);
    }

    [Fact]
    public void The_app_guideline_page_has_the_sections_and_titles_of_docs_guideline_md()
    {
        var html = File.ReadAllText(Path.Combine(AppFolder, "wwwroot", "app", "guideline.html"));
        var page = new SortedDictionary<int, string>();
        foreach (Match m in PageSection().Matches(html))
        {
            var number = int.Parse(m.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(m.Groups["id"].Value, m.Groups["n"].Value);
            page.Add(number, WebUtility.HtmlDecode(m.Groups["title"].Value).Trim());
        }

        Assert.Equal(
            GuidelineDocument.Sections().Select(s => $"§{s.Key} {s.Value}"),
            page.Select(s => $"§{s.Key} {s.Value}"));
    }

    [Fact]
    public void Every_section_the_app_links_to_is_in_docs_guideline_md()
    {
        var view = File.ReadAllText(Path.Combine(AppFolder, "ClientApp", "src", "view.js"));
        var linked = SectionLinkArguments(view).SelectMany(a => Number().Matches(a).Select(m => m.Value))
            .Concat(SituationSection().Matches(view).Select(m => m.Groups["n"].Value))
            .Select(n => int.Parse(n, System.Globalization.CultureInfo.InvariantCulture))
            .Distinct()
            .ToList();

        Assert.NotEmpty(linked);
        var sections = GuidelineDocument.Sections();
        Assert.All(linked, n => Assert.True(sections.ContainsKey(n), $"view.js links to §{n}, which docs/guideline.md does not have."));
    }

    // <section id="s2"><h2>§2 Mirels score <span class="fr">…
    [GeneratedRegex("<section id=\"s(?<id>\\d+)\"><h2>§(?<n>\\d+) (?<title>[^<]+)<span")]
    private static partial Regex PageSection();

    // The argument text of every call sectionLink(ctx, …), up to its closing parenthesis: "6",
    // "kind === \"mirels-score\" ? 2 : 3", "SITUATION_SECTION[code(c)] ?? 1".
    private static IEnumerable<string> SectionLinkArguments(string js)
    {
        const string call = "sectionLink(ctx,";
        for (var at = js.IndexOf(call, StringComparison.Ordinal); at >= 0; at = js.IndexOf(call, at + 1, StringComparison.Ordinal))
        {
            var start = at + call.Length;
            var depth = 1;
            var end = start;
            while (end < js.Length && depth > 0)
            {
                depth += js[end] switch { '(' => 1, ')' => -1, _ => 0 };
                end++;
            }

            yield return js[start..(end - 1)];
        }
    }

    // A section number: digits standing alone, outside a string.
    [GeneratedRegex(@"(?<![\w""'-])\d+(?![\w""'])")]
    private static partial Regex Number();

    // const SITUATION_SECTION = { pain: 1, "fracture-prevention": 2, … };
    [GeneratedRegex(@"(?<=SITUATION_SECTION = \{[^}]*)[:] (?<n>\d+)")]
    private static partial Regex SituationSection();
}
