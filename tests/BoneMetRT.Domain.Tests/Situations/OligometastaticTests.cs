using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Regimens;
using BoneMetRT.Domain.Scoring;
using BoneMetRT.Domain.Situations;

namespace BoneMetRT.Domain.Tests.Situations;

/// <summary>guideline.md §5: 1–3 sites, well delimited, no visceral metastasis; only after the RCP-OOS.</summary>
public class OligometastaticTests
{
    private static PatientFacts WithSites(int n, bool? visceral = false)
    {
        var lesions = Enumerable.Range(1, n)
            .Select(i => Facts.FlatBone($"Condition/site-{i}", $"site {i}").WellDefined())
            .ToArray();
        return Facts.Patient(lesions) with { VisceralMetastases = visceral is { } v ? Facts.Of(v) : Fact<bool>.Missing };
    }

    [Theory]
    [InlineData(1, Eligibility.Eligible)]
    [InlineData(2, Eligibility.Eligible)]
    [InlineData(3, Eligibility.Eligible)]
    [InlineData(4, Eligibility.NotEligible)]
    [InlineData(0, Eligibility.NotEligible)]
    public void Number_of_sites(int n, Eligibility expected)
    {
        var result = WithSites(n).Evaluate();

        Assert.Equal(expected, result.Oligometastatic.Eligibility);
        Assert.Equal(expected == Eligibility.Eligible, result.Has(Situation.Oligometastatic));
    }

    [Fact]
    public void Visceral_metastases_exclude()
    {
        var result = WithSites(1, visceral: true).Evaluate();

        Assert.Equal(Eligibility.NotEligible, result.Oligometastatic.Eligibility);
        Assert.Empty(result.Recs(RecommendationCodes.SpecialisedTumourBoard));
    }

