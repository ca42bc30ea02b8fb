using BoneMetRT.Domain.Facts;
using BoneMetRT.Fhir.Tests.Builders;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Tests.Builders.Normalized;
using static BoneMetRT.Fhir.Tests.Builders.PatientBundle;

namespace BoneMetRT.Fhir.Tests.Normalize;

/// <summary>Contract §2, rows "primary tumour (Rades)" and "interval diagnosis → MSCC".</summary>
public sealed class PrimaryTumourTests
{
    private const string Histology = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior";

    [Theory]
    [InlineData("254837009", PrimaryTumourType.Breast)]
    [InlineData("408643008", PrimaryTumourType.Breast)]
    [InlineData("399068003", PrimaryTumourType.Prostate)]
    [InlineData("109989006", PrimaryTumourType.MyelomaLymphoma)]
    [InlineData("118601006", PrimaryTumourType.MyelomaLymphoma)]
    [InlineData("118599009", PrimaryTumourType.MyelomaLymphoma)]
    [InlineData("254637007", PrimaryTumourType.Nsclc)]
    [InlineData("254626006", PrimaryTumourType.Nsclc)]
    [InlineData("254632001", PrimaryTumourType.Sclc)]
    [InlineData("255052006", PrimaryTumourType.UnknownPrimary)]
    [InlineData("363518003", PrimaryTumourType.Kidney)]
    [InlineData("702391001", PrimaryTumourType.Kidney)]
    [InlineData("363406005", PrimaryTumourType.Colorectal)]
    [InlineData("363351006", PrimaryTumourType.Colorectal)]
    public void Primary_from_SNOMED(string code, PrimaryTumourType type)
    {
        var b = PatientBundle.WithPatient();
        var primary = b.Condition("primary", CodeSystems.Snomed, code);

        Present(Facts(b).PrimaryTumour, type, b.Key(primary));
    }

    [Theory]
    [InlineData("C50.9", PrimaryTumourType.Breast)]
    [InlineData("C50", PrimaryTumourType.Breast)]
    [InlineData("C61", PrimaryTumourType.Prostate)]
    [InlineData("C90.0", PrimaryTumourType.MyelomaLymphoma)]
    [InlineData("C81.9", PrimaryTumourType.MyelomaLymphoma)]
    [InlineData("C82.0", PrimaryTumourType.MyelomaLymphoma)]
    [InlineData("C83.3", PrimaryTumourType.MyelomaLymphoma)]
    [InlineData("C84.4", PrimaryTumourType.MyelomaLymphoma)]
    [InlineData("C85.9", PrimaryTumourType.MyelomaLymphoma)]
    [InlineData("C86.0", PrimaryTumourType.MyelomaLymphoma)]
    [InlineData("C88.0", PrimaryTumourType.MyelomaLymphoma)]
    [InlineData("C64", PrimaryTumourType.Kidney)]
    [InlineData("C18.7", PrimaryTumourType.Colorectal)]
    [InlineData("C19", PrimaryTumourType.Colorectal)]
    [InlineData("C20", PrimaryTumourType.Colorectal)]
    [InlineData("C80.1", PrimaryTumourType.UnknownPrimary)]
    [InlineData("C80", PrimaryTumourType.UnknownPrimary)]
    [InlineData("C25.0", PrimaryTumourType.Other)] // pancreas
    [InlineData("C73", PrimaryTumourType.Other)]   // thyroid
    [InlineData("C16.9", PrimaryTumourType.Other)] // stomach
    [InlineData("C67.9", PrimaryTumourType.Other)] // bladder
    [InlineData("C43.5", PrimaryTumourType.Other)] // melanoma of trunk
    [InlineData("C92.0", PrimaryTumourType.Other)] // acute myeloid leukaemia: a primary, not a lymphoma
    public void Primary_from_ICD10(string code, PrimaryTumourType type)
    {
        var b = PatientBundle.WithPatient();
        var primary = b.Condition("primary", CodeSystems.Icd10, code);

        Present(Facts(b).PrimaryTumour, type, b.Key(primary));
    }

