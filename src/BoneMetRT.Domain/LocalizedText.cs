namespace BoneMetRT.Domain;

/// <summary>A human-readable text in English and French; the engine never produces one without the other.</summary>
public sealed record LocalizedText(string En, string Fr)
{
    /// <summary>The text in the requested language.</summary>
    public string In(Language language) => language == Language.Fr ? Fr : En;

    /// <summary>Joins several texts sentence by sentence, keeping the languages aligned.</summary>
    public static LocalizedText Join(IEnumerable<LocalizedText> parts)
    {
        var list = parts.ToList();
        return new LocalizedText(
            string.Join(" ", list.Select(p => p.En.Trim()).Where(t => t.Length > 0)),
            string.Join(" ", list.Select(p => p.Fr.Trim()).Where(t => t.Length > 0)));
    }

    /// <inheritdoc/>
    public override string ToString() => En;
}
