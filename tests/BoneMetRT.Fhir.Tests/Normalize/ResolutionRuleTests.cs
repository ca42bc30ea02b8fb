using BoneMetRT.Domain.Facts;
using BoneMetRT.Fhir.Tests.Builders;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Tests.Builders.Normalized;
using static BoneMetRT.Fhir.Tests.Builders.PatientBundle;

namespace BoneMetRT.Fhir.Tests.Normalize;

/// <summary>
/// Guideline §8 and the contract's rules on several values of one item: the most recent effective[x] wins, a tie of
/// different values is a conflict, a tie of equal values is one value, the explicit observation wins over the standard
/// form, and entered-in-error / cancelled / registered observations are ignored.
/// </summary>
public sealed class ResolutionRuleTests
{
    [Fact]
    public void Most_recent_effective_wins()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        b.Item("old", "mirels-pain", Answer("mild"), femur, "2026-01-15");
        var recent = b.Item("new", "mirels-pain", Answer("functional"), femur, "2026-03-11");

        Present(Lesion(Facts(b), b.Key(femur)).Pain, MirelsPain.Functional, b.Key(recent));
    }

    [Fact]
    public void Most_recent_wins_whatever_the_order_of_the_entries()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var recent = b.Item("new", "mirels-pain", Answer("mild"), femur, "2026-03-11");
        b.Item("old", "mirels-pain", Answer("functional"), femur, "2026-01-15");

        Present(Lesion(Facts(b), b.Key(femur)).Pain, MirelsPain.Mild, b.Key(recent));
    }

    [Fact]
    public void Instants_are_compared_across_time_zones()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var later = b.Item("a", "mirels-pain", Answer("moderate"), femur, "2026-03-10T09:30:00+01:00"); // 08:30Z
        b.Item("b", "mirels-pain", Answer("mild"), femur, "2026-03-10T09:00:00+00:00");                  // 09:00Z

        var fact = Lesion(Facts(b), b.Key(femur)).Pain;

        // 09:00Z is later than 08:30Z.
        Assert.Equal(MirelsPain.Mild, fact.Value);
        Assert.DoesNotContain(b.Key(later), fact.Sources);
    }

    [Fact]
    public void Effective_period_counts_from_its_start()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var period = b.Item("p", "mirels-pain", Answer("moderate"), femur);
        period.Effective = new Period(new FhirDateTime("2026-03-12"), new FhirDateTime("2026-03-13"));
        b.Item("d", "mirels-pain", Answer("mild"), femur, "2026-03-11");

        Present(Lesion(Facts(b), b.Key(femur)).Pain, MirelsPain.Moderate, b.Key(period));
    }

    [Fact]
    public void Issued_dates_an_Observation_without_effective()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var issued = b.Item("issued", "mirels-pain", Answer("moderate"), femur);
        issued.Issued = new DateTimeOffset(2026, 3, 12, 8, 0, 0, TimeSpan.Zero);
        b.Item("effective", "mirels-pain", Answer("mild"), femur, "2026-03-11");

        Present(Lesion(Facts(b), b.Key(femur)).Pain, MirelsPain.Moderate, b.Key(issued));
    }

    [Fact]
    public void A_dated_value_wins_over_an_undated_one()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        b.Item("undated", "mirels-pain", Answer("functional"), femur);
        var dated = b.Item("dated", "mirels-pain", Answer("mild"), femur, "2020-01-01");

        Present(Lesion(Facts(b), b.Key(femur)).Pain, MirelsPain.Mild, b.Key(dated));
    }

    [Fact]
    public void Tie_with_different_values_is_a_conflict_naming_both_sources()
    {
        var b = PatientBundle.WithPatient();
        var humerus = b.Lesion("humerus", "85050009");
        var a = b.Item("a", "mirels-pain", Answer("moderate"), humerus, "2026-03-10T09:30:00+01:00");
        var c = b.Item("c", "mirels-pain", Answer("functional"), humerus, "2026-03-10T09:30:00+01:00");

        var result = Run(b);

        var fact = Lesion(result.Value!.Facts, b.Key(humerus)).Pain;
        Assert.Equal(FactState.Conflicting, fact.State);
        Assert.Equal([b.Key(a), b.Key(c)], fact.Sources.Order(StringComparer.Ordinal));
        // A conflict is not a request error (contract §3): Normalize succeeds and both inputs count as used.
        Assert.DoesNotContain(result.Issues, i => i.IsError);
        NotIgnored(result.Issues, b.Expr(a));
        NotIgnored(result.Issues, b.Expr(c));
    }

    [Fact]
    public void Tie_with_equal_values_is_present_with_both_sources()
    {
        var b = PatientBundle.WithPatient();
        var humerus = b.Lesion("humerus", "85050009");
        var a = b.Item("a", "lesion-type", Answer("lytic"), humerus, "2026-03-10");
        var c = b.Item("c", "lesion-type", Answer("lytic"), humerus, "2026-03-10");

        Present(Lesion(Facts(b), b.Key(humerus)).Type, LesionType.Lytic, b.Key(a), b.Key(c));
    }

    [Fact]
    public void Tie_of_two_undated_different_values_is_a_conflict()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        b.Item("a", "lesion-type", Answer("lytic"), femur);
        b.Item("c", "lesion-type", Answer("blastic"), femur);

        Assert.Equal(FactState.Conflicting, Lesion(Facts(b), b.Key(femur)).Type.State);
    }

    [Fact]
    public void Tie_of_percentages_in_the_same_Mirels_band_is_one_value()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var a = b.Item("a", "mirels-size", Pct(40), femur, "2026-03-10");
        var c = b.Item("c", "mirels-size", Pct(60), femur, "2026-03-10");

        Present(Lesion(Facts(b), b.Key(femur)).Size, MirelsSize.OneToTwoThirds, b.Key(a), b.Key(c));
    }

    [Fact]
    public void Explicit_mirels_site_wins_over_the_body_site()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001"); // lower limb from bodySite
        var site = b.Item("site", "mirels-site", Answer("peritrochanteric"), femur);

        Present(Lesion(Facts(b), b.Key(femur)).Site, MirelsSite.Peritrochanteric, b.Key(site));
    }

    [Fact]
    public void Explicit_coded_mirels_size_wins_over_an_older_percentage()
    {
        // Contract §2: the % quantity is the standard form, the coded band the explicit one; the explicit one wins.
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var coded = b.Item("coded", "mirels-size", Answer("gt-two-thirds"), femur, "2026-03-10");
        b.Item("percent", "mirels-size", Pct(20), femur, "2026-03-01");

        Present(Lesion(Facts(b), b.Key(femur)).Size, MirelsSize.MoreThanTwoThirds, b.Key(coded));
    }

    [Fact]
    public void A_more_recent_percentage_in_another_band_than_the_explicit_size_is_a_conflict()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var coded = b.Item("coded", "mirels-size", Answer("gt-two-thirds"), femur, "2026-03-01");
        var percent = b.Item("percent", "mirels-size", Pct(20), femur, "2026-03-10");

        Conflict(Lesion(Facts(b), b.Key(femur)).Size, b.Key(coded), b.Key(percent));
    }

    [Fact]
    public void A_more_recent_percentage_in_the_same_band_confirms_the_explicit_size()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var coded = b.Item("coded", "mirels-size", Answer("lt-one-third"), femur, "2026-03-01");
        var percent = b.Item("percent", "mirels-size", Pct(20), femur, "2026-03-10");

        Present(Lesion(Facts(b), b.Key(femur)).Size, MirelsSize.LessThanOneThird, b.Key(coded), b.Key(percent));
    }

    [Fact]
    public void Explicit_primary_tumour_type_wins_over_the_primary_Condition()
    {
        var b = PatientBundle.WithPatient();
        b.Condition("primary", CodeSystems.Icd10, "C50.4");
        var obs = b.Item("ptt", "primary-tumour-type", Answer("other"), effective: "2020-01-01");

        Present(Facts(b).PrimaryTumour, PrimaryTumourType.Other, b.Key(obs));
    }

    [Fact]
    public void Explicit_visceral_metastases_wins_over_an_older_or_undated_visceral_Condition()
    {
        var b = PatientBundle.WithPatient();
        b.Condition("liver", CodeSystems.Icd10, "C78.7", onset: "2025-12-01");
        b.Condition("brain", CodeSystems.Snomed, "94225005");
        var obs = b.Item("visc", "visceral-metastases", new FhirBoolean(false), effective: "2026-01-15");

        Present(Facts(b).VisceralMetastases, false, b.Key(obs));
    }

    [Theory]
    [InlineData("onset")]
    [InlineData("recordedDate")]
    public void An_old_explicit_no_against_a_newer_active_visceral_Condition_is_a_conflict(string dated)
    {
        // The issue's case: "visceral metastases: no" in January 2025, a liver metastasis diagnosed in February 2026.
        // Rades item 3 and oligometastatic eligibility must not be read from the old "no".
        var b = PatientBundle.WithPatient();
        var liver = b.Condition("liver", CodeSystems.Snomed, "94381002", onset: dated == "onset" ? "2026-02" : null);
        if (dated == "recordedDate")
        {
            liver.RecordedDate = "2026-02-10";
        }

        var obs = b.Item("visc", "visceral-metastases", new FhirBoolean(false), effective: "2025-01-20");

        var result = Run(b);

        Conflict(result.Value!.Facts.VisceralMetastases, b.Key(obs), b.Key(liver));
        NotIgnored(result.Issues, b.Expr(obs));
        NotIgnored(result.Issues, b.Expr(liver));
    }

    [Fact]
    public void A_visceral_Condition_in_the_same_year_as_the_explicit_no_is_not_known_to_be_newer()
    {
        // A partial date counts as after only when its first possible day is after.
        var b = PatientBundle.WithPatient();
        b.Condition("liver", CodeSystems.Snomed, "94381002", onset: "2025");
        var obs = b.Item("visc", "visceral-metastases", new FhirBoolean(false), effective: "2025-06-01");

        Present(Facts(b).VisceralMetastases, false, b.Key(obs));
    }

    [Theory]
    [InlineData(ObservationStatus.EnteredInError)]
    [InlineData(ObservationStatus.Cancelled)]
    [InlineData(ObservationStatus.Registered)]
    public void Observation_with_an_excluded_status_is_ignored_and_reported(ObservationStatus status)
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var kept = b.Item("kept", "mirels-pain", Answer("mild"), femur, "2026-03-05");
        var dropped = b.Item("dropped", "mirels-pain", Answer("functional"), femur, "2026-03-12", status);

        var result = Run(b);

        Present(Lesion(result.Value!.Facts, b.Key(femur)).Pain, MirelsPain.Mild, b.Key(kept));
        Ignored(result.Issues, b.Expr(dropped));
    }

    [Fact]
    public void Observation_with_an_excluded_status_is_ignored_even_when_its_value_is_invalid()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var dropped = b.Item("dropped", "mirels-size", new FhirString("big"), femur, status: ObservationStatus.EnteredInError);

        var result = Run(b);

        Assert.NotNull(result.Value);
        Ignored(result.Issues, b.Expr(dropped));
    }

    [Theory]
    [InlineData(ObservationStatus.Final)]
    [InlineData(ObservationStatus.Amended)]
    [InlineData(ObservationStatus.Corrected)]
    [InlineData(ObservationStatus.Preliminary)]
    public void Observation_with_another_status_is_used(ObservationStatus status)
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        var obs = b.Item("pain", "mirels-pain", Answer("moderate"), femur, status: status);

        var result = Run(b);

        Present(Lesion(result.Value!.Facts, b.Key(femur)).Pain, MirelsPain.Moderate, b.Key(obs));
        NotIgnored(result.Issues, b.Expr(obs));
    }
}
