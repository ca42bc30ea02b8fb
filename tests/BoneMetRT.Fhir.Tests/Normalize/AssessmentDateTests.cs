using BoneMetRT.Domain.Facts;
using BoneMetRT.Fhir.Tests.Builders;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;
using static BoneMetRT.Fhir.Tests.Builders.Normalized;
using static BoneMetRT.Fhir.Tests.Builders.PatientBundle;

namespace BoneMetRT.Fhir.Tests.Normalize;

/// <summary>
/// Contract §3: every interval and window is computed against the assessment date, so the record is read as of that
/// date. Observations, Conditions and Procedures dated after it (2026-03-16 in these tests) are ignored, each with an
/// issue that says so; a partial date counts as after only when its first possible day is.
/// </summary>
public sealed class AssessmentDateTests
{
    [Fact]
    public void A_future_pain_observation_does_not_raise_today_s_Mirels_and_is_reported()
    {
        // The issue's case: a Mirels of 10 instead of 8 from a pain score dated after the assessment.
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var now = b.Item("pain-now", "mirels-pain", Answer("moderate"), femur, "2026-03-10");
        var future = b.Item("pain-later", "mirels-pain", Answer("functional"), femur, "2026-03-20");

        var result = Run(b);

        Present(Lesion(result.Value!.Facts, b.Key(femur)).Pain, MirelsPain.Moderate, b.Key(now));
        var issue = Ignored(result.Issues, b.Expr(future));
        Assert.Contains("after the assessment date (2026-03-16)", issue.Text.En, StringComparison.Ordinal);
        Assert.Contains("postérieur à la date d'évaluation", issue.Text.Fr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_observation_issued_after_the_assessment_without_effective_is_ignored()
    {
        var b = PatientBundle.WithPatient();
        var ecog = b.LoincObservation("ecog", EcogLoinc, new Integer(3));
        ecog.Issued = new DateTimeOffset(2026, 3, 18, 9, 0, 0, TimeSpan.Zero);

        var result = Run(b);

        Missing(result.Value!.Facts.Performance);
        Ignored(result.Issues, b.Expr(ecog));
    }

    [Fact]
    public void Conditions_with_an_onset_or_a_recordedDate_after_the_assessment_are_not_counted()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var later = b.Lesion("t10", "7610001");
        later.Onset = new FhirDateTime("2026-03-30");
        var liver = b.Condition("liver", CodeSystems.Snomed, "94381002");
        liver.RecordedDate = "2026-04-02";
        var mscc = b.Mscc("mscc", "2026-04");
        var item = b.Item("epi", "epidural-extension", new FhirBoolean(true), later, "2026-03-10");

        var result = Run(b);

        var facts = result.Value!.Facts;
        Assert.Equal([b.Key(femur)], facts.Lesions.Select(l => l.Id));
        Missing(facts.VisceralMetastases);
        Assert.Empty(facts.Compressions);
        Ignored(result.Issues, b.Expr(later));
        Ignored(result.Issues, b.Expr(liver));
        Ignored(result.Issues, b.Expr(mscc));
        Ignored(result.Issues, b.Expr(item));
    }

    [Fact]
    public void A_procedure_performed_after_the_assessment_is_ignored_and_reported()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var planned = b.Surgery("nail", femur, "2026-03-25");

        var result = Run(b);

        Assert.Empty(result.Value!.Facts.Procedures);
        Assert.Contains("performed[x]", Ignored(result.Issues, b.Expr(planned)).Text.En, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026", true)]     // the whole of 2026 may be before 16 March
    [InlineData("2026-03", true)]  // so may March
    [InlineData("2026-03-16", true)]
    [InlineData("2026-04", false)] // April is after, whatever the day
    [InlineData("2027", false)]
    public void A_partial_date_is_after_only_when_its_first_day_is(string effective, bool kept)
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var obs = b.Item("epi", "lesion-well-defined", new FhirBoolean(true), femur, effective);

        var result = Run(b);

        var fact = Lesion(result.Value!.Facts, b.Key(femur)).WellDefined;
        if (kept)
        {
            Present(fact, true, b.Key(obs));
            NotIgnored(result.Issues, b.Expr(obs));
        }
        else
        {
            Missing(fact);
            Ignored(result.Issues, b.Expr(obs));
        }
    }
}
