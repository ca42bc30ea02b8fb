using BoneMetRT.Domain.Facts;
using BoneMetRT.Fhir.Tests.Builders;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;
using static BoneMetRT.Fhir.Tests.Builders.Normalized;
using static BoneMetRT.Fhir.Tests.Builders.PatientBundle;

namespace BoneMetRT.Fhir.Tests.Normalize;

/// <summary>Contract §2, row "a bone metastasis": a Condition SNOMED 94222008 with a SNOMED bodySite → LesionFacts.</summary>
public sealed class LesionConditionTests
{
    [Theory]
    [InlineData("85050009", BoneKind.LongBone, MirelsSite.UpperLimb)]        // humerus
    [InlineData("62413002", BoneKind.LongBone, MirelsSite.UpperLimb)]        // radius
    [InlineData("23416004", BoneKind.LongBone, MirelsSite.UpperLimb)]        // ulna
    [InlineData("71341001", BoneKind.LongBone, MirelsSite.LowerLimb)]        // femur
    [InlineData("41111004", BoneKind.LongBone, MirelsSite.LowerLimb)]        // shaft of femur
    [InlineData("12611008", BoneKind.LongBone, MirelsSite.LowerLimb)]        // tibia
    [InlineData("87342007", BoneKind.LongBone, MirelsSite.LowerLimb)]        // fibula
    [InlineData("30547004", BoneKind.LongBone, MirelsSite.Peritrochanteric)] // greater trochanter
    [InlineData("182047004", BoneKind.LongBone, MirelsSite.Peritrochanteric)] // trochanter of femur
    [InlineData("310651003", BoneKind.LongBone, MirelsSite.Peritrochanteric)] // proximal femur
    [InlineData("29627003", BoneKind.LongBone, MirelsSite.Peritrochanteric)] // neck of femur
    public void Long_bone_body_site_gives_the_kind_and_the_derived_Mirels_site(string bodySite, BoneKind kind, MirelsSite site)
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", bodySite);

        var l = Lesion(Facts(b), b.Key(lesion));

