using BoneMetRT.Domain.Facts;
using BoneMetRT.Fhir.Tests.Builders;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;
using static BoneMetRT.Fhir.Tests.Builders.Normalized;
using static BoneMetRT.Fhir.Tests.Builders.PatientBundle;

namespace BoneMetRT.Fhir.Tests.Normalize;

/// <summary>Contract §2, rows "pain" (LOINC 72514-3, refractory and neuropathic booleans) and "performance status".</summary>
public sealed class PainAndPerformanceTests
{
    [Fact]
    public void Pain_score_LOINC_72514_3_as_integer_is_read()
    {
        var b = PatientBundle.WithPatient();
        var obs = b.LoincObservation("pain", PainScoreLoinc, new Integer(7));

        Present(Facts(b).PainScore, 7, b.Key(obs));
    }

    [Fact]
    public void Pain_score_as_a_quantity_is_read()
    {
        var b = PatientBundle.WithPatient();
        b.LoincObservation("pain", PainScoreLoinc, new Quantity { Value = 6, Unit = "{score}", System = CodeSystems.Ucum, Code = "{score}" });

        Present(Facts(b).PainScore, 6);
    }

    [Fact]
    public void Pain_score_focused_on_a_lesion_is_still_the_patient_pain_score()
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("rib", "113197003");
        var obs = b.LoincObservation("pain", PainScoreLoinc, new Integer(7), lesion);

        var result = Run(b);

