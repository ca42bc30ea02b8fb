using System.Text.RegularExpressions;
using BoneMetRT.Fhir.Tests.Builders;
using BoneMetRT.Fhir.Tests.Examples;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;
using static BoneMetRT.Fhir.Tests.Builders.Assessed;

namespace BoneMetRT.Fhir.Tests.Denormalize;

/// <summary>Contract §3: radiotherapy ServiceRequests (proposal, SNOMED + regimen, dose, preference, priority, window, target).</summary>
public sealed partial class ServiceRequestTests
{
    public static TheoryData<string> RadiotherapyScenarios => ["mirels7", "mirels8", "rades", "rades1", "rades2", "postop", "postop-unhealed", "both", "pain"];

    [Theory]
    [MemberData(nameof(RadiotherapyScenarios))]
    public void Every_ServiceRequest_is_a_proposed_radiotherapy_course_with_its_regimen(string scenario)
    {
        var response = Run(CarePlanTests.Make(scenario).B);

        var requests = response.All<ServiceRequest>();
        Assert.NotEmpty(requests);
        foreach (var sr in requests)
        {
            Assert.Equal(RequestIntent.Proposal, sr.Intent);
            Assert.Equal(PatientBundle.Server + "Patient/p1", sr.Subject.Reference);
            var course = Assert.Single(sr.Code!.Coding);
            Assert.Equal((CodeSystems.Snomed, RadiotherapyCourseSnomed), (course.System, course.Code));
            var category = Assert.Single(sr.Category);
            Assert.Equal((CodeSystems.Snomed, RadiotherapyOrderDetails.RadiotherapyCategorySnomed), (Assert.Single(category.Coding).System, category.Coding[0].Code));
            Assert.Matches(RegimenCode(), sr.Regimen());
            Assert.Single(sr.OrderDetail, d => d.Coding.Any(x => RegimenCode().IsMatch(x.Code ?? "")));
        }
    }

    [Theory]
    [MemberData(nameof(RadiotherapyScenarios))]
    public void Regimen_dose_extension_gives_the_total_dose_in_Gy_and_the_fractions_of_the_regimen(string scenario)
    {
        foreach (var sr in Run(CarePlanTests.Make(scenario).B).All<ServiceRequest>())
        {
            var match = RegimenCode().Match(sr.Regimen()!);
            var dose = Assert.Single(sr.Extension, e => e.Url == PackageCanonicals.RegimenDoseExtension);
            var total = Assert.IsType<Quantity>(dose.GetExtension("totalDose")!.Value);
            var fractions = Assert.IsType<PositiveInt>(dose.GetExtension("fractions")!.Value);
            Assert.Equal("Gy", total.Code);
            Assert.Equal(CodeSystems.Ucum, total.System);
            Assert.Equal(decimal.Parse(match.Groups["dose"].Value, System.Globalization.CultureInfo.InvariantCulture), total.Value);
            Assert.Equal(int.Parse(match.Groups["fx"].Value, System.Globalization.CultureInfo.InvariantCulture), fractions.Value);
        }
    }

    [Theory]
    [MemberData(nameof(RadiotherapyScenarios))]
    public void Exactly_one_preferred_regimen_per_lesion_radiotherapy(string scenario)
    {
        var requests = Run(CarePlanTests.Make(scenario).B).All<ServiceRequest>()
            .Where(sr => sr.Intent() == RadiotherapyOrderDetails.PalliativeIntentSnomed).ToList();

        Assert.NotEmpty(requests);
        Assert.All(requests, sr => Assert.Contains(sr.Preference(), new[] { "preferred", "alternative" }));
        foreach (var lesion in requests.GroupBy(sr => Assert.Single(sr.ReasonReference).Reference))
        {
            Assert.Single(lesion, sr => sr.Preference() == "preferred");
        }
    }

    [Theory]
    [InlineData("rades", "rt-30gy-10fx", "rt-20gy-5fx")]
    [InlineData("rades1", "rt-20gy-5fx", null)]
    [InlineData("pain", "rt-8gy-1fx", "rt-30gy-10fx")]
    [InlineData("postop", "rt-30gy-10fx", "rt-20gy-5fx")]
    public void Preferred_and_alternative_regimens(string scenario, string preferred, string? alternative)
    {
        var requests = Run(CarePlanTests.Make(scenario).B).All<ServiceRequest>();

        Assert.Equal(preferred, Assert.Single(requests, r => r.Preference() == "preferred").Regimen());
        if (alternative is not null)
        {
            Assert.Contains(requests, r => r.Preference() == "alternative" && r.Regimen() == alternative);
        }
    }

    [Theory]
    [InlineData("rades", RequestPriority.Urgent)]
    [InlineData("rades1", RequestPriority.Urgent)]
    [InlineData("pain", RequestPriority.Routine)]
    [InlineData("postop", RequestPriority.Routine)]
    [InlineData("mirels7", RequestPriority.Routine)]
    public void Priority_is_urgent_for_a_spinal_cord_compression_only(string scenario, RequestPriority priority)
    {
        Assert.All(Run(CarePlanTests.Make(scenario).B).All<ServiceRequest>(), sr => Assert.Equal(priority, sr.Priority));
    }

    [Fact]
    public void Post_operative_radiotherapy_carries_the_day_15_to_21_window()
    {
        var requests = Run(Scenarios.PostOperativeFemur().B).All<ServiceRequest>();

        Assert.NotEmpty(requests);
        Assert.All(requests, sr =>
        {
            var period = Assert.IsType<Period>(sr.Occurrence);
            Assert.Equal("2026-03-13", period.Start);
            Assert.Equal("2026-03-19", period.End);
            Assert.Equal(RequestStatus.Draft, sr.Status);
        });
    }