    [Fact]
    public void A_poorly_delimited_lesion_excludes()
    {
        var patient = WithSites(2);
        patient = patient with { Lesions = [patient.Lesions[0], patient.Lesions[1].WellDefined(false)] };

        var result = patient.Evaluate();

        Assert.Equal(Eligibility.NotEligible, result.Oligometastatic.Eligibility);
        Assert.Contains("site 2", result.Oligometastatic.Rationale.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_visceral_item_is_undetermined_and_named()
    {
        var result = WithSites(2, visceral: null).Evaluate();

        Assert.Equal(Eligibility.Undetermined, result.Oligometastatic.Eligibility);
        Assert.Contains(result.Findings, f => f.Item == "visceral-metastases" && f.Kind == FindingKind.MissingItem);
        Assert.False(result.Has(Situation.Oligometastatic));
        Assert.Empty(result.Recs(RecommendationCodes.SpecialisedTumourBoard));
    }

    [Fact]
    public void Every_missing_item_is_named()
    {
        var patient = Facts.Patient(
            Facts.FlatBone("Condition/a", "rib"),
            Facts.FlatBone("Condition/b", "iliac wing").WellDefined(),
            Facts.FlatBone("Condition/c", "sacrum"));

        var result = patient.Evaluate();

        Assert.Equal(Eligibility.Undetermined, result.Oligometastatic.Eligibility);
        Assert.Contains(result.Findings, f => f.Item == "visceral-metastases" && f.SubjectId is null);
        Assert.Contains(result.Findings, f => f.Item == "lesion-well-defined" && f.SubjectId == "Condition/a");
        Assert.Contains(result.Findings, f => f.Item == "lesion-well-defined" && f.SubjectId == "Condition/c");
        Assert.DoesNotContain(result.Findings, f => f.Item == "lesion-well-defined" && f.SubjectId == "Condition/b");
        Assert.Contains("rib", result.Oligometastatic.Rationale.En, StringComparison.Ordinal);
        Assert.Contains("sacrum", result.Oligometastatic.Rationale.En, StringComparison.Ordinal);
    }

    [Fact]
    public void A_known_exclusion_wins_over_missing_items()
    {
        var patient = Facts.Patient(Facts.FlatBone("Condition/a", "rib"), Facts.FlatBone("Condition/b", "sacrum").WellDefined(false));

        Assert.Equal(Eligibility.NotEligible, patient.Evaluate().Oligometastatic.Eligibility);
    }

    [Fact]
    public void Eligible_patient_goes_to_the_specialised_tumour_board_with_SBRT_options_none_preferred()
    {
        var patient = Facts.Patient(Facts.Vertebra().WellDefined(), Facts.FlatBone().WellDefined()) with { VisceralMetastases = Facts.Of(false) };

        var result = patient.Evaluate();

        var recs = result.Recs(RecommendationCodes.SpecialisedTumourBoard);
        Assert.Equal(2, recs.Count);
        Assert.All(recs, r =>
        {
            Assert.Contains(Situation.Oligometastatic, r.Situations);
            Assert.DoesNotContain(r.Regimens, o => o.Preferred);
            Assert.Contains("RCP-OOS", r.Text.En, StringComparison.Ordinal);
        });

        // Spine: the AURA schedules 18 Gy/1 and 24 Gy/2 (guideline §5), without the conventional full-prescription cord bound.
        var spine = Assert.Single(recs, r => r.SubjectId == "Condition/t10");
        Assert.Equal(["sbrt-18gy-1fx", "sbrt-24gy-2fx"], spine.Regimens.Select(o => o.Regimen.Code).Order(StringComparer.Ordinal));
        Assert.All(spine.Regimens, o => Assert.Equal(Technique.Sbrt, o.Regimen.Technique));
        Assert.All(spine.Regimens, o => Assert.Null(o.Cord));

        // Outside the spine the guideline names no schedule: none is proposed, and the text says SBRT or a
        // normo-fractionated pseudo-curative course.
        var iliac = Assert.Single(recs, r => r.SubjectId == "Condition/iliac");
        Assert.Empty(iliac.Regimens);
        Assert.Contains("normo-fractionated", iliac.Rationale.En, StringComparison.Ordinal);
        Assert.Contains("normo-fractionné", iliac.Rationale.Fr, StringComparison.Ordinal);
    }

    [Fact]
    public void Spinal_SBRT_options_have_their_own_target_text_no_conventional_cord_figure_and_no_preferred_schedule()
    {
        var patient = Facts.Patient(Facts.Vertebra().WellDefined()) with { VisceralMetastases = Facts.Of(false) };

        var rec = Assert.Single(patient.Evaluate().Recs(RecommendationCodes.SpecialisedTumourBoard));

        Assert.All(rec.Regimens, o =>
        {
            // The "cord EQD2 at full prescription" (≈ 118 Gy for 18 Gy/1) means nothing for a stereotactic plan.
            Assert.Null(o.Cord);
            Assert.Contains("no preferred schedule", o.Why.En, StringComparison.Ordinal);
        });
        Assert.Null(rec.TargetVolume!.VertebraeAboveAndBelow);
        Assert.Contains("stereotactic", rec.TargetVolume.Text.En, StringComparison.Ordinal);
        Assert.DoesNotContain("one vertebra above", rec.TargetVolume.Text.En, StringComparison.Ordinal);
        Assert.Contains("stéréotaxique", rec.TargetVolume.Text.Fr, StringComparison.Ordinal);
    }

    [Fact]
    public void No_SBRT_for_a_vertebra_that_compresses_the_cord()
    {
        var patient = Facts.MsccPatient(visceral: false) with { Lesions = [Facts.Vertebra(epidural: true).WellDefined()] };

        var result = patient.Evaluate();

        Assert.True(result.Has(Situation.Oligometastatic));
        var rec = Assert.Single(result.Recs(RecommendationCodes.SpecialisedTumourBoard));
        Assert.Empty(rec.Regimens);
        Assert.Contains("compresses the spinal cord", rec.Rationale.En, StringComparison.Ordinal);
        Assert.True(result.Radiotherapy("Condition/t10").Urgent);
    }

    [Fact]
    public void Extra_spinal_options_mention_the_pseudo_curative_alternative()
    {
        var rec = Assert.Single(WithSites(1).Evaluate().Recs(RecommendationCodes.SpecialisedTumourBoard));

        Assert.All(rec.Regimens, o =>
        {
            Assert.Null(o.Cord);
            Assert.Contains("pseudo-curative", o.Why.En, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Rationale_says_no_survival_benefit_has_been_shown()
    {
        var result = WithSites(1).Evaluate();

        Assert.Contains("no survival benefit", result.Oligometastatic.Rationale.En, StringComparison.Ordinal);
    }
}
