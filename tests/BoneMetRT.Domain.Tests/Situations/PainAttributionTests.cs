using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Scoring;
using BoneMetRT.Domain.Situations;

namespace BoneMetRT.Domain.Tests.Situations;

/// <summary>
/// guideline §1.1 and §8: a pain finding recorded for the patient, not for a lesion, never makes every lesion painful.
/// It describes a lesion only when the patient has one; otherwise the item is missing for each lesion, and named.
/// </summary>
public class PainAttributionTests
{
    private static PatientFacts ThreeLesions() => Facts.Patient(
        Facts.FlatBone("Condition/rib", "right 7th rib"),
        Facts.FlatBone("Condition/iliac", "iliac wing"),
        Facts.Vertebra("Condition/t4", "T4"));

    [Fact]
    public void Patient_level_refractory_pain_with_three_lesions_makes_none_painful_and_names_the_item_for_each()
    {
        var result = (ThreeLesions() with { AnalgesicRefractoryPain = Facts.Of(true, "Observation/pain") }).Evaluate();

        Assert.False(result.Has(Situation.Pain));
        Assert.Empty(result.Recs(RecommendationCodes.Radiotherapy));
        var missing = result.Findings.Where(f => f.Item == "analgesic-refractory-pain" && f.Kind == FindingKind.MissingItem).ToList();
        Assert.Equal(["Condition/iliac", "Condition/rib", "Condition/t4"], missing.Select(f => f.SubjectId).Order(StringComparer.Ordinal));
        Assert.All(missing, f => Assert.Equal(["Observation/pain"], f.Sources));

        // §8: the conservative route, once for the patient, naming the lesions it could be.
        var board = Assert.Single(result.Recs(RecommendationCodes.TumourBoard));
        Assert.Null(board.SubjectId);
        Assert.Contains("right 7th rib, iliac wing, T4", board.Text.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Patient_level_refractory_pain_describes_a_single_lesion()
    {
        var result = (Facts.Patient(Facts.FlatBone()) with { AnalgesicRefractoryPain = Facts.Of(true) }).Evaluate();

        Assert.True(result.Has(Situation.Pain));
        Assert.DoesNotContain(result.Findings, f => f.Item == "analgesic-refractory-pain");
    }

    [Fact]
    public void A_lesion_with_its_own_item_is_painful_whatever_the_patient_level_item()
    {
        var patient = Facts.Patient(Facts.FlatBone("Condition/rib", "rib").Painful(), Facts.FlatBone()) with { AnalgesicRefractoryPain = Facts.Of(true) };

        var result = patient.Evaluate();

        Assert.Equal(["Condition/rib"], result.Situations.Where(s => s.Situation == Situation.Pain).Select(s => s.SubjectId));
        Assert.Contains(result.Findings, f => f.Item == "analgesic-refractory-pain" && f.SubjectId == "Condition/iliac");
    }

    [Fact]
    public void Patient_level_no_neuropathic_pain_holds_for_every_lesion_but_yes_does_not()
    {
        var lesions = Facts.Patient(Facts.FlatBone("Condition/rib", "rib").Painful(), Facts.FlatBone().Painful());

        var no = (lesions with { NeuropathicPain = Facts.Of(false) }).Evaluate();
        var yes = (lesions with { NeuropathicPain = Facts.Of(true) }).Evaluate();

        Assert.DoesNotContain(no.Findings, f => f.Item == "neuropathic-pain");
        // "Yes" does not say which lesion: neither becomes complicated (30 Gy/10), each names the missing item.
        Assert.Equal("rt-8gy-1fx", yes.Radiotherapy("Condition/rib").PreferredCode());
        Assert.Equal(2, yes.Findings.Count(f => f.Item == "neuropathic-pain" && f.Kind == FindingKind.MissingItem));
    }
}