        Present(result.Value!.Facts.PainScore, 7, b.Key(obs));
        NotIgnored(result.Issues, b.Expr(obs));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(-1)]
    public void Pain_score_out_of_0_10_is_an_error_at_its_value(int value)
    {
        var b = PatientBundle.WithPatient();
        var obs = b.LoincObservation("pain", PainScoreLoinc, new Integer(value));

        ErrorAt(b, b.Expr(obs, "value"));
    }

    [Theory]
    [InlineData("analgesic-refractory-pain")]
    [InlineData("neuropathic-pain")]
    public void Pain_boolean_without_focus_is_patient_level(string code)
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Lesion("rib", "113197003");
        var obs = b.Item("p", code, new FhirBoolean(true));

        var facts = Facts(b);

        var (patientLevel, lesionLevel) = code == "neuropathic-pain"
            ? (facts.NeuropathicPain, Lesion(facts, b.Key(lesion)).NeuropathicPain)
            : (facts.AnalgesicRefractoryPain, Lesion(facts, b.Key(lesion)).AnalgesicRefractoryPain);
        Present(patientLevel, true, b.Key(obs));
        Missing(lesionLevel);
    }

    [Theory]
    [InlineData("analgesic-refractory-pain")]
    [InlineData("neuropathic-pain")]
    public void Pain_boolean_with_focus_is_lesion_level(string code)
    {
        var b = PatientBundle.WithPatient();
        var rib = b.Lesion("rib", "113197003");
        var other = b.Lesion("l4", "11994002");
        var obs = b.Item("p", code, new FhirBoolean(true), rib);

        var facts = Facts(b);

        Fact<bool> Of(PatientFacts f) => code == "neuropathic-pain" ? f.NeuropathicPain : f.AnalgesicRefractoryPain;
        Fact<bool> OfLesion(LesionFacts l) => code == "neuropathic-pain" ? l.NeuropathicPain : l.AnalgesicRefractoryPain;
        Present(OfLesion(Lesion(facts, b.Key(rib))), true, b.Key(obs));
        Missing(OfLesion(Lesion(facts, b.Key(other))));
        Missing(Of(facts));
    }

    [Fact]
    public void Pain_boolean_focused_on_something_that_is_not_a_lesion_is_not_used_and_is_reported()
    {
        var b = PatientBundle.WithPatient();
        b.Lesion("t10", "7610001");
        var primary = b.Condition("primary", CodeSystems.Snomed, "254837009");
        var obs = b.Item("p", "neuropathic-pain", new FhirBoolean(true), primary);

        var result = Run(b);

        Missing(result.Value!.Facts.NeuropathicPain);
        Missing(Assert.Single(result.Value.Facts.Lesions).NeuropathicPain);
        var issue = Ignored(result.Issues, b.Expr(obs));
        Assert.Contains(b.Key(primary), issue.Text.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Pain_boolean_as_a_string_is_an_error_at_its_value()
    {
        var b = PatientBundle.WithPatient();
        var obs = b.Item("p", "analgesic-refractory-pain", new FhirString("true"));

        ErrorAt(b, b.Expr(obs, "value"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void ECOG_as_valueInteger_is_read(int ecog)
    {
        var b = PatientBundle.WithPatient();
        var obs = b.LoincObservation("ecog", EcogLoinc, new Integer(ecog));

        Present(Facts(b).Performance, new PerformanceStatus(PerformanceScale.Ecog, ecog), b.Key(obs));
    }

    [Theory]
    [InlineData("LA9622-7", 0)]
    [InlineData("LA9623-5", 1)]
    [InlineData("LA9624-3", 2)]
    [InlineData("LA9625-0", 3)]
    [InlineData("LA9626-8", 4)]
    public void ECOG_as_a_LOINC_answer_code_is_read(string answer, int ecog)
    {
        var b = PatientBundle.WithPatient();
        b.LoincObservation("ecog", EcogLoinc, new CodeableConcept(CodeSystems.Loinc, answer));

        Present(Facts(b).Performance, new PerformanceStatus(PerformanceScale.Ecog, ecog));
    }

    [Fact]
    public void ECOG_out_of_range_is_an_error_at_its_value()
    {
        var b = PatientBundle.WithPatient();
        var obs = b.LoincObservation("ecog", EcogLoinc, new Integer(6));

        ErrorAt(b, b.Expr(obs, "value"));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(70)]
    [InlineData(30)]
    public void Karnofsky_is_read(int karnofsky)
    {
        var b = PatientBundle.WithPatient();
        var obs = b.LoincObservation("kps", KarnofskyLoinc, new Integer(karnofsky));

        Present(Facts(b).Performance, new PerformanceStatus(PerformanceScale.Karnofsky, karnofsky), b.Key(obs));
    }

    [Fact]
    public void Karnofsky_out_of_range_is_an_error_at_its_value()
    {
        var b = PatientBundle.WithPatient();
        var obs = b.LoincObservation("kps", KarnofskyLoinc, new Integer(150));

        ErrorAt(b, b.Expr(obs, "value"));
    }

    [Fact]
    public void Most_recent_performance_status_wins_across_scales()
    {
        var b = PatientBundle.WithPatient();
        b.LoincObservation("ecog", EcogLoinc, new Integer(1), effective: "2026-01-10");
        var kps = b.LoincObservation("kps", KarnofskyLoinc, new Integer(40), effective: "2026-03-10");

        Present(Facts(b).Performance, new PerformanceStatus(PerformanceScale.Karnofsky, 40), b.Key(kps));
    }

    [Fact]
    public void Other_LOINC_observation_is_reported_as_ignored()
    {
        var b = PatientBundle.WithPatient();
        var weight = b.LoincObservation("weight", "29463-7", Qty(70, "kg"));

        var result = Run(b);

        Assert.NotNull(result.Value);
        Ignored(result.Issues, b.Expr(weight));
    }

    [Theory]
    [InlineData("analgesic-refractory-pain")]
    [InlineData("neuropathic-pain")]
    public void Patient_level_pain_with_three_lesions_stays_the_patient_s_and_is_given_to_no_lesion(string code)
    {
        // The issue's case: one patient-level "pain resistant to analgesics" made every lesion painful. Normalize keeps
        // it on the patient; the engine applies it to a lesion only when there is exactly one.
        var b = PatientBundle.WithPatient();
        b.Lesion("rib", "113197003");
        b.Lesion("femur", "71341001");
        b.Lesion("l4", "11994002");
        var obs = b.Item("p", code, new FhirBoolean(true), effective: "2026-03-12");

        var facts = Facts(b);

        Present(code == "neuropathic-pain" ? facts.NeuropathicPain : facts.AnalgesicRefractoryPain, true, b.Key(obs));
        Assert.All(facts.Lesions, l => Missing(code == "neuropathic-pain" ? l.NeuropathicPain : l.AnalgesicRefractoryPain));
    }

    [Fact]
    public void Conflicting_neuropathic_pain_at_the_same_time_is_a_conflict_not_absent()
    {
        var b = PatientBundle.WithPatient();
        var rib = b.Lesion("rib", "113197003");
        var yes = b.Item("yes", "neuropathic-pain", new FhirBoolean(true), rib, "2026-03-12");
        var no = b.Item("no", "neuropathic-pain", new FhirBoolean(false), rib, "2026-03-12");
        var patientYes = b.Item("p-yes", "neuropathic-pain", new FhirBoolean(true), effective: "2026-03-11");
        var patientNo = b.Item("p-no", "neuropathic-pain", new FhirBoolean(false), effective: "2026-03-11");

        var facts = Facts(b);

        Conflict(Lesion(facts, b.Key(rib)).NeuropathicPain, b.Key(yes), b.Key(no));
        Conflict(facts.NeuropathicPain, b.Key(patientYes), b.Key(patientNo));
    }

    [Fact]
    public void ECOG_and_Karnofsky_at_the_same_time_are_a_conflict()
    {
        var b = PatientBundle.WithPatient();
        var ecog = b.LoincObservation("ecog", EcogLoinc, new Integer(1), effective: "2026-03-10");
        var kps = b.LoincObservation("kps", KarnofskyLoinc, new Integer(40), effective: "2026-03-10");

        Conflict(Facts(b).Performance, b.Key(ecog), b.Key(kps));
    }
}
