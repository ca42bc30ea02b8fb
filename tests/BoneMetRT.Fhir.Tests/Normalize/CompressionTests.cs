using BoneMetRT.Domain.Facts;
using BoneMetRT.Fhir.Tests.Builders;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Tests.Builders.Normalized;
using static BoneMetRT.Fhir.Tests.Builders.PatientBundle;

namespace BoneMetRT.Fhir.Tests.Normalize;

/// <summary>
/// Contract §2, rows "MSCC", "motor function before RT" and "time developing motor deficit"; guideline §1.3 and §3:
/// every compressing level is its own urgent situation with its own Rades score and target, so every compression
/// Condition is one <see cref="MsccFacts"/>, at its level, matched to its own lesion only.
/// </summary>
public sealed class CompressionTests
{
    [Theory]
    [InlineData(CodeSystems.Snomed, "71286001")]
    [InlineData(CodeSystems.Icd10, "G95.2")]
    [InlineData(CodeSystems.Icd10Cm, "G95.20")]
    public void Spinal_cord_compression_Condition_is_a_compression_at_its_level(string system, string code)
    {
        var b = PatientBundle.WithPatient();
        var mscc = b.Mscc("mscc", "2026-03-09", bodySite: "7610001", siteText: "T10", system: system, code: code);

        var result = Run(b);

        var c = Assert.Single(result.Value!.Facts.Compressions);
        Assert.Equal(b.Key(mscc), c.Id);
        Assert.Equal("T10", c.Label);
        Assert.Equal("T10", c.Level);
        NotIgnored(result.Issues, b.Expr(mscc));
    }

    [Fact]
    public void No_compression_Condition_means_no_compression()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("t10", "7610001");

