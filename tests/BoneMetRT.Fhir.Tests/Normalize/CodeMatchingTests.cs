using BoneMetRT.Domain.Facts;
using BoneMetRT.Fhir.Normalize;
using BoneMetRT.Fhir.Tests.Builders;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;
using static BoneMetRT.Fhir.Tests.Builders.Normalized;

namespace BoneMetRT.Fhir.Tests.Normalize;

/// <summary>
/// Lesion, primary-cancer and bone-site codes are matched by the package's shipped value-set expansions (issue 10):
/// SNOMED CT descendants listed there, ICD-10 / ICD-10-CM / CIM-10 by category, mCODE-style secondary neoplasms by
/// their bodySite, and only in the accepted code systems.
/// </summary>
public sealed class CodeMatchingTests
{
    private const string Icd9Cm = "http://hl7.org/fhir/sid/icd-9-cm";

    [Theory]
    [InlineData(CodeSystems.Snomed, "94222008")]
    [InlineData(CodeSystems.Snomed, "94602001")] // secondary malignant neoplasm of vertebral column: a descendant
    [InlineData(CodeSystems.Icd10, "C79.5")]
    [InlineData(CodeSystems.Icd10Cm, "C79.51")]
    [InlineData(CodeSystems.Icd10Cm, "C79.52")]
    [InlineData(CodeSystems.Cim10, "C795")]
    [InlineData(CodeSystems.Cim10, "C79.5")]  // the same code written with its dot
    [InlineData(CodeSystems.Icd10, "c79.5")]  // ICD codes are not case-sensitive
    public void Lesion_codes_of_the_value_set_are_lesions(string system, string code)
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Condition("met", system, code);
        lesion.BodySite.Add(new CodeableConcept(CodeSystems.Snomed, "7610001")); // T10 vertebra

        var l = Lesion(Facts(b), b.Key(lesion));

