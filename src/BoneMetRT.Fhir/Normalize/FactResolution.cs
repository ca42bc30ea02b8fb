using BoneMetRT.Domain.Facts;

namespace BoneMetRT.Fhir.Normalize;

/// <summary>One value of an input item found in the Bundle.</summary>
/// <typeparam name="T">Domain type of the value.</typeparam>
/// <param name="Value">The value.</param>
/// <param name="When">Clinically relevant time (<c>effective[x]</c>, onset…); null sorts oldest.</param>
/// <param name="Source">Source key of the resource.</param>
/// <param name="Explicit">True for an explicit bonemet Observation, which wins over the standard form.</param>
public sealed record Candidate<T>(T Value, DateTimeOffset? When, string Source, bool Explicit = true);

/// <summary>
/// Turns the values found for one item into a fact (contract §2, guideline §8):
/// <list type="number">
/// <item>among values of the same form, the most recent wins; different values tied for most recent are a conflict;</item>
/// <item>an explicit bonemet Observation wins over the standard form (a Condition, a body site, a % quantity)…</item>
/// <item>…unless a standard value is dated strictly after the explicit one and says something else: the record has
/// changed since the explicit statement (e.g. "visceral metastases: no" in January, a liver metastasis diagnosed in
/// February), and choosing either would be a guess, so it is a conflict naming both. An undated standard value (a Mirels
/// site derived from the body site) cannot be more recent and still loses.</item>
/// </list>
/// </summary>
public static class FactResolution
{
    /// <summary>Resolves candidates into one fact.</summary>
    public static Fact<T> Resolve<T>(IEnumerable<Candidate<T>> candidates)
    {
        var list = candidates.ToList();
        if (list.Count == 0)
        {
            return Fact<T>.Missing; // most items of a record: no need to sort anything
        }

        var explicitOnes = list.Where(c => c.Explicit).ToList();
        var standard = list.Where(c => !c.Explicit).ToList();
        if (explicitOnes.Count == 0)
        {
            return MostRecent(standard);
        }

        var stated = MostRecent(explicitOnes);
        if (!stated.IsPresent)
        {
            return stated;
        }

        var statedOn = explicitOnes.Max(c => c.When ?? DateTimeOffset.MinValue);
        var newer = standard.Where(c => c.When is { } when && statedOn != DateTimeOffset.MinValue && when > statedOn).ToList();
        var contradicting = newer.Where(c => !EqualityComparer<T>.Default.Equals(c.Value, stated.Value)).ToList();
        if (contradicting.Count > 0)
        {
            return Fact<T>.Conflict([.. stated.Sources.Concat(contradicting.Select(c => c.Source)).Distinct()]);
        }

        // A newer standard value that agrees confirms the explicit one: both are its sources.
        return Fact<T>.Of(stated.Value, [.. stated.Sources.Concat(newer.Select(c => c.Source)).Distinct()]);
    }

    private static Fact<T> MostRecent<T>(List<Candidate<T>> list)
    {
        if (list.Count == 0)
        {
            return Fact<T>.Missing;
        }

        var latest = list.Max(c => c.When ?? DateTimeOffset.MinValue);
        var top = list.Where(c => (c.When ?? DateTimeOffset.MinValue) == latest).ToList();
        var sources = top.Select(c => c.Source).Distinct().ToArray();
        return top.Select(c => c.Value).Distinct().Count() == 1
            ? Fact<T>.Of(top[0].Value, sources)
            : Fact<T>.Conflict(sources);
    }
}
