using System.Text.RegularExpressions;

namespace BoneMetRT.Domain.Regimens;

/// <summary>A vertebral level (C1–C7, T1–T12, L1–L5, S1–S5) and ranges of levels around it.</summary>
public static partial class VertebralLevel
{
    private static readonly string[] Levels =
    [
        .. Enumerable.Range(1, 7).Select(i => $"C{i}"),
        .. Enumerable.Range(1, 12).Select(i => $"T{i}"),
        .. Enumerable.Range(1, 5).Select(i => $"L{i}"),
        .. Enumerable.Range(1, 5).Select(i => $"S{i}"),
    ];

    /// <summary>
    /// The range of levels from <paramref name="margin"/> above to <paramref name="margin"/> below the level named in
    /// <paramref name="label"/> (e.g. "T10 vertebra", margin 2 → "T8–T12"); null when the label names no level.
    /// </summary>
    public static string? Range(string label, int margin)
    {
        var match = LevelPattern().Match(label);
        if (!match.Success)
        {
            return null;
        }

        var index = Array.IndexOf(Levels, match.Groups[1].Value.ToUpperInvariant() + int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        if (index < 0)
        {
            return null;
        }

        var first = Levels[Math.Max(0, index - margin)];
        var last = Levels[Math.Min(Levels.Length - 1, index + margin)];
        return $"{first}–{last}";
    }

    /// <summary>
    /// The first vertebral level a text names, normalised ("t10 vertebra" → "T10", "Sacrum, S1-S2" → "S1"); null when
    /// the text names none or names a level that does not exist (C8, T13, L6, S6).
    /// </summary>
    public static string? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var match = LevelPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var level = match.Groups[1].Value.ToUpperInvariant() + int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        return Array.IndexOf(Levels, level) >= 0 ? level : null;
    }

    [GeneratedRegex(@"\b([CTLSctls])(\d{1,2})\b")]
    private static partial Regex LevelPattern();
}
