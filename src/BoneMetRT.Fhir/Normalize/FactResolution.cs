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
/// Turns the values found for one item into a fact: explicit observations win over standard resources, then the most
/// recent value wins; different values tied for most recent are a conflict (guideline §8).
/// </summary>
public static class FactResolution
{
    /// <summary>Resolves candidates into one fact.</summary>
    public static Fact<T> Resolve<T>(IEnumerable<Candidate<T>> candidates)
    {
        var list = candidates.ToList();
        if (list.Count == 0)
        {
            return Fact<T>.Missing;
        }

        if (list.Any(c => c.Explicit))
        {
            list = [.. list.Where(c => c.Explicit)];
        }

        var latest = list.Max(c => c.When ?? DateTimeOffset.MinValue);
        var top = list.Where(c => (c.When ?? DateTimeOffset.MinValue) == latest).ToList();
        var sources = top.Select(c => c.Source).Distinct().ToArray();
        return top.Select(c => c.Value).Distinct().Count() == 1
            ? Fact<T>.Of(top[0].Value, sources)
            : Fact<T>.Conflict(sources);
    }
}
