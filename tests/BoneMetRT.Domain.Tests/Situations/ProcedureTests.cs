using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Scoring;
using BoneMetRT.Domain.Situations;

namespace BoneMetRT.Domain.Tests.Situations;

/// <summary>
/// guideline §1.4 and §6 on whole records: procedures are typed and dated. Only surgery opens the post-operative window,
/// the most recent surgery counts, an earlier radiotherapy makes a new course a re-irradiation, and the post-operative
/// situation ends (a setting; the guideline gives none).
/// </summary>
public class ProcedureTests
{
    private static Fact<PartialDate> DaysAgo(int days) => Facts.Of<PartialDate>(Facts.Today.AddDays(-days), "Procedure/x");

    [Fact]
    public void A_prior_radiotherapy_course_makes_a_re_irradiation_no_regimen_a_tumour_board_and_a_warning_naming_the_course()
    {
        var patient = Facts.Patient(Facts.Vertebra("Condition/t11", "T11").Painful(), Facts.LongBone(MirelsSite.UpperLimb, id: "Condition/humerus", label: "left humerus").Painful())
            .WithProcedure("Condition/t11", ProcedureKind.Radiotherapy, Facts.Of<PartialDate>(new DateOnly(2024, 6, 2)), doseGy: 20m, fractions: 5);

        var result = patient.Evaluate();

        Assert.DoesNotContain(result.Recommendations, r => r.Code == RecommendationCodes.Radiotherapy && r.SubjectId == "Condition/t11");
        Assert.Empty(result.PostOperative);
        var review = Assert.Single(result.Recs(RecommendationCodes.ReirradiationReview));
        Assert.Equal("Condition/t11", review.SubjectId);
        Assert.Empty(review.Regimens);
        var warning = Assert.Single(result.Findings, f => f.Item == "prior-radiotherapy");
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Contains("20 Gy in 5 fractions, 2024-06-02", warning.Text.En, StringComparison.Ordinal);
        Assert.Contains("cumulative", warning.Text.En, StringComparison.Ordinal);
        Assert.Contains("spinal cord", warning.Text.En, StringComparison.Ordinal);
        Assert.Contains("20 Gy en 5 fractions", warning.Text.Fr, StringComparison.Ordinal);

        // The other painful lesion, never irradiated, keeps its ordinary course.
        Assert.Equal("rt-8gy-1fx", result.Radiotherapy("Condition/humerus").PreferredCode());
    }

    [Fact]
    public void Radiotherapy_is_never_read_as_surgery()
    {
        var patient = Facts.Patient(Facts.FlatBone()).WithProcedure("Condition/iliac", ProcedureKind.Radiotherapy, DaysAgo(18));

        var result = patient.Evaluate();

        Assert.False(result.Has(Situation.Postoperative));
        Assert.Empty(result.Recs(RecommendationCodes.Radiotherapy));
    }

    [Fact]
    public void The_most_recent_surgery_counts_and_a_biopsy_opens_no_window()
    {
        // A biopsy listed first, then an intramedullary nail 5 days before the assessment.
        var patient = Facts.Patient(Facts.LongBoneWithMirels(10))
            .WithProcedure("Condition/femur", ProcedureKind.Biopsy, DaysAgo(55))
            .WithProcedure("Condition/femur", ProcedureKind.Fixation, DaysAgo(5));

        var result = patient.Evaluate();

        var window = Assert.Single(result.PostOperative);
        Assert.Equal("Procedure/procedure-2", window.SurgeryId);
        Assert.Equal(WindowStatus.NotYetOpen, window.Status);
        var rt = result.Radiotherapy("Condition/femur");
        Assert.DoesNotContain("without further delay", rt.Rationale.En, StringComparison.Ordinal);
        Assert.Equal(Facts.Today.AddDays(10), rt.Window!.Start);
        Assert.Empty(result.Mirels); // operated bone
        Assert.Contains(result.Findings, f => f.Text.En.StartsWith("Biopsy", StringComparison.Ordinal) && f.Text.En.Contains("no post-operative window", StringComparison.Ordinal));
    }

    [Fact]
    public void A_later_surgery_supersedes_an_earlier_one()
    {
        var patient = Facts.Patient(Facts.FlatBone())
            .WithSurgery("Condition/iliac", daysAgo: 30)
            .WithSurgery("Condition/iliac", daysAgo: 16);

        var window = Assert.Single(patient.Evaluate().PostOperative);

        Assert.Equal(16, window.DaysSinceSurgery);
        Assert.Equal(WindowStatus.Open, window.Status);
    }

    [Fact]
    public void A_biopsy_alone_is_not_an_operation()
    {
        var result = Facts.Patient(Facts.LongBoneWithMirels(7)).WithProcedure("Condition/femur", ProcedureKind.Biopsy, DaysAgo(18)).Evaluate();

        Assert.Empty(result.PostOperative);
        Assert.Single(result.Mirels); // the bone is not operated: Mirels applies
    }