    [Theory]
    [InlineData("C61", PrimaryTumourType.Prostate)]
    [InlineData("C64.1", PrimaryTumourType.Kidney)]
    [InlineData("C7A.1", PrimaryTumourType.Other)] // ICD-10-CM malignant neuroendocrine tumour
    [InlineData("C4A.9", PrimaryTumourType.Other)] // ICD-10-CM Merkel cell carcinoma
    public void Primary_from_ICD10_CM(string code, PrimaryTumourType type)
    {
        var b = PatientBundle.WithPatient();
        var primary = b.Condition("primary", CodeSystems.Icd10Cm, code);

        Present(Facts(b).PrimaryTumour, type, b.Key(primary));
    }

    [Theory]
    [InlineData("C77.0")] // secondary of lymph nodes
    [InlineData("C7B.0")] // ICD-10-CM secondary neuroendocrine tumour
    [InlineData("D05.1")] // carcinoma in situ
    [InlineData("E11.9")] // diabetes
    public void ICD10_codes_that_are_not_a_primary_cancer_give_no_primary_and_are_reported(string code)
    {
        var b = PatientBundle.WithPatient();
        var condition = b.Condition("other", CodeSystems.Icd10Cm, code);

        var result = Run(b);

        Missing(result.Value!.Facts.PrimaryTumour);
        Ignored(result.Issues, b.Expr(condition));
    }

    [Theory]
    [InlineData("74364000")] // SNOMED small cell carcinoma (morphologic abnormality)
    [InlineData("8041/3")]   // ICD-O-3 small cell carcinoma
    public void Lung_C34_with_small_cell_histology_is_SCLC(string morphology)
    {
        var b = PatientBundle.WithPatient();
        var primary = b.Condition("primary", CodeSystems.Icd10, "C34.1");
        primary.Extension.Add(new Extension(Histology, new CodeableConcept(morphology == "8041/3" ? "http://terminology.hl7.org/CodeSystem/icd-o-3" : CodeSystems.Snomed, morphology)));

        var result = Run(b);

        Present(result.Value!.Facts.PrimaryTumour, PrimaryTumourType.Sclc, b.Key(primary));
        Assert.DoesNotContain(result.Issues, i => i.Code == "missing-item");
    }

    [Fact]
    public void Lung_C34_with_non_small_cell_histology_is_NSCLC()
    {
        var b = PatientBundle.WithPatient();
        var primary = b.Condition("primary", CodeSystems.Icd10, "C34.9");
        primary.Extension.Add(new Extension(Histology, new CodeableConcept(CodeSystems.Snomed, "35917007"))); // adenocarcinoma

        Present(Facts(b).PrimaryTumour, PrimaryTumourType.Nsclc, b.Key(primary));
    }

    [Theory]
    [InlineData("C34.1", "http://hl7.org/fhir/sid/icd-10")]
    [InlineData("363358000", "http://snomed.info/sct")]
    public void Lung_without_histology_is_not_guessed_and_the_missing_histology_is_reported(string code, string system)
    {
        var b = PatientBundle.WithPatient();
        var primary = b.Condition("primary", system, code, "2025-11-03");

        var result = Run(b);

        Missing(result.Value!.Facts.PrimaryTumour);
        Assert.Single(result.Issues, i => i.Code == "missing-item" && i.Expressions.SequenceEqual([b.Expr(primary, "code")]));
        NotIgnored(result.Issues, b.Expr(primary));
        // The Condition still dates the diagnosis.
        Present(result.Value.Facts.PrimaryDiagnosisDate, new DateOnly(2025, 11, 3), b.Key(primary));
    }

