using BoneMetRT.Fhir.Tests.Builders;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Tests.Builders.Normalized;

namespace BoneMetRT.Fhir.Tests.Normalize;

/// <summary>Contract §2, row "visceral metastases": an active visceral secondary Condition, or the explicit observation.</summary>
public sealed class VisceralMetastasesTests
{
    [Theory]
    [InlineData(CodeSystems.Snomed, "94381002")]  // liver
    [InlineData(CodeSystems.Snomed, "94391008")]  // lung
    [InlineData(CodeSystems.Snomed, "94225005")]  // brain
    [InlineData(CodeSystems.Snomed, "94161006")]  // adrenal gland
    [InlineData(CodeSystems.Icd10, "C78.7")]      // liver
    [InlineData(CodeSystems.Icd10, "C78.0")]      // lung
    [InlineData(CodeSystems.Icd10, "C79.3")]      // brain
    [InlineData(CodeSystems.Icd10, "C79.7")]      // adrenal gland
    [InlineData(CodeSystems.Icd10Cm, "C78.01")]   // right lung (ICD-10-CM)
    public void Active_visceral_secondary_Condition_means_visceral_metastases(string system, string code)
    {
        var b = PatientBundle.WithPatient();
        var visceral = b.Condition("visc", system, code);

        var result = Run(b);

        Present(result.Value!.Facts.VisceralMetastases, true, b.Key(visceral));
        NotIgnored(result.Issues, b.Expr(visceral));
    }

    [Theory]
    [InlineData("inactive")]
    [InlineData("resolved")]
    [InlineData("remission")]
    public void Visceral_Condition_that_is_not_active_is_not_counted_and_is_reported(string status)
    {
        var b = PatientBundle.WithPatient();
        var visceral = b.Condition("visc", CodeSystems.Snomed, "94381002", clinicalStatus: status);

        var result = Run(b);

        Missing(result.Value!.Facts.VisceralMetastases);
        Ignored(result.Issues, b.Expr(visceral));
    }

    [Fact]
    public void Refuted_visceral_Condition_is_not_counted()
    {
        var b = PatientBundle.WithPatient();
        var visceral = b.Condition("visc", CodeSystems.Icd10, "C78.7");
        visceral.VerificationStatus = new CodeableConcept(CodeSystems.ConditionVerification, "refuted");

        var result = Run(b);

        Missing(result.Value!.Facts.VisceralMetastases);
        Ignored(result.Issues, b.Expr(visceral));
    }

    [Fact]
    public void Bone_secondary_C79_5_is_a_lesion_not_a_visceral_metastasis()
    {
        var b = PatientBundle.WithPatient();
        b.Condition("met", CodeSystems.Icd10, "C79.5");

        var facts = Facts(b);

        Missing(facts.VisceralMetastases);
        Assert.Single(facts.Lesions);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Explicit_visceral_metastases_is_read(bool value)
    {
        var b = PatientBundle.WithPatient();
        var obs = b.Item("visc", "visceral-metastases", new FhirBoolean(value));

        Present(Facts(b).VisceralMetastases, value, b.Key(obs));
    }

    [Fact]
    public void Explicit_visceral_metastases_overrides_the_Condition()
    {
        var b = PatientBundle.WithPatient();
        b.Condition("liver", CodeSystems.Snomed, "94381002");
        var obs = b.Item("visc", "visceral-metastases", new FhirBoolean(false));

        Present(Facts(b).VisceralMetastases, false, b.Key(obs));
    }

    [Fact]
    public void No_visceral_Condition_and_no_explicit_answer_is_missing_never_no()
    {
        var b = PatientBundle.WithPatient();
        b.Condition("primary", CodeSystems.Snomed, "254837009");

        Missing(Facts(b).VisceralMetastases);
    }

    [Fact]
    public void Explicit_visceral_metastases_as_a_string_is_an_error_at_its_value()
    {
        var b = PatientBundle.WithPatient();
        var obs = b.Item("visc", "visceral-metastases", new FhirString("yes"));

        ErrorAt(b, b.Expr(obs, "value"));
    }

    [Theory]
    [InlineData("provisional")]
    [InlineData("differential")]
    [InlineData("unconfirmed")]
    public void Suspected_visceral_metastasis_is_not_counted_and_is_reported(string status)
    {
        var b = PatientBundle.WithPatient();
        var liver = b.Condition("liver", CodeSystems.Snomed, "94381002");
        liver.VerificationStatus = new CodeableConcept(CodeSystems.ConditionVerification, status);

        var result = Run(b);

        Missing(result.Value!.Facts.VisceralMetastases);
        Assert.Contains(status, Ignored(result.Issues, b.Expr(liver)).Text.En, StringComparison.Ordinal);
    }
}
