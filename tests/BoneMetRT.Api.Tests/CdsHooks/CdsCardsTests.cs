using BoneMetRT.Api.Features.CdsHooks;
using BoneMetRT.Domain;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Tests.CdsHooks;

/// <summary>
/// The card builder on answers the current engine does not give yet: recommendation codes it does not know (the lead's
/// <c>reirradiation-review</c>, <c>orthopaedic-surgery-opinion</c>) and several compressions at once.
/// </summary>
public sealed class CdsCardsTests
{
    private const string BoneMet = "https://bonemetrt.org/fhir/CodeSystem/bonemet";
    private static readonly CdsLinkTargets Links = new("https://bonemetrt.example/app/launch.html", "https://bonemetrt.example/app/guideline.html");

    private static Condition Lesion(string id, string site) => new()
    {
        Id = id,
        Code = new CodeableConcept("http://snomed.info/sct", "94222008"),
        BodySite = [new CodeableConcept { Text = site }],
        Subject = new ResourceReference("Patient/p1"),
    };

    private static CarePlan.ActivityComponent Decision(string code, string lesion, string text) => new()
    {
        Extension = [new Extension(BoneMetRT.Fhir.PackageCanonicals.ActivityRecommendationExtension, new CodeableConcept(BoneMet, code))],
        Detail = new CarePlan.DetailComponent { Code = new CodeableConcept(BoneMet, code) { Text = text }, Description = text, ReasonReference = [new ResourceReference(lesion)] },
    };

    private static (CarePlan.ActivityComponent, Bundle.EntryComponent) Urgent(string n, string lesion)
    {
        var sr = new ServiceRequest
        {
            Id = $"sr-{n}",
            Status = RequestStatus.Draft,
            Intent = RequestIntent.Proposal,
            Priority = RequestPriority.Urgent,
            Code = new CodeableConcept { Coding = [new Coding("http://snomed.info/sct", "1217123003"), new Coding(BoneMet, "rt-20gy-5fx")], Text = "20 Gy in 5 fractions" },
            Subject = new ResourceReference("Patient/p1"),
            ReasonReference = [new ResourceReference(lesion)],
        };
        sr.Extension.Add(new Extension(BoneMetRT.Fhir.PackageCanonicals.RegimenPreferenceExtension, new Code("preferred")));
        var entry = new Bundle.EntryComponent { FullUrl = $"urn:uuid:00000000-0000-4000-8000-00000000000{n}", Resource = sr };
        var activity = new CarePlan.ActivityComponent
        {
            Extension = [new Extension(BoneMetRT.Fhir.PackageCanonicals.ActivityRecommendationExtension, new CodeableConcept(BoneMet, "radiotherapy"))],
            Reference = new ResourceReference(entry.FullUrl),
        };
        return (activity, entry);
    }

    private static IReadOnlyList<CdsCard> Cards(params CarePlan.ActivityComponent[] activities) => Cards(activities, []);

    private static IReadOnlyList<CdsCard> Cards(CarePlan.ActivityComponent[] activities, Bundle.EntryComponent[] requests)
    {
        var input = new Bundle { Type = Bundle.BundleType.Collection };
        input.Entry.Add(new Bundle.EntryComponent { FullUrl = "https://ehr/fhir/Patient/p1", Resource = new Patient { Id = "p1" } });
        foreach (var (id, site) in new[] { ("l1", "T4 vertebra"), ("l2", "L2 vertebra"), ("l3", "Left femur") })
        {
            input.Entry.Add(new Bundle.EntryComponent { FullUrl = $"https://ehr/fhir/Condition/{id}", Resource = Lesion(id, site) });
        }

        var plan = new CarePlan { Id = "cp", Status = RequestStatus.Draft, Intent = CarePlan.CarePlanIntent.Proposal, Subject = new ResourceReference("Patient/p1"), Activity = [.. activities] };
        var result = new Bundle { Type = Bundle.BundleType.Collection };
        result.Entry.Add(new Bundle.EntryComponent { FullUrl = "urn:uuid:cp", Resource = plan });
        result.Entry.AddRange(requests);
        return CdsCards.PatientView(CdsProposal.Read(result, input), Language.En, Links);
    }

    [Fact]
    public void Unknown_recommendation_codes_give_an_info_card_with_their_own_text()
    {
        // A re-irradiation is known and never routine: a warning.
        var card = Assert.Single(Cards(Decision("reirradiation-review", "Condition/l3", "Discuss re-irradiation of the left femur")));
        Assert.Equal("warning", card.Indicator);
        Assert.Contains("re-irradiation review", card.Summary, StringComparison.Ordinal);
        var other = Assert.Single(Cards(Decision("some-future-code", "Condition/l3", "A recommendation this service has never seen")));
        Assert.Equal("info", other.Indicator);
        Assert.Contains("A recommendation this service has never seen", other.Summary, StringComparison.Ordinal);
        Assert.Contains("A recommendation this service has never seen", other.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_compressions_give_one_critical_card_each()
    {
        var (a1, r1) = Urgent("1", "Condition/l1");
        var (a2, r2) = Urgent("2", "Condition/l2");
        var cards = Cards([a1, a2, Decision("orthopaedic-surgery-opinion", "Condition/l3", "Orthopaedic surgery opinion on the left femur")], [r1, r2]);
        Assert.Equal(["critical", "critical", "warning"], cards.Select(c => c.Indicator)); // an established fracture: warning
        Assert.Contains("T4 vertebra", cards[0].Summary, StringComparison.Ordinal);
        Assert.Contains("L2 vertebra", cards[1].Summary, StringComparison.Ordinal);
        Assert.Contains("orthopaedic surgery opinion", cards[2].Summary, StringComparison.Ordinal);
        // Each card creates its own part of the plan, so accepting all three creates each activity once.
        var plans = cards.Select(c => c.Suggestions![0].Actions[0].Resource).ToList();
        Assert.Equal(["cp-1", "cp-2", "cp-3"], plans.Select(p => p["id"]!.GetValue<string>()));
        Assert.All(plans, p => Assert.Single(p["activity"]!.AsArray()));
        // The created request keeps its id: the plan points at it by that id.
        Assert.Equal("ServiceRequest/sr-1", plans[0]["activity"]![0]!["reference"]!["reference"]!.GetValue<string>());
    }

    [Fact]
    public void No_activity_no_card() => Assert.Empty(Cards());

    [Fact]
    public void Summaries_stay_under_140_characters()
    {
        var card = Assert.Single(Cards(Decision("reirradiation-review", "Condition/l3", new string('x', 500))));
        Assert.True(card.Summary.Length < 140);
    }
}