        Assert.Empty(Facts(b).Compressions);
    }

    [Fact]
    public void Two_compressions_at_two_levels_are_two_compressions_each_with_its_own_lesion_and_no_warning()
    {
        // The issue's first case: T4 and L2 both compress the cord; each is an urgent course of its own (guideline §1.3).
        var b = PatientBundle.WithPatient();
        var t4 = b.Lesion("t4", "73071006", "T4 vertebra");
        var l2 = b.Lesion("l2", "14293000", "L2 vertebra");
        var femur = b.Lesion("femur", "71341001", "left femur");
        var old = b.Mscc("mscc-t4", "2025-11-02", bodySite: "73071006", siteText: "T4");
        var recent = b.Mscc("mscc-l2", "2026-03-09", bodySite: "14293000", siteText: "L2");

        var result = Run(b);

        var facts = result.Value!.Facts;
        Assert.Equal(2, facts.Compressions.Count);
        var a = Compression(facts, b.Key(old));
        var c = Compression(facts, b.Key(recent));
        Assert.Equal(("T4", b.Key(t4)), (a.Level, a.LesionId));
        Assert.Equal(("L2", b.Key(l2)), (c.Level, c.LesionId));
        Present(a.Onset, PartialDate.Day(new DateOnly(2025, 11, 2)), b.Key(old));
        Assert.DoesNotContain(result.Issues, i => i.Severity == OperationOutcome.IssueSeverity.Warning);
        Assert.Null(Lesion(facts, b.Key(femur)).Level);
    }

    [Fact]
    public void Compression_is_linked_to_the_lesion_named_by_evidence_detail_even_at_another_written_level()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("t8", "11068009");
        var t10 = b.Lesion("t10", "7610001");
        b.Mscc("mscc", "2026-03-09", lesion: t10);

        Assert.Equal(b.Key(t10), Assert.Single(Facts(b).Compressions).LesionId);
    }

    [Fact]
    public void Compression_and_the_only_vertebral_lesion_at_another_level_are_not_matched()
    {
        // The issue's second case: a compression at T4 and a metastasis at L1, not linked: the urgent course must not be
        // aimed at L1. The compression is a site of its own at T4.
        var b = PatientBundle.WithPatient();
        b.Lesion("femur", "71341001");
        var l1 = b.Lesion("l1", "66794005", "L1 vertebra");
        b.Mscc("mscc", "2026-03-09", bodySite: "73071006", siteText: "T4");

        var facts = Facts(b);

        var c = Assert.Single(facts.Compressions);
        Assert.Null(c.LesionId);
        Assert.Equal("T4", c.Level);
        Assert.Equal("L1", Lesion(facts, b.Key(l1)).Level);
    }

    [Fact]
    public void Compression_without_a_level_is_not_matched_to_the_only_vertebral_lesion()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("t10", "7610001");
        b.Mscc("mscc", "2026-03-09");

        var c = Assert.Single(Facts(b).Compressions);
        Assert.Null(c.LesionId);
        Assert.Null(c.Level);
    }

    [Fact]
    public void Without_evidence_a_compression_is_linked_to_the_lesion_at_the_same_level_coded_or_written()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("t8", "11068009");
        var t10 = b.Lesion("t10", "7610001");                              // level from the SNOMED code
        var l3 = b.Lesion("l3", "421060004", "Vertebral column, L3 body"); // level from the text
        var atT10 = b.Mscc("mscc-t10", "2026-03-09", bodySite: "421060004", siteText: "T10"); // written T10, generic code
        var atL3 = b.Mscc("mscc-l3", "2026-03-09", bodySite: "36470004");                    // L3 vertebra code

        var facts = Facts(b);

        Assert.Equal(b.Key(t10), Compression(facts, b.Key(atT10)).LesionId);
        Assert.Equal(b.Key(l3), Compression(facts, b.Key(atL3)).LesionId);
    }

    [Fact]
    public void Two_lesions_at_the_same_level_leave_the_compression_unmatched()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("t10-body", "7610001", "T10 body");
        b.Lesion("t10-pedicle", "7610001", "T10 left pedicle");
        b.Mscc("mscc", "2026-03-09", bodySite: "7610001");

        Assert.Null(Assert.Single(Facts(b).Compressions).LesionId);
    }

    [Fact]
    public void Sacral_compression_is_at_its_written_sacral_level_and_matches_the_sacral_lesion()
    {
        var b = PatientBundle.WithPatient();
        var sacrum = b.Lesion("sacrum", "54735007", "Sacrum, S1-S2");
        var mscc = b.Mscc("mscc", "2026-03-09", bodySite: "54735007", siteText: "S1");

        var facts = Facts(b);

        Assert.Equal(BoneKind.Vertebra, Lesion(facts, b.Key(sacrum)).Kind);
        Assert.Equal("S1", Lesion(facts, b.Key(sacrum)).Level);
        Assert.Equal(b.Key(sacrum), Compression(facts, b.Key(mscc)).LesionId);
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

    [Theory]
    [InlineData("provisional")]
    [InlineData("differential")]
    [InlineData("unconfirmed")]
    public void Suspected_compression_is_not_counted_and_is_reported(string verification)
    {
        var b = PatientBundle.WithPatient();
        var mscc = b.Mscc("mscc", "2026-03-09", bodySite: "7610001");
        mscc.VerificationStatus = new CodeableConcept(CodeSystems.ConditionVerification, verification);
        var amb = b.Item("amb", "ambulatory-status", Answer("paraplegic"), mscc);

        var result = Run(b);

        Assert.Empty(result.Value!.Facts.Compressions);
        Assert.Contains(verification, Ignored(result.Issues, b.Expr(mscc)).Text.En, StringComparison.Ordinal);
        Ignored(result.Issues, b.Expr(amb));
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

        Present(Assert.Single(Facts(b).Compressions).Ambulatory, status, b.Key(obs));
    }

    [Fact]
    public void Motor_items_focused_on_a_compression_are_that_compression_s_and_unfocused_ones_hold_for_every_compression()
    {
        var b = PatientBundle.WithPatient();
        var t4 = b.Mscc("t4", "2026-03-01", bodySite: "73071006");
        var l2 = b.Mscc("l2", "2026-03-09", bodySite: "14293000");
        var ambT4 = b.Item("amb-t4", "ambulatory-status", Answer("paraplegic"), t4, "2026-03-10");
        var ambAll = b.Item("amb", "ambulatory-status", Answer("ambulatory-with-aid"), effective: "2026-03-02");
        var deficit = b.Item("deficit", "motor-deficit-duration", Qty(5, "d"), effective: "2026-03-10");

        var result = Run(b);

        var facts = result.Value!.Facts;
        Present(Compression(facts, b.Key(t4)).Ambulatory, AmbulatoryStatus.Paraplegic, b.Key(ambT4));
        Present(Compression(facts, b.Key(l2)).Ambulatory, AmbulatoryStatus.AmbulatoryWithAid, b.Key(ambAll));
        Present(Compression(facts, b.Key(t4)).MotorDeficitDays, 5m, b.Key(deficit));
        Present(Compression(facts, b.Key(l2)).MotorDeficitDays, 5m, b.Key(deficit));
        NotIgnored(result.Issues, b.Expr(ambT4));
        NotIgnored(result.Issues, b.Expr(ambAll));
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

        Present(Assert.Single(Facts(b).Compressions).MotorDeficitDays, (decimal)days, b.Key(obs));
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

        var result = Run(b);

        Assert.Empty(result.Value!.Facts.Compressions);
        Ignored(result.Issues, b.Expr(amb));
    }
}
