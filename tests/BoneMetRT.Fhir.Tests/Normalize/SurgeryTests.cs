using BoneMetRT.Fhir.Tests.Builders;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;
using static BoneMetRT.Fhir.Tests.Builders.Normalized;

namespace BoneMetRT.Fhir.Tests.Normalize;

/// <summary>Contract §2, rows "surgery on the lesion" and "skin healed after surgery".</summary>
public sealed class SurgeryTests
{
    [Fact]
    public void Completed_procedure_for_a_lesion_is_a_surgery_on_it()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var nail = b.Surgery("nail", femur, "2026-02-26T14:00:00+01:00");

        var (input, issues) = Run(b);

        var s = Assert.Single(input!.Facts.Surgeries);
        Assert.Equal(b.Key(nail), s.Id);
        Assert.Equal(b.Key(femur), s.TargetId);
        Assert.Equal(new DateOnly(2026, 2, 26), s.PerformedOn);
        NotIgnored(issues, b.Expr(nail));
    }

    [Fact]
    public void Performed_period_gives_its_start()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var nail = b.Surgery("nail", femur, null);
        nail.Performed = new Period(new FhirDateTime("2026-02-26T08:00:00Z"), new FhirDateTime("2026-02-26T11:00:00Z"));

        Assert.Equal(new DateOnly(2026, 2, 26), Assert.Single(Facts(b).Surgeries).PerformedOn);
    }

    [Fact]
    public void Procedure_for_the_compression_targets_the_compressing_lesion()
    {
        var b = PatientBundle.WithPatient();
        var t4 = b.Lesion("t4", "73071006");
        var mscc = b.Mscc("mscc", "2026-02-24", lesion: t4);
        b.Surgery("laminectomy", mscc, "2026-02-27", code: "387731002");

        Assert.Equal(b.Key(t4), Assert.Single(Facts(b).Surgeries).TargetId);
    }

    [Fact]
    public void Procedure_for_a_compression_without_lesion_targets_the_compression()
    {
        var b = PatientBundle.WithPatient();
        var mscc = b.Mscc("mscc", "2026-02-24");
        b.Surgery("laminectomy", mscc, "2026-02-27", code: "387731002");

        Assert.Equal(b.Key(mscc), Assert.Single(Facts(b).Surgeries).TargetId);
    }

    [Theory]
    [InlineData(EventStatus.InProgress)]
    [InlineData(EventStatus.Preparation)]
    [InlineData(EventStatus.NotDone)]
    [InlineData(EventStatus.Stopped)]
    [InlineData(EventStatus.EnteredInError)]
    public void Procedure_not_completed_is_ignored_and_reported(EventStatus status)
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var nail = b.Surgery("nail", femur, "2026-02-26", status);

        var (input, issues) = Run(b);

        Assert.Empty(input!.Facts.Surgeries);
        Ignored(issues, b.Expr(nail));
    }

    [Fact]
    public void Procedure_without_reasonReference_is_ignored_and_reported()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("femur", "71341001");
        var nail = b.Surgery("nail", null, "2026-02-26");

        var (input, issues) = Run(b);

        Assert.Empty(input!.Facts.Surgeries);
        Ignored(issues, b.Expr(nail));
    }

    [Fact]
    public void Procedure_whose_reason_is_not_a_lesion_nor_the_compression_is_ignored_and_reported()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("femur", "71341001");
        var primary = b.Condition("primary", Snomed, "254837009");
        var mastectomy = b.Surgery("mastectomy", primary, "2019-07-01", code: "69031006");

        var (input, issues) = Run(b);

        Assert.Empty(input!.Facts.Surgeries);
        Ignored(issues, b.Expr(mastectomy));
    }

    [Fact]
    public void Procedure_whose_reasonReference_points_to_nothing_is_an_error_at_reasonReference()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("femur", "71341001");
        var nail = b.Surgery("nail", null, "2026-02-26");
        nail.ReasonReference.Add(new ResourceReference("Condition/not-sent"));

        ErrorAt(b, b.Expr(nail, "reasonReference"));
    }

    [Fact]
    public void Surgery_without_a_date_is_reported_as_missing_performed()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var nail = b.Surgery("nail", femur, null);

        var (input, issues) = Run(b);

        Assert.Empty(input!.Facts.Surgeries);
        Assert.Single(issues, i => i.Code == "missing-item" && i.Expressions.SequenceEqual([b.Expr(nail, "performed")]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Skin_healed_focused_on_the_procedure_is_read(bool healed)
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var nail = b.Surgery("nail", femur, "2026-02-26");
        var skin = b.Item("skin", "skin-healed", new FhirBoolean(healed), nail);

        Present(Assert.Single(Facts(b).Surgeries).SkinHealed, healed, b.Key(skin));
    }

    [Fact]
    public void Skin_healed_focused_on_the_lesion_is_read()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        b.Surgery("nail", femur, "2026-02-26");
        var skin = b.Item("skin", "skin-healed", new FhirBoolean(true), femur);

        Present(Assert.Single(Facts(b).Surgeries).SkinHealed, true, b.Key(skin));
    }

    [Fact]
    public void Skin_healed_focused_on_the_compression_operated_on_is_read()
    {
        var b = PatientBundle.WithPatient();
        var t4 = b.Lesion("t4", "73071006");
        var mscc = b.Mscc("mscc", "2026-02-24", lesion: t4);
        b.Surgery("laminectomy", mscc, "2026-02-27", code: "387731002");
        var skin = b.Item("skin", "skin-healed", new FhirBoolean(true), mscc);

        var (input, issues) = Run(b);

        Present(Assert.Single(input!.Facts.Surgeries).SkinHealed, true, b.Key(skin));
        NotIgnored(issues, b.Expr(skin));
    }

    [Fact]
    public void Skin_healed_without_focus_is_read()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        b.Surgery("nail", femur, "2026-02-26");
        var skin = b.Item("skin", "skin-healed", new FhirBoolean(true));

        Present(Assert.Single(Facts(b).Surgeries).SkinHealed, true, b.Key(skin));
    }

    [Fact]
    public void Skin_healed_of_another_surgery_is_not_read()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var humerus = b.Lesion("humerus", "85050009");
        var nailFemur = b.Surgery("nail-femur", femur, "2026-02-26");
        var nailHumerus = b.Surgery("nail-humerus", humerus, "2026-02-27");
        b.Item("skin", "skin-healed", new FhirBoolean(false), nailHumerus);

        var facts = Facts(b);

        Missing(Assert.Single(facts.Surgeries, s => s.Id == b.Key(nailFemur)).SkinHealed);
        Present(Assert.Single(facts.Surgeries, s => s.Id == b.Key(nailHumerus)).SkinHealed, false);
    }

    [Fact]
    public void Skin_healed_without_surgery_is_reported_as_ignored()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("femur", "71341001");
        var skin = b.Item("skin", "skin-healed", new FhirBoolean(true));

        Ignored(Run(b).Issues, b.Expr(skin));
    }
}