    [Fact]
    public void Lung_coded_both_in_ICD10_C34_and_in_SNOMED_SCLC_is_SCLC()
    {
        var b = PatientBundle.WithPatient();
        var primary = b.Condition("primary", CodeSystems.Icd10, "C34.1");
        primary.Code!.Coding.Add(new Coding(CodeSystems.Snomed, "254632001"));

        var result = Run(b);

        Present(result.Value!.Facts.PrimaryTumour, PrimaryTumourType.Sclc, b.Key(primary));
        Assert.DoesNotContain(result.Issues, i => i.Code == "missing-item");
    }

    [Fact]
    public void Explicit_primary_tumour_type_overrides_the_Condition()
    {
        var b = PatientBundle.WithPatient();
        b.Condition("primary", CodeSystems.Snomed, "254837009"); // breast
        var obs = b.Item("ptt", "primary-tumour-type", Answer("prostate"));

        Present(Facts(b).PrimaryTumour, PrimaryTumourType.Prostate, b.Key(obs));
    }

    [Fact]
    public void Explicit_primary_tumour_type_settles_a_lung_primary_without_histology_and_no_histology_is_asked()
    {
        var b = PatientBundle.WithPatient();
        b.Condition("primary", CodeSystems.Icd10, "C34.1");
        var obs = b.Item("ptt", "primary-tumour-type", Answer("sclc"));

        var result = Run(b);

        Present(result.Value!.Facts.PrimaryTumour, PrimaryTumourType.Sclc, b.Key(obs));
        Assert.DoesNotContain(result.Issues, i => i.Code == "missing-item");
    }

    [Theory]
    [InlineData("breast", PrimaryTumourType.Breast)]
    [InlineData("prostate", PrimaryTumourType.Prostate)]
    [InlineData("myeloma-lymphoma", PrimaryTumourType.MyelomaLymphoma)]
    [InlineData("nsclc", PrimaryTumourType.Nsclc)]
    [InlineData("sclc", PrimaryTumourType.Sclc)]
    [InlineData("unknown-primary", PrimaryTumourType.UnknownPrimary)]
    [InlineData("kidney", PrimaryTumourType.Kidney)]
    [InlineData("colorectal", PrimaryTumourType.Colorectal)]
    [InlineData("other", PrimaryTumourType.Other)]
    public void Explicit_primary_tumour_type_is_read(string code, PrimaryTumourType type)
    {
        var b = PatientBundle.WithPatient();
        var obs = b.Item("ptt", "primary-tumour-type", Answer(code));

        Present(Facts(b).PrimaryTumour, type, b.Key(obs));
    }

