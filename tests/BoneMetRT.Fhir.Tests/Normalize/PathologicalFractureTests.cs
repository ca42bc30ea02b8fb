using BoneMetRT.Domain.Facts;
using BoneMetRT.Fhir.Tests.Builders;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Tests.Builders.Normalized;

namespace BoneMetRT.Fhir.Tests.Normalize;

/// <summary>
/// An established pathological fracture (SNOMED 268029009, ICD-10 M84.4 / M84.5) on a metastatic bone: guideline §1.2
/// scores the risk of a fracture to come, so a bone already broken is a surgical question and must be known to the
/// engine on that lesion, never merely noted.
/// </summary>
public sealed class PathologicalFractureTests
{
    [Theory]
    [InlineData(CodeSystems.Snomed, "268029009")]
    [InlineData(CodeSystems.Icd10Cm, "M84.552A")]
    [InlineData(CodeSystems.Icd10, "M84.4")]
    public void Fracture_on_the_bone_of_a_lesion_is_that_lesion_s_and_not_another_s(string system, string code)
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001", "left femur");
        var t10 = b.Lesion("t10", "7610001");
        var fracture = b.Fracture("fracture", "71341001", system: system, code: code);

        var result = Run(b);

        Present(Lesion(result.Value!.Facts, b.Key(femur)).PathologicalFracture, true, b.Key(fracture));
        Missing(Lesion(result.Value.Facts, b.Key(t10)).PathologicalFracture);
        NotIgnored(result.Issues, b.Expr(fracture));
    }

    [Fact]
    public void Fracture_linked_by_evidence_detail_is_that_lesion_s()
    {
        var b = PatientBundle.WithPatient();
        var left = b.Lesion("left", "71341001", "left femur");
        var right = b.Lesion("right", "71341001", "right femur");
        var fracture = b.Fracture("fracture", "71341001", lesion: right);

        var facts = Facts(b);

        Present(Lesion(facts, b.Key(right)).PathologicalFracture, true, b.Key(fracture));
        Missing(Lesion(facts, b.Key(left)).PathologicalFracture);
    }

    [Fact]
    public void Vertebral_fracture_matches_the_lesion_at_its_level_only()
    {
        var b = PatientBundle.WithPatient();
        var t4 = b.Lesion("t4", "421060004", "T4");
        var l1 = b.Lesion("l1", "421060004", "L1");
        var fracture = b.Fracture("fracture", "421060004", siteText: "L1");

        var facts = Facts(b);

        Present(Lesion(facts, b.Key(l1)).PathologicalFracture, true, b.Key(fracture));
        Missing(Lesion(facts, b.Key(t4)).PathologicalFracture);
    }

    [Fact]
    public void Fracture_matching_two_lesions_or_none_is_not_guessed_and_is_reported()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("left", "71341001", "left femur");
        b.Lesion("right", "71341001", "right femur");
        var ambiguous = b.Fracture("ambiguous", "71341001");
        var elsewhere = b.Fracture("elsewhere", "85050009");

        var result = Run(b);

        Assert.All(result.Value!.Facts.Lesions, l => Missing(l.PathologicalFracture));
        Assert.Contains("matches 2 lesions", Ignored(result.Issues, b.Expr(ambiguous)).Text.En, StringComparison.Ordinal);
        Ignored(result.Issues, b.Expr(elsewhere));
    }

    [Fact]
    public void Healed_or_suspected_fracture_is_not_counted()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var healed = b.Fracture("healed", "71341001");
        healed.ClinicalStatus = new CodeableConcept(CodeSystems.ConditionClinical, "resolved");
        var suspected = b.Fracture("suspected", "71341001");
        suspected.VerificationStatus = new CodeableConcept(CodeSystems.ConditionVerification, "provisional");

        var result = Run(b);

        Missing(Lesion(result.Value!.Facts, b.Key(femur)).PathologicalFracture);
        Ignored(result.Issues, b.Expr(healed));
        Ignored(result.Issues, b.Expr(suspected));
    }
}
