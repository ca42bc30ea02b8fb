using BoneMetRT.Domain.Facts;
using BoneMetRT.Fhir.Normalize;
using static BoneMetRT.Fhir.Tests.Builders.Normalized;

namespace BoneMetRT.Fhir.Tests.Normalize;

/// <summary>
/// The resolution rule on its own (guideline §8, contract §2): most recent wins within a form, a tie of different
/// values is a conflict, explicit wins over standard unless a standard value is strictly more recent and different.
/// </summary>
public sealed class FactResolutionTests
{
    private static readonly DateTimeOffset Jan = new(2026, 1, 10, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Feb = new(2026, 2, 10, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void No_candidate_is_missing()
    {
        Missing(FactResolution.Resolve(Array.Empty<Candidate<bool>>()));
    }

    [Fact]
    public void Explicit_wins_over_an_older_standard_value()
    {
        Present(FactResolution.Resolve([new Candidate<bool>(false, Feb, "e"), new Candidate<bool>(true, Jan, "s", false)]), false, "e");
    }

    [Fact]
    public void Explicit_wins_over_an_undated_standard_value()
    {
        Present(FactResolution.Resolve([new Candidate<bool>(false, Jan, "e"), new Candidate<bool>(true, null, "s", false)]), false, "e");
    }

    [Fact]
    public void An_undated_explicit_value_wins_over_a_dated_standard_one_which_is_not_known_to_be_newer()
    {
        Present(FactResolution.Resolve([new Candidate<bool>(false, null, "e"), new Candidate<bool>(true, Feb, "s", false)]), false, "e");
    }

    [Fact]
    public void A_newer_different_standard_value_conflicts_with_the_explicit_one()
    {
        Conflict(FactResolution.Resolve([new Candidate<bool>(false, Jan, "e"), new Candidate<bool>(true, Feb, "s", false)]), "e", "s");
    }

    [Fact]
    public void A_standard_value_of_the_same_day_is_not_newer()
    {
        Present(FactResolution.Resolve([new Candidate<bool>(false, Jan, "e"), new Candidate<bool>(true, Jan, "s", false)]), false, "e");
    }

    [Fact]
    public void A_newer_equal_standard_value_confirms_the_explicit_one()
    {
        Present(FactResolution.Resolve([new Candidate<bool>(true, Jan, "e"), new Candidate<bool>(true, Feb, "s", false)]), true, "e", "s");
    }

    [Fact]
    public void Conflicting_explicit_values_stay_a_conflict_whatever_the_standard_ones()
    {
        Conflict(FactResolution.Resolve([new Candidate<bool>(true, Feb, "e1"), new Candidate<bool>(false, Feb, "e2"), new Candidate<bool>(true, Feb, "s", false)]), "e1", "e2");
    }

    [Fact]
    public void Standard_values_alone_follow_most_recent_wins()
    {
        Present(FactResolution.Resolve([new Candidate<int>(1, Jan, "old", false), new Candidate<int>(3, Feb, "new", false)]), 3, "new");
        Conflict(FactResolution.Resolve([new Candidate<int>(1, Feb, "a", false), new Candidate<int>(3, Feb, "b", false)]), "a", "b");
    }
}