    [Fact]
    public void Two_primary_Conditions_of_different_types_are_a_conflict()
    {
        var b = PatientBundle.WithPatient();
        var breast = b.Condition("breast", CodeSystems.Snomed, "254837009");
        var kidney = b.Condition("kidney", CodeSystems.Icd10, "C64");

        var fact = Facts(b).PrimaryTumour;

        Assert.Equal(FactState.Conflicting, fact.State);
        Assert.Equal([b.Key(breast), b.Key(kidney)], fact.Sources.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("resolved")]
    [InlineData("remission")]
    [InlineData("inactive")]
    public void Primary_cancer_in_remission_or_resolved_still_gives_the_type_and_the_diagnosis_date(string status)
    {
        // The contract's primary row has no status condition: a resected primary is still the patient's primary.
        var b = PatientBundle.WithPatient();
        var primary = b.Condition("primary", CodeSystems.Snomed, "254837009", "2019-06-03", clinicalStatus: status);

        var facts = Facts(b);

        Present(facts.PrimaryTumour, PrimaryTumourType.Breast, b.Key(primary));
        Present(facts.PrimaryDiagnosisDate, new DateOnly(2019, 6, 3), b.Key(primary));
    }

    [Fact]
    public void Refuted_primary_is_ignored_and_reported()
    {
        var b = PatientBundle.WithPatient();
        var primary = b.Condition("primary", CodeSystems.Snomed, "254837009");
        primary.VerificationStatus = new CodeableConcept(CodeSystems.ConditionVerification, "refuted");

        var result = Run(b);

        Missing(result.Value!.Facts.PrimaryTumour);
        Ignored(result.Issues, b.Expr(primary));
    }

    // ---- Interval diagnosis → MSCC ----------------------------------------------------------------------------------

    [Fact]
    public void Diagnosis_date_is_the_primary_onsetDateTime_and_the_MSCC_onset_is_read()
    {
        var b = PatientBundle.WithPatient();
        var primary = b.Condition("primary", CodeSystems.Snomed, "254837009", "2019-06-03T10:00:00+02:00");
        var mscc = b.Mscc("mscc", "2026-03-09");

        var facts = Facts(b);

        Present(facts.PrimaryDiagnosisDate, PartialDate.Day(new DateOnly(2019, 6, 3)), b.Key(primary));
        Present(Assert.Single(facts.Compressions).Onset, PartialDate.Day(new DateOnly(2026, 3, 9)), b.Key(mscc));
    }

    [Fact]
    public void Diagnosis_date_from_an_onsetPeriod_is_its_start()
    {
        var b = PatientBundle.WithPatient();
        var primary = b.Condition("primary", CodeSystems.Snomed, "399068003");
        primary.Onset = new Period(new FhirDateTime("2021-04-12"), new FhirDateTime("2021-05-01"));

        Present(Facts(b).PrimaryDiagnosisDate, new DateOnly(2021, 4, 12));
    }

    [Theory]
    [InlineData("2021-04", 2021, 4)]
    [InlineData("2021", 2021, null)]
    public void Partial_diagnosis_and_compression_dates_stay_partial_never_completed(string written, int year, int? month)
    {
        // The issue's case: a diagnosis "2025" must not become 1 January; the engine decides whether the Rades interval
        // can be told from the whole month or year.
        var b = PatientBundle.WithPatient();
        b.Condition("primary", CodeSystems.Snomed, "399068003", written);
        b.Mscc("mscc", written);

        var facts = Facts(b);

        var expected = month is { } m ? PartialDate.Month(year, m) : PartialDate.Year(year);
        Present(facts.PrimaryDiagnosisDate, expected);
        Present(Assert.Single(facts.Compressions).Onset, expected);
        Assert.False(facts.PrimaryDiagnosisDate.Value.IsExact);
    }

    [Fact]
    public void Diagnosis_date_falls_back_to_recordedDate_without_onset()
    {
        var b = PatientBundle.WithPatient();
        var primary = b.Condition("primary", CodeSystems.Snomed, "254837009");
        primary.RecordedDate = "2020-09-14";

        Present(Facts(b).PrimaryDiagnosisDate, new DateOnly(2020, 9, 14), b.Key(primary));
    }

    [Fact]
    public void Diagnosis_date_falls_back_to_recordedDate_when_onset_is_not_a_date()
    {
        var b = PatientBundle.WithPatient();
        var primary = b.Condition("primary", CodeSystems.Snomed, "254837009");
        primary.Onset = new Age { Value = 60, Code = "a", System = CodeSystems.Ucum };
        primary.RecordedDate = "2020-09-14";

        Present(Facts(b).PrimaryDiagnosisDate, new DateOnly(2020, 9, 14));
    }

    [Fact]
    public void Without_onset_nor_recordedDate_the_diagnosis_date_is_missing()
    {
        var b = PatientBundle.WithPatient();
        b.Condition("primary", CodeSystems.Snomed, "254837009");

        Missing(Facts(b).PrimaryDiagnosisDate);
    }

    [Fact]
    public void Without_MSCC_onset_the_MSCC_onset_is_missing()
    {
        var b = PatientBundle.WithPatient();
        b.Mscc("mscc", null);

        Missing(Assert.Single(Facts(b).Compressions).Onset);
    }
}