    [Fact]
    public void Post_operative_radiotherapy_on_unhealed_skin_is_on_hold()
    {
        var requests = Run(Scenarios.PostOperativeFemur(false).B).All<ServiceRequest>();

        Assert.NotEmpty(requests);
        Assert.All(requests, sr => Assert.Equal(RequestStatus.OnHold, sr.Status));
    }

    [Fact]
    public void Radiotherapy_outside_a_post_operative_window_has_no_occurrence()
    {
        Assert.All(Run(Scenarios.Rades().B).All<ServiceRequest>(), sr => Assert.Null(sr.Occurrence));
    }

    [Theory]
    [MemberData(nameof(RadiotherapyScenarios))]
    public void A_coded_order_detail_gives_the_target_volume_and_no_note_repeats_it(string scenario)
    {
        foreach (var sr in Run(CarePlanTests.Make(scenario).B).All<ServiceRequest>())
        {
            Assert.False(string.IsNullOrWhiteSpace(RadiotherapyOrderDetails.Text(sr, RadiotherapyOrderDetails.TargetVolume)));
            Assert.DoesNotContain(sr.Note, n => n.Text!.StartsWith("Target volume:", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(null, "one vertebra above and one below")]
    [InlineData(false, "one vertebra above and one below")]
    [InlineData(true, "two vertebrae above and two below")]
    public void Vertebral_target_volume_depends_on_epidural_extension(bool? epidural, string margin)
    {
        var c = Scenarios.Rades();
        if (epidural is { } e)
        {
            c.B.Item("epidural", "epidural-extension", new FhirBoolean(e), c.Lesion, "2026-03-10");
        }

        foreach (var sr in Run(c.B).All<ServiceRequest>())
        {
            var note = RadiotherapyOrderDetails.Text(sr, RadiotherapyOrderDetails.TargetVolume)!;
            Assert.Contains("T10", note, StringComparison.Ordinal);
            Assert.Contains(margin, note, StringComparison.Ordinal);
            Assert.Contains("transverse processes", note, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Long_bone_target_volume_is_the_whole_bone()
    {
        foreach (var sr in Run(Scenarios.Mirels7().B).All<ServiceRequest>())
        {
            var note = RadiotherapyOrderDetails.Text(sr, RadiotherapyOrderDetails.TargetVolume);
            Assert.Contains("whole", note, StringComparison.OrdinalIgnoreCase);
        }
    }

    [GeneratedRegex(@"^(rt|sbrt)-(?<dose>\d+)gy-(?<fx>\d+)fx$")]
    private static partial Regex RegimenCode();

    [Fact]
    public void Reason_is_the_lesion_and_supporting_info_its_risk_assessment()
    {
        var c = Scenarios.Rades();

        var response = Run(c.B);

        var ra = Assert.Single(response.All<RiskAssessment>());
        foreach (var sr in response.All<ServiceRequest>())
        {
            Assert.Equal(c.B.FullUrl(c.Lesion!), Assert.Single(sr.ReasonReference).Reference);
            Assert.Same(ra, response.Resolve(Assert.Single(sr.SupportingInfo)));
        }
    }

    [Theory]
    [MemberData(nameof(RadiotherapyScenarios))]
    public void Conventional_regimens_are_palliative_in_the_treatment_intent_extension(string scenario)
    {
        foreach (var sr in Run(CarePlanTests.Make(scenario).B).All<ServiceRequest>())
        {
            Assert.Equal(sr.Regimen()!.StartsWith("sbrt-", StringComparison.Ordinal) ? null : RadiotherapyOrderDetails.PalliativeIntentSnomed, sr.IntentSnomed());
        }
    }

    [Fact]
    public void Stereotactic_options_are_ablative_not_palliative()
    {
        var (kind, body) = ExampleSnapshotTests.Run(Path.Combine(ExampleCatalog.ValidFolder, "oligometastatic-prostate-two-sites.json"));
        Assert.Equal(OutcomeKind.Success, kind);
        var requests = Assert.IsType<Bundle>(body).All<ServiceRequest>().Where(sr => sr.Regimen()?.StartsWith("sbrt-", StringComparison.Ordinal) == true).ToList();

        Assert.NotEmpty(requests);
        Assert.All(requests, sr => Assert.Equal(RadiotherapyOrderDetails.AblativeIntent, sr.Intent()));
    }

    [Fact]
    public void Body_site_is_the_coded_site_of_the_lesion_condition()
    {
        var c = Scenarios.Rades();
        var lesion = c.Lesion!;
        Assert.NotEmpty(lesion.BodySite);

        foreach (var sr in Run(c.B).All<ServiceRequest>())
        {
            var site = Assert.Single(sr.BodySite);
            Assert.Equal(lesion.BodySite[0].Coding.Select(x => (x.System, x.Code)), site.Coding.Select(x => (x.System, x.Code)));
        }
    }

    [Fact]
    public void Spinal_cord_EQD2_is_a_coded_order_detail_for_a_vertebra()
    {
        foreach (var sr in Run(Scenarios.Rades().B).All<ServiceRequest>())
        {
            Assert.Contains("EQD2", RadiotherapyOrderDetails.Text(sr, RadiotherapyOrderDetails.CordEqd2), StringComparison.Ordinal);
        }

        Assert.All(Run(Scenarios.Mirels7().B).All<ServiceRequest>(), sr => Assert.Null(RadiotherapyOrderDetails.Text(sr, RadiotherapyOrderDetails.CordEqd2)));
    }
}
