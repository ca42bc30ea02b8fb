using BoneMetRT.Domain.Facts;
using BoneMetRT.Fhir.Normalize;
using BoneMetRT.Fhir.Tests.Builders;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;
using static BoneMetRT.Fhir.Tests.Builders.Normalized;
using static BoneMetRT.Fhir.Tests.Builders.PatientBundle;

namespace BoneMetRT.Fhir.Tests.Normalize;

/// <summary>
/// The contract's structural rules: accepted Bundle types, choosing the Patient, resources about another patient,
/// every unused resource reported, the three ways of referencing, references to nothing and invalid values.
/// </summary>
public sealed class BundleStructureTests
{
    [Theory]
    [InlineData(Bundle.BundleType.Collection)]
    [InlineData(Bundle.BundleType.Batch)]
    [InlineData(Bundle.BundleType.Transaction)]
    [InlineData(Bundle.BundleType.Searchset)]
    public void Accepted_bundle_types(Bundle.BundleType type)
    {
        var b = PatientBundle.WithPatient(type: type);
        var femur = b.Lesion("femur", "71341001");

        Assert.Equal(b.Key(femur), Assert.Single(Facts(b).Lesions).Id);
    }

    [Theory]
    [InlineData(Bundle.BundleType.Document)]
    [InlineData(Bundle.BundleType.Message)]
    [InlineData(Bundle.BundleType.History)]
    [InlineData(Bundle.BundleType.TransactionResponse)]
    public void Other_bundle_types_are_rejected_at_Bundle_type(Bundle.BundleType type)
    {
        var b = PatientBundle.WithPatient(type: type);
        b.Lesion("femur", "71341001");

        ErrorAt(b, "Bundle.type");
    }

    [Fact]
    public void Bundle_without_type_is_rejected_at_Bundle_type()
    {
        var b = new PatientBundle(type: null);
        b.Patient();

        ErrorAt(b, "Bundle.type");
    }

    [Fact]
    public void Bundle_type_error_carries_the_request_prefix()
    {
        var b = PatientBundle.WithPatient(type: Bundle.BundleType.Document);

        var result = Normalizer.Normalize(b.Bundle, "Parameters.parameter[0].resource", null, AssessmentDate);

        Assert.Equal(OutcomeKind.Unprocessable, result.Kind);
        Assert.Null(result.Value);
        Assert.Contains(result.Issues, i => i.IsError && i.Expressions.Contains("Parameters.parameter[0].resource.type"));
    }

    [Fact]
    public void No_Patient_is_an_error_at_the_Bundle()
    {
        var b = new PatientBundle();
        var lesion = new Condition { Code = new CodeableConcept(CodeSystems.Snomed, BoneMetastasisSnomed), Subject = new ResourceReference("Patient/p1") };
        b.Add(lesion, "met");

        ErrorAt(b, "Bundle");
    }

    [Fact]
    public void Two_Patients_without_subject_is_an_error_naming_both()
    {
        var b = new PatientBundle();
        var p1 = b.Patient("p1");
        var p2 = b.Patient("p2");

        var error = Assert.Single(Errors(b));

        Assert.Equal([b.Expr(p1), b.Expr(p2)], error.Expressions);
    }

    [Theory]
    [InlineData("Patient/p2")]
    [InlineData("http://example.org/fhir/Patient/p2")]
    public void Subject_chooses_among_two_Patients_and_the_other_patient_is_ignored(string subject)
    {
        var b = new PatientBundle();
        var p1 = b.Patient("p1");
        var p2 = b.Patient("p2");
        var lesionOfP1 = b.Lesion("met-p1", "71341001", subject: p1);
        var lesionOfP2 = b.Lesion("met-p2", "85050009", subject: p2);

        var result = Run(b, subject);

        Assert.Equal(b.Key(p2), result.Value!.PatientKey);
        Assert.Equal(b.Key(lesionOfP2), Assert.Single(result.Value.Facts.Lesions).Id);
        Ignored(result.Issues, b.Expr(lesionOfP1));
        Ignored(result.Issues, b.Expr(p1));
        NotIgnored(result.Issues, b.Expr(p2));
    }

    [Fact]
    public void Subject_by_urn_uuid_chooses_the_Patient()
    {
        var b = new PatientBundle(style: RefStyle.UrnUuid);
        b.Patient("p1");
        var p2 = b.Patient("p2");

        var input = Ok(b, b.FullUrl(p2));

        Assert.Equal(b.FullUrl(p2), input.PatientKey);
    }

    [Fact]
    public void Subject_that_is_not_in_the_Bundle_is_an_error_at_the_subject_parameter()
    {
        var b = new PatientBundle();
        b.Patient("p1");
        b.Patient("p2");

        ErrorAt(b, "Parameters.parameter.where(name = 'subject')", "Patient/p3");
    }

