using BoneMetRT.Domain.Facts;
using BoneMetRT.Fhir.Tests.Builders;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;
using static BoneMetRT.Fhir.Tests.Builders.Normalized;
using static BoneMetRT.Fhir.Tests.Builders.PatientBundle;

namespace BoneMetRT.Fhir.Tests.Normalize;

/// <summary>Contract §2, rows "MSCC", "motor function before RT" and "time developing motor deficit".</summary>
public sealed class MsccTests
{
    [Theory]
    [InlineData(Snomed, "71286001")]
    [InlineData(Icd10, "G95.2")]
    [InlineData(Icd10Cm, "G95.20")]
    public void Spinal_cord_compression_Condition_is_the_MSCC(string system, string code)
    {
        var b = PatientBundle.WithPatient();
        var mscc = b.Mscc("mscc", "2026-03-09", bodySite: "7610001", siteText: "T10", system: system, code: code);

        var (input, issues) = Run(b);

        Assert.NotNull(input!.Facts.Mscc);
        Assert.Equal(b.Key(mscc), input.Facts.Mscc!.Id);
        Assert.Equal("T10", input.Facts.Mscc.Label);
        NotIgnored(issues, b.Expr(mscc));
    }

    [Fact]
    public void No_compression_Condition_means_no_MSCC()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("t10", "7610001");

        Assert.Null(Facts(b).Mscc);
    }

    [Fact]
    public void MSCC_is_linked_to_the_lesion_named_by_evidence_detail()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("t8", "11068009");
        var t10 = b.Lesion("t10", "7610001");
        b.Mscc("mscc", "2026-03-09", lesion: t10);

        Assert.Equal(b.Key(t10), Facts(b).Mscc!.LesionId);
    }

    [Fact]
    public void Without_evidence_MSCC_is_linked_to_the_single_vertebral_lesion()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("femur", "71341001");
        b.Lesion("rib", "113197003");
        var t10 = b.Lesion("t10", "7610001");
        b.Mscc("mscc", "2026-03-09");

        Assert.Equal(b.Key(t10), Facts(b).Mscc!.LesionId);
    }

    [Fact]
    public void Without_evidence_MSCC_is_linked_to_the_vertebral_lesion_at_the_same_body_site()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("t8", "11068009");
        var t10 = b.Lesion("t10", "7610001");
        b.Mscc("mscc", "2026-03-09", bodySite: "7610001");

        Assert.Equal(b.Key(t10), Facts(b).Mscc!.LesionId);
    }

    [Fact]
    public void Without_evidence_and_several_vertebral_lesions_the_MSCC_lesion_is_not_guessed()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("t8", "11068009");
        b.Lesion("t10", "7610001");
        b.Mscc("mscc", "2026-03-09");

        Assert.Null(Facts(b).Mscc!.LesionId);
    }

    [Fact]
    public void Evidence_detail_to_nothing_is_an_error_at_evidence_detail()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("t10", "7610001");
        var mscc = b.Mscc("mscc", "2026-03-09");
        mscc.Evidence.Add(new Condition.EvidenceComponent { Detail = [new ResourceReference("Condition/not-sent")] });

        ErrorAt(b, b.Expr(mscc, "evidence.detail"));
    }

    [Fact]
    public void Of_two_compressions_the_most_recent_is_scored_with_a_warning()
    {
        var b = PatientBundle.WithPatient();
        var old = b.Mscc("old", "2025-01-10");
        var recent = b.Mscc("recent", "2026-03-09");

        var (input, issues) = Run(b);

        Assert.Equal(b.Key(recent), input!.Facts.Mscc!.Id);
        Assert.Single(issues, i => i.Severity == OperationOutcome.IssueSeverity.Warning
            && i.Expressions.Contains(b.Expr(old)) && i.Expressions.Contains(b.Expr(recent)));
    }

    [Theory]
    [InlineData("ambulatory-without-aid", AmbulatoryStatus.AmbulatoryWithoutAid)]
    [InlineData("ambulatory-with-aid", AmbulatoryStatus.AmbulatoryWithAid)]
    [InlineData("non-ambulatory", AmbulatoryStatus.NonAmbulatory)]
    [InlineData("paraplegic", AmbulatoryStatus.Paraplegic)]
    public void Ambulatory_status_is_read(string code, AmbulatoryStatus status)
    {
        var b = PatientBundle.WithPatient();
        b.Mscc("mscc", "2026-03-09");
        var obs = b.Item("amb", "ambulatory-status", Answer(code));

        Present(Facts(b).Mscc!.Ambulatory, status, b.Key(obs));
    }

    [Fact]
    public void Ambulatory_status_focused_on_the_compression_is_read()
    {
        var b = PatientBundle.WithPatient();
        var mscc = b.Mscc("mscc", "2026-03-09");
        var obs = b.Item("amb", "ambulatory-status", Answer("paraplegic"), mscc);

        var (input, issues) = Run(b);

        Present(input!.Facts.Mscc!.Ambulatory, AmbulatoryStatus.Paraplegic, b.Key(obs));
        NotIgnored(issues, b.Expr(obs));
    }

    [Theory]
    [InlineData(21, "d", 21)]
    [InlineData(48, "h", 2)]
    [InlineData(2, "wk", 14)]
    public void Motor_deficit_duration_is_read_in_days(int value, string unit, int days)
    {
        var b = PatientBundle.WithPatient();
        b.Mscc("mscc", "2026-03-09");
        var obs = b.Item("motor", "motor-deficit-duration", Qty(value, unit));

        Present(Facts(b).Mscc!.MotorDeficitDays, (decimal)days, b.Key(obs));
    }

    [Theory]
    [InlineData(1, "mo")]
    [InlineData(-3, "d")]
    public void Motor_deficit_duration_in_another_unit_or_negative_is_an_error_at_its_value(int value, string unit)
    {
        var b = PatientBundle.WithPatient();
        b.Mscc("mscc", "2026-03-09");
        var obs = b.Item("motor", "motor-deficit-duration", Qty(value, unit));

        ErrorAt(b, b.Expr(obs, "value"));
    }

    [Fact]
    public void Motor_deficit_duration_as_an_integer_is_an_error_at_its_value()
    {
        var b = PatientBundle.WithPatient();
        b.Mscc("mscc", "2026-03-09");
        var obs = b.Item("motor", "motor-deficit-duration", new Integer(12));

        ErrorAt(b, b.Expr(obs, "value"));
    }

    [Fact]
    public void Motor_items_without_a_compression_are_reported_as_ignored()
    {
        var b = PatientBundle.WithPatient();
        var amb = b.Item("amb", "ambulatory-status", Answer("paraplegic"));

        var (input, issues) = Run(b);

        Assert.Null(input!.Facts.Mscc);
        Ignored(issues, b.Expr(amb));
    }
}
