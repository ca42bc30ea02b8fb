using BoneMetRT.Domain.Facts;
using BoneMetRT.Fhir.Tests.Builders;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Tests.Builders.Normalized;
using static BoneMetRT.Fhir.Tests.Builders.PatientBundle;

namespace BoneMetRT.Fhir.Tests.Normalize;

/// <summary>
/// Contract §2, rows "surgery on the lesion" and "skin healed after surgery"; guideline §1.4 (adjuvant radiotherapy
/// after surgery on a metastasis, on healed skin) and §6 (a prior course makes a new one a re-irradiation): every
/// completed procedure is typed, dated as written, and tied to the lesion or compression it was for.
/// </summary>
public sealed class ProcedureTests
{
    [Fact]
    public void Completed_fixation_for_a_lesion_is_a_dated_fixation_on_it()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var nail = b.Surgery("nail", femur, "2026-02-26T14:00:00+01:00");

        var result = Run(b);

        var p = Procedure(result.Value!.Facts, b.Key(nail));
        Assert.Equal(ProcedureKind.Fixation, p.Kind);
        Assert.True(p.IsSurgery);
        Assert.Equal([b.Key(femur)], p.TargetIds);
        Present(p.PerformedOn, PartialDate.Day(new DateOnly(2026, 2, 26)), b.Key(nail));
        NotIgnored(result.Issues, b.Expr(nail));
    }

    [Theory]
    [InlineData("1217123003", ProcedureKind.Radiotherapy)] // Radiotherapy course of treatment
    [InlineData("108290001", ProcedureKind.Radiotherapy)]  // Radiation oncology AND/OR radiotherapy
    [InlineData("33195004", ProcedureKind.Radiotherapy)]   // Teleradiotherapy procedure
    [InlineData("118470002", ProcedureKind.Fixation)]      // Internal skeletal fixation
    [InlineData("257835007", ProcedureKind.Fixation)]      // Internal fixation using plate
    [InlineData("274478003", ProcedureKind.Fixation)]      // Nailing
    [InlineData("52734007", ProcedureKind.Fixation)]       // Total hip replacement
    [InlineData("387731002", ProcedureKind.Decompression)] // Laminectomy
    [InlineData("5765005", ProcedureKind.Decompression)]   // Decompression of spinal cord
    [InlineData("392010000", ProcedureKind.Cementoplasty)] // Percutaneous vertebroplasty
    [InlineData("429616001", ProcedureKind.Cementoplasty)] // Percutaneous kyphoplasty
    [InlineData("86273004", ProcedureKind.Biopsy)]         // Biopsy
    [InlineData("116014002", ProcedureKind.Biopsy)]        // Excisional biopsy of bone
    [InlineData("387713003", ProcedureKind.OtherSurgery)]  // Surgical procedure
    public void SNOMED_code_gives_the_kind(string code, ProcedureKind kind)
    {
        var b = PatientBundle.WithPatient();
        var t10 = b.Lesion("t10", "7610001");
        var p = b.Procedure("p", code, t10, "2026-02-01");

        Assert.Equal(kind, Procedure(Facts(b), b.Key(p)).Kind);
    }

    [Theory]
    [InlineData("Total en bloc spondylectomy T10", ProcedureKind.Resection)]
    [InlineData("Curettage and cementation", ProcedureKind.Resection)]
    [InlineData("Ostéosynthèse par clou centromédullaire", ProcedureKind.Fixation)]
    [InlineData("Radiothérapie palliative 8 Gy", ProcedureKind.Radiotherapy)]
    [InlineData("CT-guided biopsy", ProcedureKind.Biopsy)]
    public void Without_a_known_code_the_text_gives_the_kind(string text, ProcedureKind kind)
    {
        var b = PatientBundle.WithPatient();
        var t10 = b.Lesion("t10", "7610001");
        var p = b.Procedure("p", null, t10, "2026-02-01", text);

        var facts = Facts(b);

        Assert.Equal(kind, Procedure(facts, b.Key(p)).Kind);
        Assert.Equal(text, Procedure(facts, b.Key(p)).Label);
    }

    [Fact]
    public void Procedure_category_gives_the_kind_when_the_code_is_unknown()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var p = b.Procedure("p", "999999999", femur, "2026-02-01");
        p.Category = new CodeableConcept(BoneMetRT.Fhir.CodeSystems.Snomed, "387713003");

        Assert.Equal(ProcedureKind.OtherSurgery, Procedure(Facts(b), b.Key(p)).Kind);
    }

    [Fact]
    public void Unknown_code_is_never_read_as_surgery_and_is_reported()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var p = b.Procedure("p", "999999999", femur, "2026-02-01", "Physiotherapy session");

        var result = Run(b);

        Assert.Empty(result.Value!.Facts.Procedures);
        Assert.Contains("not read as surgery", Ignored(result.Issues, b.Expr(p)).Text.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Prior_radiotherapy_and_a_biopsy_are_typed_not_read_as_surgery_and_a_later_nail_is_a_fixation()
    {
        // The issue's cases: an earlier radiotherapy course at the site, a biopsy, then an intramedullary nail.
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001", "left femur");
        var rt = b.Procedure("rt", "1217123003", femur, "2025-06-02");
        var biopsy = b.Procedure("biopsy", "86273004", femur, "2026-02-20");
        var nail = b.Surgery("nail", femur, "2026-03-11");

        var facts = Facts(b);

        Assert.Equal(3, facts.Procedures.Count);
        Assert.Equal(ProcedureKind.Radiotherapy, Procedure(facts, b.Key(rt)).Kind);
        Assert.False(Procedure(facts, b.Key(rt)).IsSurgery);
        Assert.False(Procedure(facts, b.Key(biopsy)).IsSurgery);
        Assert.True(Procedure(facts, b.Key(nail)).IsSurgery);
        Assert.All(facts.Procedures, p => Assert.Equal([b.Key(femur)], p.TargetIds));
    }

    [Theory]
    [InlineData(3000, "cGy", 30)]
    [InlineData(8, "Gy", 8)]
    public void Radiotherapy_dose_and_fractions_are_read_from_the_dose_delivered_to_volume_extension(decimal value, string unit, decimal gy)
    {
        var b = PatientBundle.WithPatient();
        var t10 = b.Lesion("t10", "7610001");
        var rt = b.Procedure("rt", "1217123003", t10, "2025-06-02");
        rt.Extension.Add(new Extension
        {
            Url = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-radiotherapy-dose-delivered-to-volume",
            Extension =
            [
                new Extension("totalDoseDelivered", Qty(value, unit)),
                new Extension("fractionsDelivered", new UnsignedInt(10)),
            ],
        });

        var p = Procedure(Facts(b), b.Key(rt));

        Assert.Equal(gy, p.DoseGy);
        Assert.Equal(10, p.Fractions);
    }

    [Fact]
    public void Radiotherapy_without_the_dose_extension_has_no_dose()
    {
        var b = PatientBundle.WithPatient();
        var t10 = b.Lesion("t10", "7610001");
        var rt = b.Procedure("rt", "33195004", t10, "2025-06-02");

        var p = Procedure(Facts(b), b.Key(rt));

        Assert.Null(p.DoseGy);
        Assert.Null(p.Fractions);
    }

    [Fact]
    public void Performed_period_gives_its_start_and_a_partial_date_stays_partial()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var humerus = b.Lesion("humerus", "85050009");
        var nail = b.Surgery("nail", femur, null);
        nail.Performed = new Period(new FhirDateTime("2026-02-26T08:00:00Z"), new FhirDateTime("2026-02-26T11:00:00Z"));
        var plate = b.Surgery("plate", humerus, "2026-02");

        var facts = Facts(b);

        Present(Procedure(facts, b.Key(nail)).PerformedOn, PartialDate.Day(new DateOnly(2026, 2, 26)));
        Present(Procedure(facts, b.Key(plate)).PerformedOn, PartialDate.Month(2026, 2));
    }

    [Fact]
    public void Undated_surgery_is_passed_on_with_its_date_missing_and_no_issue_of_its_own()
    {
        // The engine holds the post-operative window and says so; Normalize must not report it a second time.
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var nail = b.Surgery("nail", femur, null);

        var result = Run(b);

        Missing(Procedure(result.Value!.Facts, b.Key(nail)).PerformedOn);
        Assert.DoesNotContain(result.Issues, i => i.Expressions.Any(e => e.StartsWith(b.Expr(nail), StringComparison.Ordinal)));
    }

    [Fact]
    public void Procedure_for_a_compression_targets_the_compression()
    {
        var b = PatientBundle.WithPatient();
        var t4 = b.Lesion("t4", "73071006");
        var mscc = b.Mscc("mscc", "2026-02-24", lesion: t4);
        var lam = b.Procedure("laminectomy", "387731002", mscc, "2026-02-27");

        Assert.Equal([b.Key(mscc)], Procedure(Facts(b), b.Key(lam)).TargetIds);
    }

    [Fact]
    public void Without_reasonReference_the_procedure_targets_the_lesion_with_the_same_bodySite_code_and_level()
    {
        var b = PatientBundle.WithPatient();
        var t4 = b.Lesion("t4", "421060004", "T4");
        b.Lesion("l1", "421060004", "L1");
        b.Lesion("femur", "71341001");
        var kypho = b.Procedure("kypho", "429616001", null, "2026-02-27", bodySite: "421060004", siteText: "T4");

        Assert.Equal([b.Key(t4)], Procedure(Facts(b), b.Key(kypho)).TargetIds);
    }

    [Fact]
    public void BodySite_matching_two_lesions_is_not_guessed()
    {
        // Left and right femur coded alike: which one was nailed is not said. A fixation code says it was on a bone, so
        // the procedure is passed on without a target (the engine treats it as an operated site of its own).
        var b = PatientBundle.WithPatient();
        b.Lesion("left", "71341001", "left femur");
        b.Lesion("right", "71341001", "right femur");
        var nail = b.Procedure("nail", "274478003", null, "2026-02-27", bodySite: "71341001");

        Assert.Empty(Procedure(Facts(b), b.Key(nail)).TargetIds);
    }

    [Fact]
    public void Unlinked_biopsy_or_generic_surgery_is_ignored_and_reported()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("femur", "71341001");
        var biopsy = b.Procedure("biopsy", "86273004", null, "2026-02-27");
        var surgery = b.Procedure("surgery", "387713003", null, "2026-02-27");

        var result = Run(b);

        Assert.Empty(result.Value!.Facts.Procedures);
        Ignored(result.Issues, b.Expr(biopsy));
        Ignored(result.Issues, b.Expr(surgery));
    }

    [Theory]
    [InlineData(EventStatus.InProgress)]
    [InlineData(EventStatus.NotDone)]
    [InlineData(EventStatus.Stopped)]
    [InlineData(EventStatus.EnteredInError)]
    public void Procedure_not_completed_is_ignored_and_reported(EventStatus status)
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var nail = b.Surgery("nail", femur, "2026-02-26", status);

        var result = Run(b);

        Assert.Empty(result.Value!.Facts.Procedures);
        Ignored(result.Issues, b.Expr(nail));
    }

    [Fact]
    public void Procedure_whose_reason_is_not_a_counted_lesion_nor_a_compression_is_ignored_and_reported()
    {
        var b = PatientBundle.WithPatient();
        var primary = b.Condition("primary", BoneMetRT.Fhir.CodeSystems.Snomed, "254837009");
        var provisional = b.Lesion("femur", "71341001");
        provisional.VerificationStatus = new CodeableConcept(BoneMetRT.Fhir.CodeSystems.ConditionVerification, "provisional");
        var mastectomy = b.Surgery("mastectomy", primary, "2019-07-01", code: "387713003");
        var nail = b.Surgery("nail", provisional, "2026-02-26");

        var result = Run(b);

        Assert.Empty(result.Value!.Facts.Procedures);
        Ignored(result.Issues, b.Expr(mastectomy));
        Ignored(result.Issues, b.Expr(nail));
    }

    [Fact]
    public void Procedure_whose_reasonReference_points_to_nothing_is_an_error_at_reasonReference()
    {
        var b = PatientBundle.WithPatient();
        var nail = b.Surgery("nail", null, "2026-02-26");
        nail.ReasonReference.Add(new ResourceReference("Condition/not-sent"));

        ErrorAt(b, b.Expr(nail, "reasonReference"));
    }

    // ---- skin-healed ----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Skin_healed_focused_on_the_procedure_is_read(bool healed)
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var nail = b.Surgery("nail", femur, "2026-02-26");
        var skin = b.Item("skin", "skin-healed", new FhirBoolean(healed), nail, "2026-03-12");

        Present(Procedure(Facts(b), b.Key(nail)).SkinHealed, healed, b.Key(skin));
    }

    [Fact]
    public void Skin_healed_focused_on_the_lesion_or_the_compression_operated_on_or_without_focus_is_read()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var t4 = b.Lesion("t4", "73071006");
        var mscc = b.Mscc("mscc", "2026-02-24", lesion: t4);
        var nail = b.Surgery("nail", femur, "2026-02-26");
        var lam = b.Procedure("lam", "387731002", mscc, "2026-02-27");
        var onFemur = b.Item("skin-femur", "skin-healed", new FhirBoolean(true), femur, "2026-03-12");
        var onMscc = b.Item("skin-mscc", "skin-healed", new FhirBoolean(false), mscc, "2026-03-12");
        var patient = b.Item("skin", "skin-healed", new FhirBoolean(true), effective: "2026-03-01");

        var result = Run(b);

        // The patient-level value is older than the focused ones: the most recent wins (guideline §8).
        Present(Procedure(result.Value!.Facts, b.Key(nail)).SkinHealed, true, b.Key(onFemur));
        Present(Procedure(result.Value.Facts, b.Key(lam)).SkinHealed, false, b.Key(onMscc));
        NotIgnored(result.Issues, b.Expr(onMscc));
        NotIgnored(result.Issues, b.Expr(patient));
    }

    [Fact]
    public void Skin_healed_documented_before_the_operation_is_ignored_with_an_issue_saying_so()
    {
        // The issue's case: "skin healed" recorded before the operation must not release the post-operative hold.
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var nail = b.Surgery("nail", femur, "2026-02-26");
        var before = b.Item("before", "skin-healed", new FhirBoolean(true), femur, "2026-02-20");

        var result = Run(b);

        Missing(Procedure(result.Value!.Facts, b.Key(nail)).SkinHealed);
        Assert.Contains("before the operation", Ignored(result.Issues, b.Expr(before)).Text.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Skin_healed_before_a_second_operation_counts_for_the_first_only()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var first = b.Surgery("first", femur, "2026-01-10", code: "387713003");
        var nail = b.Surgery("nail", femur, "2026-03-01");
        var skin = b.Item("skin", "skin-healed", new FhirBoolean(true), femur, "2026-02-01");

        var result = Run(b);

        Present(Procedure(result.Value!.Facts, b.Key(first)).SkinHealed, true, b.Key(skin));
        Missing(Procedure(result.Value.Facts, b.Key(nail)).SkinHealed);
        NotIgnored(result.Issues, b.Expr(skin));
    }

    [Fact]
    public void Undated_skin_healed_or_skin_healed_of_an_undated_operation_is_ignored()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var humerus = b.Lesion("humerus", "85050009");
        var nail = b.Surgery("nail", femur, "2026-02-26");
        var plate = b.Surgery("plate", humerus, null);
        var undated = b.Item("undated", "skin-healed", new FhirBoolean(true), nail);
        var ofUndated = b.Item("of-undated", "skin-healed", new FhirBoolean(true), plate, "2026-03-10");

        var result = Run(b);

        Missing(Procedure(result.Value!.Facts, b.Key(nail)).SkinHealed);
        Missing(Procedure(result.Value.Facts, b.Key(plate)).SkinHealed);
        Ignored(result.Issues, b.Expr(undated));
        Ignored(result.Issues, b.Expr(ofUndated));
    }

    [Fact]
    public void Skin_healed_of_another_surgery_is_not_read()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var humerus = b.Lesion("humerus", "85050009");
        var nailFemur = b.Surgery("nail-femur", femur, "2026-02-26");
        var nailHumerus = b.Surgery("nail-humerus", humerus, "2026-02-27");
        b.Item("skin", "skin-healed", new FhirBoolean(false), nailHumerus, "2026-03-10");

        var facts = Facts(b);

        Missing(Procedure(facts, b.Key(nailFemur)).SkinHealed);
        Present(Procedure(facts, b.Key(nailHumerus)).SkinHealed, false);
    }

    [Fact]
    public void Skin_healed_without_surgery_is_reported_as_ignored()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("femur", "71341001");
        var skin = b.Item("skin", "skin-healed", new FhirBoolean(true), effective: "2026-03-10");

        Ignored(Run(b).Issues, b.Expr(skin));
    }
}
