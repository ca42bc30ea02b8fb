using System.Text.RegularExpressions;

namespace BoneMetRT.Fhir.Tests.Repository;

/// <summary>The numbered sections of docs/guideline.md: "## N. Title", each preceded by its anchor <c>&lt;a id="sN"&gt;</c>.</summary>
internal static partial class GuidelineDocument
{
    public static string FilePath => Path.Combine(RepoPaths.Root, "docs", "guideline.md");

    /// <summary>Section number → title, for every numbered section that carries its anchor.</summary>
    public static IReadOnlyDictionary<int, string> Sections()
    {
        var text = File.ReadAllText(FilePath).ReplaceLineEndings("\n");
        var sections = new SortedDictionary<int, string>();
        foreach (Match m in Heading().Matches(text))
        {
            var number = int.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(m.Groups["anchor"].Value == number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"docs/guideline.md: section {number} carries the anchor s{m.Groups["anchor"].Value}.");
            sections.Add(number, m.Groups["title"].Value.Trim());
        }

        return sections;
    }

    [GeneratedRegex("^<a id=\"s(?<anchor>\\d+)\"></a>\\n\\n## (?<n>\\d+)\\. (?<title>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