    [Fact]
    public void Subject_naming_a_single_Patient_that_is_not_it_is_an_error()
    {
        var b = PatientBundle.WithPatient();

        ErrorAt(b, "Parameters.parameter.where(name = 'subject')", "Patient/someone-else");
    }

    [Fact]
    public void Resource_about_another_patient_of_the_Bundle_is_ignored_and_reported()
    {
        var b = new PatientBundle();
        var p1 = b.Patient("p1");
        var p2 = b.Patient("p2");
        b.Lesion("met", "71341001", subject: p1);
        var otherObs = b.Item("pain", "analgesic-refractory-pain", new FhirBoolean(true), subject: p2);

        var result = Run(b, "Patient/p1");

        Missing(result.Value!.Facts.AnalgesicRefractoryPain);
        Ignored(result.Issues, b.Expr(otherObs));
    }

    [Fact]
    public void Subject_reference_to_a_Patient_not_in_the_Bundle_is_an_error_at_subject()
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("met", "71341001");
        lesion.Subject = new ResourceReference("Patient/not-sent");

        ErrorAt(b, b.Expr(lesion, "subject"));
    }

    [Fact]
    public void Every_resource_that_is_not_used_is_an_information_issue_with_its_entry_expression()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var used = b.Item("type", "lesion-type", Answer("lytic"), femur);
        var med = b.Add(new MedicationStatement
        {
            Status = MedicationStatement.MedicationStatusCodes.Active,
            Medication = new CodeableConcept("http://www.nlm.nih.gov/research/umls/rxnorm", "7052"),
            Subject = new ResourceReference("Patient/p1"),
        }, "morphine");
        var encounter = b.Add(new Encounter
        {
            Status = Encounter.EncounterStatus.Finished,
            Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB"),
            Subject = new ResourceReference("Patient/p1"),
        }, "visit");
        var practitioner = b.Add(new Practitioner(), "doc");
        var diabetes = b.Condition("diabetes", CodeSystems.Snomed, "44054006");
        var unknownCode = b.Observation("bp", new CodeableConcept("http://example.org/local", "bp"), new Integer(120));
        var notAnItem = b.Item("score", "mirels-score", new Integer(9), femur);

        var result = Run(b);

        Assert.NotNull(result.Value);
        foreach (var r in new Resource[] { med, encounter, practitioner, diabetes, unknownCode, notAnItem })
        {
            var issue = Ignored(result.Issues, b.Expr(r));
            Assert.Equal(OperationOutcome.IssueType.Informational, issue.Type);
            Assert.StartsWith("Ignored", issue.Text.En, StringComparison.Ordinal);
            Assert.StartsWith("Ignoré", issue.Text.Fr, StringComparison.Ordinal);
        }

        NotIgnored(result.Issues, b.Expr(femur));
        NotIgnored(result.Issues, b.Expr(used));
        NotIgnored(result.Issues, b.Expr(b.Bundle.Entry[0].Resource!));
        Assert.Equal(6, result.Issues.Count(i => i.Code == "ignored-resource"));
    }

    [Fact]
    public void Entries_without_a_resource_are_skipped()
    {
        var b = PatientBundle.WithPatient(type: Bundle.BundleType.Batch);
        b.Bundle.Entry.Add(new Bundle.EntryComponent { Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.DELETE, Url = "Observation/x" } });
        var femur = b.Lesion("femur", "71341001");

        Assert.Equal(b.Key(femur), Assert.Single(Facts(b).Lesions).Id);
    }

    // ---- References ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(RefStyle.Relative)]
    [InlineData(RefStyle.UrnUuid)]
    [InlineData(RefStyle.Absolute)]
    public void References_resolve_by_relative_id_urn_uuid_and_absolute_URL(RefStyle style)
    {
        var b = PatientBundle.WithPatient(style);
        var primary = b.Condition("primary", CodeSystems.Snomed, "254837009", "2019-06-03");
        var t10 = b.Lesion("t10", "7610001");
        b.Lesion("t8", "11068009");
        var mscc = b.Mscc("mscc", "2026-03-09", lesion: t10);
        var epidural = b.Item("epi", "epidural-extension", new FhirBoolean(true), t10);
        var laminectomy = b.Surgery("lam", mscc, "2026-03-10", code: "387731002");
        var skin = b.Item("skin", "skin-healed", new FhirBoolean(true), laminectomy, "2026-03-12");

        var result = Run(b);

        Assert.NotNull(result.Value);
        Assert.DoesNotContain(result.Issues, i => i.Code == "ignored-resource");
        var facts = result.Value!.Facts;
        Assert.Equal(b.Key(b.Bundle.Entry[0].Resource!), result.Value.PatientKey);
        Present(facts.PrimaryTumour, PrimaryTumourType.Breast, b.Key(primary));
        Assert.Equal(b.Key(t10), Assert.Single(facts.Compressions).LesionId);
        Present(Lesion(facts, b.Key(t10)).EpiduralExtension, true, b.Key(epidural));
        var surgery = Assert.Single(facts.Procedures);
        Assert.Equal([b.Key(mscc)], surgery.TargetIds);
        Present(surgery.SkinHealed, true, b.Key(skin));
    }

    [Fact]
    public void Keys_are_Type_slash_id_when_resources_have_ids_and_the_fullUrl_otherwise()
    {
        var rel = PatientBundle.WithPatient(RefStyle.Relative);
        rel.Lesion("femur", "71341001");
        var urn = PatientBundle.WithPatient(RefStyle.UrnUuid);
        var urnLesion = urn.Lesion("femur", "71341001");

        Assert.Equal("Condition/femur", Assert.Single(Facts(rel).Lesions).Id);
        Assert.Equal(urn.FullUrl(urnLesion), Assert.Single(Facts(urn).Lesions).Id);
        Assert.StartsWith("urn:uuid:", urn.FullUrl(urnLesion), StringComparison.Ordinal);
    }

    [Fact]
    public void Versioned_reference_resolves_to_the_resource()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var obs = b.Item("type", "lesion-type", Answer("lytic"));
        obs.Focus.Add(new ResourceReference("Condition/femur/_history/3"));

        Present(Lesion(Facts(b), b.Key(femur)).Type, LesionType.Lytic, b.Key(obs));
    }

    [Fact]
    public void Relative_reference_resolves_when_the_entries_have_no_fullUrl()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var obs = b.Item("type", "lesion-type", Answer("lytic"), femur);
        foreach (var e in b.Bundle.Entry)
        {
            e.FullUrl = null;
        }

        Present(Lesion(Facts(b), "Condition/femur").Type, LesionType.Lytic, b.Key(obs));
    }

    [Fact]
    public void Focus_to_nothing_is_an_error_at_the_focus()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("femur", "71341001");
        var obs = b.Item("size", "mirels-size", Answer("gt-two-thirds"));
        obs.Focus.Add(new ResourceReference("Condition/cond-met-humerus-not-sent"));

        var error = ErrorAt(b, b.Expr(obs, "focus"));

        Assert.Contains("Condition/cond-met-humerus-not-sent", error.Text.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Urn_uuid_reference_to_nothing_is_an_error()
    {
        var b = PatientBundle.WithPatient(RefStyle.UrnUuid);
        b.Lesion("femur", "71341001");
        var obs = b.Item("size", "mirels-size", Answer("gt-two-thirds"));
        obs.Focus.Add(new ResourceReference("urn:uuid:00000000-0000-0000-0000-000000000000"));

        ErrorAt(b, b.Expr(obs, "focus"));
    }

    [Fact]
    public void Reference_without_a_reference_string_is_an_error_at_the_element()
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("femur", "71341001");
        lesion.Subject = new ResourceReference { Display = "Jane Doe" };

        ErrorAt(b, b.Expr(lesion, "subject"));
    }

    [Fact]
    public void Resource_without_subject_is_an_error_at_subject()
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("femur", "71341001");
        lesion.Subject = null!;

        ErrorAt(b, b.Expr(lesion, "subject"));
    }

    // ---- Invalid values --------------------------------------------------------------------------------------------

    [Fact]
    public void Invalid_value_type_is_an_error_at_the_value_with_the_request_prefix()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("humerus", "85050009");
        var obs = b.Item("size", "mirels-size", new FhirString("big"));
        var at = b.IndexOf(obs);

        var result = Normalizer.Normalize(b.Bundle, "Parameters.parameter[0].resource", null, AssessmentDate);

        Assert.Equal(OutcomeKind.Unprocessable, result.Kind);
        Assert.Null(result.Value);
        var error = Assert.Single(result.Issues, i => i.IsError);
        Assert.Equal([$"Parameters.parameter[0].resource.entry[{at}].resource.value"], error.Expressions);
        Assert.Contains("mirels-size", error.Text.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_value_is_an_error_at_the_value()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("humerus", "85050009");
        var obs = b.Item("type", "lesion-type", null);

        ErrorAt(b, b.Expr(obs, "value"));
    }

    [Fact]
    public void Every_error_is_reported_not_only_the_first()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var size = b.Item("size", "mirels-size", new FhirString("big"), femur);
        var circ = b.Item("circ", "cortical-lysis-circumferential", Qty(10, "mm"), femur);

        var errors = Errors(b);

        Assert.Contains(errors, e => e.Expressions.Contains(b.Expr(size, "value")));
        Assert.Contains(errors, e => e.Expressions.Contains(b.Expr(circ, "value")));
    }
}