        Assert.Equal(BoneKind.Vertebra, l.Kind);
        Assert.Equal("T10", l.Level);
    }

    [Theory]
    [InlineData(CodeSystems.Snomed, "9422200")]     // a prefix of a SNOMED code is another code
    [InlineData(CodeSystems.Snomed, "942220081")]
    [InlineData(CodeSystems.Icd10, "C79")]          // the parent category (any secondary) is not a bone metastasis
    [InlineData(CodeSystems.Icd10, "C79.3")]        // brain
    [InlineData(CodeSystems.Icd10Cm, "C79.49")]
    [InlineData("http://example.org/local", "C79.5")] // the code of another system is another code
    public void Codes_outside_the_value_set_are_not_lesions(string system, string code)
    {
        var b = PatientBundle.WithPatient();
        var c = b.Condition("met", system, code);
        c.BodySite.Add(new CodeableConcept(CodeSystems.Snomed, "7610001"));

        Assert.Empty(Facts(b).Lesions);
    }

    [Fact]
    public void Every_vertebra_of_the_bone_site_value_sets_has_the_level_its_label_names()
    {
        var vertebrae = ShippedValueSets.BoneSites.Where(s => s.Value.Kind == BoneKind.Vertebra).ToList();

        Assert.Equal(57, vertebrae.Count);
        Assert.Equal(46, vertebrae.Count(v => v.Value.Level is not null)); // the vertebrae C1–L5 (24) and their bodies C3–L5 (22); regions have none
        Assert.Equal("T10", ShippedValueSets.BoneSites["7610001"].Level);
        Assert.Equal("C1", ShippedValueSets.BoneSites["14806007"].Level);
        Assert.Null(ShippedValueSets.BoneSites["54735007"].Level); // sacrum: the level is read from the text
        Assert.Equal("humerus", ShippedValueSets.BoneSites["85050009"].Label);
    }

    [Theory]
    [InlineData("71341001", BoneKind.LongBone, MirelsSite.LowerLimb)] // femur
    [InlineData("7610001", BoneKind.Vertebra, null)]                  // T10
    [InlineData("113197003", BoneKind.Other, null)]                   // rib
    public void A_secondary_neoplasm_with_a_bone_body_site_is_a_lesion_of_that_bone(string bodySite, BoneKind kind, MirelsSite? site)
    {
        var b = PatientBundle.WithPatient();
        var c = b.Condition("met", CodeSystems.Snomed, SecondaryNeoplasmSnomed);
        c.BodySite.Add(new CodeableConcept(CodeSystems.Snomed, bodySite));

        var result = Run(b);

        var l = Lesion(result.Value!.Facts, b.Key(c));
        Assert.Equal(kind, l.Kind);
        if (site is { } s)
        {
            Present(l.Site, s, b.Key(c));
        }

        Assert.DoesNotContain(result.Issues, i => i.Expressions.Any(e => e.StartsWith(b.Expr(c), StringComparison.Ordinal)));
        Assert.Contains(b.IndexOf(c), result.Value.Used);
    }

    [Theory]
    [InlineData("10200004", "bodySite")] // liver structure: not a bone
    [InlineData("999999999", "bodySite")] // a site the engine does not know: not guessed to be a bone
    [InlineData(null, "code")]            // no site at all
    public void A_secondary_neoplasm_not_known_to_be_in_bone_is_reported_and_not_counted(string? bodySite, string element)
    {
        var b = PatientBundle.WithPatient();
        var c = b.Condition("met", CodeSystems.Snomed, SecondaryNeoplasmSnomed);
        if (bodySite is not null)
        {
            c.BodySite.Add(new CodeableConcept(CodeSystems.Snomed, bodySite));
        }

        var result = Run(b);

        Assert.Empty(result.Value!.Facts.Lesions);
        Missing(result.Value.Facts.VisceralMetastases); // nor read as a visceral metastasis
        var warning = Assert.Single(result.Issues, i => i.Severity == OperationOutcome.IssueSeverity.Warning);
        Assert.Equal([b.Expr(c, element)], warning.Expressions);
        Assert.Contains("not counted as a bone lesion", warning.Text.En, StringComparison.Ordinal);
        Assert.Contains("n'est compté ni comme lésion osseuse", warning.Text.Fr, StringComparison.Ordinal);
        Ignored(result.Issues, b.Expr(c));
    }

    [Theory]
    [InlineData(CodeSystems.Icd10Cm, "C50.411", PrimaryTumourType.Breast)]
    [InlineData(CodeSystems.Cim10, "C504", PrimaryTumourType.Breast)]
    [InlineData(CodeSystems.Cim10, "C61", PrimaryTumourType.Prostate)]
    [InlineData(CodeSystems.Cim10, "C900", PrimaryTumourType.MyelomaLymphoma)]
    [InlineData(CodeSystems.Icd10Cm, "C4A.9", PrimaryTumourType.Other)] // Merkel cell: ICD-10-CM only
    [InlineData(CodeSystems.Icd10Cm, "C7A.00", PrimaryTumourType.Other)]
    public void Primary_from_ICD10_CM_and_CIM10(string system, string code, PrimaryTumourType type)
    {
        var b = PatientBundle.WithPatient();
        var primary = b.Condition("primary", system, code);

        Present(Facts(b).PrimaryTumour, type, b.Key(primary));
    }

    [Theory]
    [InlineData(CodeSystems.Icd10, "C97")]   // several independent primaries: the type is not known
    [InlineData(CodeSystems.Icd10, "C35")]   // not an ICD-10 category
    [InlineData(CodeSystems.Icd10, "C77.0")] // a secondary of lymph nodes is not a primary
    public void Codes_that_are_no_primary_category_are_not_primaries(string system, string code)
    {
        var b = PatientBundle.WithPatient();
        b.Condition("primary", system, code);

        Missing(Facts(b).PrimaryTumour);
    }

    [Fact]
    public void A_lesion_coded_in_a_system_the_service_does_not_accept_is_ignored_naming_the_system()
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Condition("met", CodeSystems.Icd10Cm, "C79.51");
        lesion.BodySite.Add(new CodeableConcept(CodeSystems.Snomed, "71341001"));
        var accepted = new TerminologySettings([CodeSystems.Snomed, CodeSystems.Icd10, CodeSystems.Cim10]);

        var result = Normalizer.Normalize(b.Bundle, "Bundle", null, AssessmentDate, accepted);

        Assert.True(result.IsSuccess);
        Assert.Empty(result.Value.Facts.Lesions);
        var ignored = Ignored(result.Issues, b.Expr(lesion));
        Assert.Contains(CodeSystems.Icd10Cm, ignored.Text.En, StringComparison.Ordinal);
        Assert.Contains("BoneMetRT:Terminology:AcceptedSystems", ignored.Text.En, StringComparison.Ordinal);
        Assert.Contains(CodeSystems.Icd10Cm, ignored.Text.Fr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_lesion_is_read_when_its_system_is_accepted()
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Condition("met", CodeSystems.Icd10Cm, "C79.51");
        lesion.BodySite.Add(new CodeableConcept(CodeSystems.Snomed, "71341001"));

        var result = Normalizer.Normalize(b.Bundle, "Bundle", null, AssessmentDate, TerminologySettings.Default);

        Assert.True(result.IsSuccess);
        Assert.Equal(BoneKind.LongBone, Lesion(result.Value.Facts, b.Key(lesion)).Kind);
        NotIgnored(result.Issues, b.Expr(lesion));
    }

    [Fact]
    public void A_coding_in_an_accepted_system_still_counts_beside_one_that_is_not()
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Condition("met", Icd9Cm, "198.5");
        lesion.Code!.Coding.Add(new Coding(CodeSystems.Snomed, BoneMetastasisSnomed));
        lesion.BodySite.Add(new CodeableConcept(CodeSystems.Snomed, "71341001"));

        Assert.Single(Facts(b).Lesions);
    }

    [Fact]
    public void A_lesion_coded_only_in_an_unknown_system_is_ignored_naming_it()
    {
        var b = PatientBundle.WithPatient();
        var lesion = b.Condition("met", Icd9Cm, "198.5");

        var result = Run(b);

        Assert.Empty(result.Value!.Facts.Lesions);
        Assert.Contains(Icd9Cm, Ignored(result.Issues, b.Expr(lesion)).Text.En, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://hl7.org/fhir/sid/icd-9-cm")]
    [InlineData(CodeSystems.Snomed + " http://snomed.info/sct/")] // a near miss is another URI
    public void Accepted_systems_must_be_systems_the_value_sets_list(string spaceSeparated)
    {
        var systems = spaceSeparated.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.NotNull(TerminologySettings.Problem(systems));
        Assert.Throws<ArgumentException>(() => new TerminologySettings(systems));
    }

    [Fact]
    public void By_default_every_listed_system_is_accepted()
    {
        Assert.Equal([CodeSystems.Snomed, CodeSystems.Icd10, CodeSystems.Icd10Cm, CodeSystems.Cim10], TerminologySettings.Default.Accepted);
        Assert.Null(TerminologySettings.Problem([CodeSystems.Cim10]));
    }
}