        Assert.Equal(kind, l.Kind);
        Present(l.Site, site, b.Key(lesion));
    }

    [Theory]
    [InlineData("7610001", BoneKind.Vertebra)]   // T10 vertebra
    [InlineData("51282000", BoneKind.Vertebra)]  // vertebra
    [InlineData("66794005", BoneKind.Vertebra)]  // L1 vertebra
    [InlineData("54735007", BoneKind.Vertebra)]  // sacrum: a vertebral level (S1–S5) for target volumes
    [InlineData("699698002", BoneKind.Vertebra)] // sacral vertebral column
    [InlineData("64688005", BoneKind.Other)]     // coccyx
    [InlineData("12921003", BoneKind.Other)]     // pelvis
    [InlineData("22356005", BoneKind.Other)]     // ilium
    [InlineData("113197003", BoneKind.Other)]    // rib
    [InlineData("10200004", BoneKind.Unknown)]   // liver structure: not a bone the engine knows
    [InlineData("999999999", BoneKind.Unknown)]  // unknown code
    public void Other_body_sites_give_the_kind_and_no_Mirels_site(string bodySite, BoneKind kind)
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", bodySite);

        var l = Lesion(Facts(b), b.Key(lesion));

        Assert.Equal(kind, l.Kind);
        Missing(l.Site);
    }

    [Fact]
    public void Lesion_without_body_site_is_of_unknown_kind()
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", null);

        var l = Lesion(Facts(b), b.Key(lesion));

        Assert.Equal(BoneKind.Unknown, l.Kind);
        Missing(l.Site);
    }

    [Fact]
    public void Body_site_in_another_system_is_not_read()
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", null);
        lesion.BodySite.Add(new CodeableConcept("http://example.org/local-sites", "85050009"));

        Assert.Equal(BoneKind.Unknown, Lesion(Facts(b), b.Key(lesion)).Kind);
    }

    [Fact]
    public void Lesion_coded_in_ICD10_C79_5_is_a_lesion()
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Condition("met", CodeSystems.Icd10, "C79.5");
        lesion.BodySite.Add(new CodeableConcept(CodeSystems.Snomed, "71341001"));

        var l = Lesion(Facts(b), b.Key(lesion));

        Assert.Equal(BoneKind.LongBone, l.Kind);
    }

    [Fact]
    public void Lesion_label_is_the_body_site_text_then_its_display_then_the_bone()
    {
        var b = PatientBundle.WithPatient();
        var withText = b.Lesion("a", "71341001", "left femoral diaphysis");
        var withDisplay = b.Lesion("b", "85050009");
        withDisplay.BodySite[0].Coding[0].Display = "Bone structure of humerus";
        var bare = b.Lesion("c", "12611008");

        var facts = Facts(b);

        Assert.Equal("left femoral diaphysis", Lesion(facts, b.Key(withText)).Label);
        Assert.Equal("Bone structure of humerus", Lesion(facts, b.Key(withDisplay)).Label);
        Assert.Equal("tibia", Lesion(facts, b.Key(bare)).Label);
    }

    [Fact]
    public void Each_lesion_Condition_is_one_lesion_and_is_used()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var t10 = b.Lesion("t10", "7610001");

        var result = Run(b);

        Assert.Equal([b.Key(femur), b.Key(t10)], result.Value!.Facts.Lesions.Select(l => l.Id));
        NotIgnored(result.Issues, b.Expr(femur));
        NotIgnored(result.Issues, b.Expr(t10));
    }

    [Theory]
    [InlineData("inactive")]
    [InlineData("resolved")]
    public void Lesion_that_is_no_longer_active_is_ignored_and_reported(string status)
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", "71341001");
        lesion.ClinicalStatus = new CodeableConcept(CodeSystems.ConditionClinical, status);

        var result = Run(b);

        Assert.Empty(result.Value!.Facts.Lesions);
        Ignored(result.Issues, b.Expr(lesion));
    }

    [Theory]
    [InlineData("entered-in-error")]
    [InlineData("refuted")]
    public void Lesion_with_an_invalidating_verification_status_is_ignored_and_reported(string status)
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", "71341001");
        lesion.VerificationStatus = new CodeableConcept(CodeSystems.ConditionVerification, status);

        var result = Run(b);

        Assert.Empty(result.Value!.Facts.Lesions);
        Ignored(result.Issues, b.Expr(lesion));
    }

    [Theory]
    [InlineData("7610001", null, "T10")]                       // T10 vertebra: the level is in the code
    [InlineData("48405002", null, "T10")]                      // body of T10 vertebra
    [InlineData("14806007", null, "C1")]                       // atlas
    [InlineData("421060004", "Vertebral column, L3", "L3")]   // generic spine code: the level from the text
    [InlineData("54735007", "Sacrum, S1-S2", "S1")]           // sacrum: the first level the text names
    [InlineData("54735007", "Sacrum", null)]                  // no level written: none guessed
    [InlineData("71341001", "left femur, L1 screw", null)]    // a femur has no vertebral level, whatever its text says
    [InlineData("999999999", "T13", null)]                    // no such level
    public void Lesion_level_comes_from_the_vertebra_code_or_the_text_of_a_spinal_site(string bodySite, string? text, string? level)
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", bodySite, text);

        Assert.Equal(level, Lesion(Facts(b), b.Key(lesion)).Level);
    }

    [Theory]
    [InlineData("provisional")]
    [InlineData("differential")]
    [InlineData("unconfirmed")]
    public void Suspected_lesion_is_not_counted_and_is_reported_with_the_reason(string status)
    {
        var b = PatientBundle.WithPatient();
        var confirmed = b.Lesion("femur", "71341001");
        var suspected = b.Lesion("t10", "7610001");
        suspected.VerificationStatus = new CodeableConcept(CodeSystems.ConditionVerification, status);
        var item = b.Item("epi", "epidural-extension", new FhirBoolean(true), suspected, "2026-03-10");

        var result = Run(b);

        Assert.Equal([b.Key(confirmed)], result.Value!.Facts.Lesions.Select(l => l.Id));
        var issue = Ignored(result.Issues, b.Expr(suspected));
        Assert.Contains(status, issue.Text.En, StringComparison.Ordinal);
        Assert.Contains("not counted as a confirmed one", issue.Text.En, StringComparison.Ordinal);
        Assert.Contains("n'est pas compté comme confirmé", issue.Text.Fr, StringComparison.Ordinal);
        Ignored(result.Issues, b.Expr(item));
    }
}
