using BoneMetRT.Domain.Facts;

namespace BoneMetRT.Domain.Scoring;

/// <summary>Turns facts into score items and names every item that could not be scored (guideline §8).</summary>
internal static class ItemScoring
{
    /// <summary>Scores one item from a point table; a missing or conflicting fact yields an unscored item and a finding.</summary>
    public static ScoreItem Score<T>(
        Fact<T> fact, string item, LocalizedText name, IReadOnlyList<PointsRow<T>> table,
        string scoreName, string? subjectId, ICollection<Finding> findings)
    {
        if (fact.IsPresent)
        {
            var row = table.Single(r => EqualityComparer<T>.Default.Equals(r.Value, fact.Value));
            return ScoreItem.Scored(item, name, row, fact.Sources);
        }

        findings.Add(Unscored(fact.State, item, name, scoreName, subjectId, fact.Sources));
        return ScoreItem.Unscored(item, name, fact.State, fact.Sources);
    }

    /// <summary>An item that has values but cannot be decided (e.g. dates too imprecise): its own findings say why.</summary>
    public static ScoreItem Withheld(string item, LocalizedText name, IReadOnlyList<string> sources, IEnumerable<Finding> why, ICollection<Finding> findings)
    {
        foreach (var f in why)
        {
            findings.Add(f);
        }

        return ScoreItem.Unscored(item, name, FactState.Missing, sources);
    }

    /// <summary>The finding for an item that cannot be scored.</summary>
    public static Finding Unscored(FactState state, string item, LocalizedText name, string scoreName, string? subjectId, IReadOnlyList<string> sources) =>
        state == FactState.Conflicting
            ? new Finding(Severity.Error, FindingKind.ConflictingItem, item, subjectId,
                new($"{scoreName} score withheld: item \"{name.En}\" ({item}) has contradicting values (the same date, or an explicit value older than the record it contradicts); the engine does not choose between them.",
                    $"Score de {scoreName} non calculé : l'item « {name.Fr} » ({item}) a des valeurs contradictoires (même date, ou une valeur explicite plus ancienne que la donnée qu'elle contredit) ; le moteur ne choisit pas entre elles."),
                Sections.MissingData, sources)
            : new Finding(Severity.Warning, FindingKind.MissingItem, item, subjectId,
                new($"{scoreName} score withheld: item \"{name.En}\" ({item}) is missing.",
                    $"Score de {scoreName} non calculé : l'item « {name.Fr} » ({item}) est manquant."),
                Sections.MissingData, sources);

    /// <summary>Total of the items, or null when any item is unscored (a score with a missing item is not computed).</summary>
    public static int? Total(IEnumerable<ScoreItem> items)
    {
        var total = 0;
        foreach (var item in items)
        {
            if (item.Points is not { } points)
            {
                return null;
            }

            total += points;
        }

        return total;
    }

    /// <summary>The items with their answers and points, as in a rationale ("site upper limb 1 + …").</summary>
    public static string Breakdown(IEnumerable<ScoreItem> items, Language lang) =>
        string.Join(" + ", items.Select(i => $"{i.Answer!.In(lang)} {i.Points}"));

    /// <summary>The items that could not be scored, each with why (missing or conflicting).</summary>
    public static string MissingList(IEnumerable<ScoreItem> items, Language lang) =>
        string.Join(", ", items.Where(i => i.Points is null).Select(i =>
            $"{i.Name.In(lang)} {(i.State == FactState.Conflicting ? (lang == Language.Fr ? "contradictoire" : "conflicting") : (lang == Language.Fr ? "manquant" : "missing"))}"));
}
