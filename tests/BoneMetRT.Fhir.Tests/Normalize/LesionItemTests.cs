using BoneMetRT.Domain.Facts;
using BoneMetRT.Fhir.Tests.Builders;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Tests.Builders.Normalized;
using static BoneMetRT.Fhir.Tests.Builders.PatientBundle;

namespace BoneMetRT.Fhir.Tests.Normalize;

/// <summary>
/// Contract §2, lesion-level items (Mirels, lysis, well-defined, epidural extension): an Observation whose focus is the
/// lesion Condition, or without focus when the patient has exactly one lesion.
/// </summary>
public sealed class LesionItemTests
{
    [Fact]
    public void Item_with_focus_goes_to_the_lesion_it_names()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var humerus = b.Lesion("humerus", "85050009");
        var onFemur = b.Item("type-femur", "lesion-type", Answer("lytic"), femur);
        var onHumerus = b.Item("type-humerus", "lesion-type", Answer("blastic"), humerus);

        var facts = Facts(b);

        Present(Lesion(facts, b.Key(femur)).Type, LesionType.Lytic, b.Key(onFemur));
        Present(Lesion(facts, b.Key(humerus)).Type, LesionType.Blastic, b.Key(onHumerus));
    }

    [Fact]
    public void Item_without_focus_goes_to_the_only_lesion()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var type = b.Item("type", "lesion-type", Answer("mixed"));

        Present(Lesion(Facts(b), b.Key(femur)).Type, LesionType.Mixed, b.Key(type));
    }

    [Fact]
    public void Item_without_focus_and_two_lesions_is_an_error_at_its_focus()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("femur", "71341001");
        b.Lesion("humerus", "85050009");
        var type = b.Item("type", "lesion-type", Answer("mixed"));

        ErrorAt(b, b.Expr(type, "focus"));
    }

    [Fact]
    public void Item_without_focus_and_no_lesion_is_an_error_at_its_focus()
    {
        var b = PatientBundle.WithPatient();
        var size = b.Item("size", "mirels-size", Answer("gt-two-thirds"));

        ErrorAt(b, b.Expr(size, "focus"));
    }

    [Fact]
    public void Item_whose_focus_is_not_a_bone_metastasis_is_an_error_at_its_focus()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("femur", "71341001");
        var primary = b.Condition("primary", "http://snomed.info/sct", "254837009");
        var pain = b.Item("pain", "mirels-pain", Answer("mild"), primary);

        ErrorAt(b, b.Expr(pain, "focus"));
    }

    [Theory]
    [InlineData("clinical", "resolved")]
    [InlineData("clinical", "inactive")]
    [InlineData("verification", "refuted")]
    [InlineData("verification", "entered-in-error")]
    public void Items_of_a_lesion_that_is_not_counted_are_ignored_and_reported_not_rejected(string element, string status)
    {
        var b = PatientBundle.WithPatient();
        var old = b.Lesion("old", "71341001");
        if (element == "clinical")
        {
            old.ClinicalStatus = new CodeableConcept(BoneMetRT.Fhir.CodeSystems.ConditionClinical, status);
        }
        else
        {
            old.VerificationStatus = new CodeableConcept(BoneMetRT.Fhir.CodeSystems.ConditionVerification, status);
        }

        var current = b.Lesion("current", "85050009");
        var oldSize = b.Item("old-size", "mirels-size", Answer("gt-two-thirds"), old);
        var size = b.Item("size", "mirels-size", Answer("lt-one-third"), current);

        var result = Run(b);

        Assert.NotNull(result.Value);
        Present(Lesion(result.Value.Facts, b.Key(current)).Size, MirelsSize.LessThanOneThird, b.Key(size));
        Ignored(result.Issues, b.Expr(old));
        Ignored(result.Issues, b.Expr(oldSize));
    }

    [Theory]
    [InlineData("upper-limb", MirelsSite.UpperLimb)]
    [InlineData("lower-limb", MirelsSite.LowerLimb)]
    [InlineData("peritrochanteric", MirelsSite.Peritrochanteric)]
    public void Explicit_mirels_site_is_read(string code, MirelsSite site)
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", null);
        var obs = b.Item("site", "mirels-site", Answer(code), lesion);

        Present(Lesion(Facts(b), b.Key(lesion)).Site, site, b.Key(obs));
    }

    [Theory]
    [InlineData("lt-one-third", MirelsSize.LessThanOneThird)]
    [InlineData("one-to-two-thirds", MirelsSize.OneToTwoThirds)]
    [InlineData("gt-two-thirds", MirelsSize.MoreThanTwoThirds)]
    public void Mirels_size_as_a_code_is_read(string code, MirelsSize size)
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", "71341001");
        var obs = b.Item("size", "mirels-size", Answer(code), lesion);

        Present(Lesion(Facts(b), b.Key(lesion)).Size, size, b.Key(obs));
    }

    [Theory]
    [InlineData(0, MirelsSize.LessThanOneThird)]
    [InlineData(33, MirelsSize.LessThanOneThird)]
    [InlineData(34, MirelsSize.OneToTwoThirds)]
    [InlineData(50, MirelsSize.OneToTwoThirds)]
    [InlineData(66, MirelsSize.OneToTwoThirds)]
    [InlineData(67, MirelsSize.MoreThanTwoThirds)]
    [InlineData(100, MirelsSize.MoreThanTwoThirds)]
    public void Mirels_size_as_a_percentage_of_the_cortex_is_read(int percent, MirelsSize size)
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", "71341001");
        var obs = b.Item("size", "mirels-size", Pct(percent), lesion);

        Present(Lesion(Facts(b), b.Key(lesion)).Size, size, b.Key(obs));
    }

    [Fact]
    public void Mirels_size_percentage_without_a_system_but_with_the_unit_is_read()
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", "71341001");
        b.Item("size", "mirels-size", new Quantity { Value = 70, Unit = "%" }, lesion);

        Present(Lesion(Facts(b), b.Key(lesion)).Size, MirelsSize.MoreThanTwoThirds);
    }

    [Theory]
    [InlineData(50, "mm")]
    [InlineData(120, "%")]
    [InlineData(-5, "%")]
    public void Mirels_size_in_another_unit_or_out_of_range_is_an_error_at_its_value(int value, string unit)
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", "71341001");
        var obs = b.Item("size", "mirels-size", Qty(value, unit), lesion);

        ErrorAt(b, b.Expr(obs, "value"));
    }

    [Theory]
    [InlineData("blastic", LesionType.Blastic)]
    [InlineData("mixed", LesionType.Mixed)]
    [InlineData("lytic", LesionType.Lytic)]
    public void Lesion_type_is_read(string code, LesionType type)
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", "71341001");
        var obs = b.Item("type", "lesion-type", Answer(code), lesion);

        Present(Lesion(Facts(b), b.Key(lesion)).Type, type, b.Key(obs));
    }

    [Theory]
    [InlineData("mild", MirelsPain.Mild)]
    [InlineData("moderate", MirelsPain.Moderate)]
    [InlineData("functional", MirelsPain.Functional)]
    public void Mirels_pain_is_read(string code, MirelsPain pain)
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", "71341001");
        var obs = b.Item("pain", "mirels-pain", Answer(code), lesion);

        Present(Lesion(Facts(b), b.Key(lesion)).Pain, pain, b.Key(obs));
    }

    [Fact]
    public void Coded_answer_that_is_not_in_the_value_set_is_an_error_at_its_value()
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", "71341001");
        var obs = b.Item("pain", "mirels-pain", Answer("severe"), lesion);

        ErrorAt(b, b.Expr(obs, "value"));
    }

    [Fact]
    public void Coded_answer_in_another_system_is_an_error_at_its_value()
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", "71341001");
        var obs = b.Item("type", "lesion-type", new CodeableConcept("http://snomed.info/sct", "lytic"), lesion);

        ErrorAt(b, b.Expr(obs, "value"));
    }

    [Theory]
    [InlineData(40, "%", 40, LysisUnit.Percent)]
    [InlineData(35, "mm", 35, LysisUnit.Millimetre)]
    [InlineData(3.5, "cm", 35, LysisUnit.Millimetre)]
    public void Axial_cortical_lysis_is_read_in_percent_or_mm_and_cm_is_converted(double value, string unit, double expected, LysisUnit expectedUnit)
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", "71341001");
        var obs = b.Item("axial", "cortical-lysis-axial", Qty((decimal)value, unit), lesion);

        Present(Lesion(Facts(b), b.Key(lesion)).CorticalLysisAxial, new LysisMeasure((decimal)expected, expectedUnit), b.Key(obs));
    }

    [Fact]
    public void Axial_cortical_lysis_in_another_unit_is_an_error_at_its_value()
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", "71341001");
        var obs = b.Item("axial", "cortical-lysis-axial", Qty(2, "[in_i]"), lesion);

        ErrorAt(b, b.Expr(obs, "value"));
    }

    [Fact]
    public void Circumferential_cortical_lysis_is_read_in_percent()
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", "71341001");
        var obs = b.Item("circ", "cortical-lysis-circumferential", Pct(60), lesion);

        Present(Lesion(Facts(b), b.Key(lesion)).CorticalLysisCircumferential, 60m, b.Key(obs));
    }

    [Fact]
    public void Circumferential_cortical_lysis_in_mm_is_an_error_at_its_value()
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", "71341001");
        var obs = b.Item("circ", "cortical-lysis-circumferential", Qty(60, "mm"), lesion);

        ErrorAt(b, b.Expr(obs, "value"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Lesion_well_defined_is_read(bool value)
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", "66794005");
        var obs = b.Item("wd", "lesion-well-defined", new FhirBoolean(value), lesion);

        Present(Lesion(Facts(b), b.Key(lesion)).WellDefined, value, b.Key(obs));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Epidural_extension_is_read(bool value)
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", "7610001");
        var obs = b.Item("epi", "epidural-extension", new FhirBoolean(value), lesion);

        Present(Lesion(Facts(b), b.Key(lesion)).EpiduralExtension, value, b.Key(obs));
    }

    [Fact]
    public void Epidural_extension_without_focus_goes_to_the_only_lesion()
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", "7610001");
        var obs = b.Item("epi", "epidural-extension", new FhirBoolean(true));

        Present(Lesion(Facts(b), b.Key(lesion)).EpiduralExtension, true, b.Key(obs));
    }

    [Fact]
    public void Boolean_item_with_a_coded_value_is_an_error_at_its_value()
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", "7610001");
        var obs = b.Item("epi", "epidural-extension", new CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0136", "Y"), lesion);

        ErrorAt(b, b.Expr(obs, "value"));
    }

    [Fact]
    public void Lesion_level_items_of_one_lesion_do_not_leak_to_another()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var humerus = b.Lesion("humerus", "85050009");
        b.Item("size", "mirels-size", Pct(50), femur);

        var facts = Facts(b);

        Present(Lesion(facts, b.Key(femur)).Size, MirelsSize.OneToTwoThirds);
        Missing(Lesion(facts, b.Key(humerus)).Size);
    }
}