    [Theory]
    [InlineData(42, true)]
    [InlineData(43, false)]
    [InlineData(425, false)]
    public void The_post_operative_situation_ends_at_the_horizon_setting_and_says_so(int daysAgo, bool postOperative)
    {
        var result = Facts.Patient(Facts.LongBone(id: "Condition/femur").Painful()).WithSurgery("Condition/femur", daysAgo).Evaluate();

        Assert.Equal(postOperative, result.Has(Situation.Postoperative));
        var rt = result.Radiotherapy("Condition/femur"); // painful: radiotherapy either way
        if (!postOperative)
        {
            Assert.DoesNotContain("without further delay", rt.Rationale.En, StringComparison.Ordinal);
            Assert.Contains(result.Findings, f => f.Item == "postoperative-horizon" && f.Text.En.Contains("42 days", StringComparison.Ordinal));
            Assert.Contains("hardware", rt.TargetVolume!.Text.En, StringComparison.Ordinal);
            Assert.Empty(result.Mirels); // still an operated bone
        }
    }

    [Fact]
    public void An_undated_surgery_holds_the_window_and_names_the_date()
    {
        var result = Facts.Patient(Facts.FlatBone()).WithProcedure("Condition/iliac", ProcedureKind.Fixation, Fact<PartialDate>.Missing, skinHealed: true).Evaluate();

        var rt = result.Radiotherapy("Condition/iliac");
        Assert.True(rt.OnHold);
        Assert.Equal(WindowStatus.HeldDateUnknown, rt.Window!.Status);
        Assert.Null(rt.Window.Start);
        Assert.Contains(result.Findings, f => f.Item == "performed" && f.Kind == FindingKind.MissingItem);
    }

    [Fact]
    public void A_surgery_dated_only_to_the_month_is_not_completed_to_a_day()
    {
        var month = PartialDate.Month(Facts.Today.Year, Facts.Today.Month);
        var result = Facts.Patient(Facts.FlatBone()).WithProcedure("Condition/iliac", ProcedureKind.Resection, Facts.Of(month), skinHealed: true).Evaluate();

        var rt = result.Radiotherapy("Condition/iliac");
        Assert.Equal(WindowStatus.HeldDateUnknown, rt.Window!.Status);
        Assert.Contains(month.ToString(), Assert.Single(result.Findings, f => f.Item == "performed").Text.En, StringComparison.Ordinal);
    }

    [Fact]
    public void A_procedure_dated_after_the_assessment_is_not_taken_into_account()
    {
        var result = Facts.Patient(Facts.LongBoneWithMirels(8)).WithProcedure("Condition/femur", ProcedureKind.Fixation, Facts.Of<PartialDate>(Facts.Today.AddDays(3))).Evaluate();

        Assert.Empty(result.PostOperative);
        Assert.Single(result.Mirels);
        Assert.Contains(result.Findings, f => f.Item == "performed" && f.Text.En.Contains("after the assessment date", StringComparison.Ordinal));
    }

    [Fact]
    public void After_a_decompression_no_neurosurgical_opinion_is_asked_before_radiotherapy()
    {
        // Rades group II would ask for a neurosurgical opinion; the decompression has been done.
        var patient = Facts.MsccPatientWithPoints(primary: 5, interval: 6, visceral: 5, ambulatory: 9, deficit: 7)
            .WithSurgery("Condition/mscc", daysAgo: 16, kind: ProcedureKind.Decompression);

        var result = patient.Evaluate();

        Assert.Empty(result.Recs(RecommendationCodes.NeurosurgicalOpinion));
        var rt = result.Radiotherapy("Condition/t10");
        Assert.Contains(Situation.Mscc, rt.Situations);
        Assert.Contains(Situation.Postoperative, rt.Situations);
        Assert.Equal(WindowStatus.Open, rt.Window!.Status);
    }

    [Fact]
    public void A_vertebral_augmentation_opens_no_window()
    {
        var result = Facts.Patient(Facts.Vertebra()).WithProcedure("Condition/t10", ProcedureKind.Cementoplasty, DaysAgo(18)).Evaluate();

        Assert.Empty(result.PostOperative);
        Assert.False(result.Has(Situation.Postoperative));
    }

    [Fact]
    public void An_earlier_course_linked_to_no_lesion_is_a_warning_for_every_course()
    {
        var result = Facts.Patient(Facts.FlatBone().Painful()).WithProcedure(null, ProcedureKind.Radiotherapy, DaysAgo(400)).Evaluate();

        Assert.Contains(result.Findings, f => f.Item == "prior-radiotherapy" && f.Severity == Severity.Warning && f.SubjectId is null);
        Assert.Single(result.Recs(RecommendationCodes.Radiotherapy));
    }
}
