using BoneMetRT.Fhir.Tests.Builders;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Tests.Builders.Assessed;

namespace BoneMetRT.Fhir.Tests.Denormalize;

/// <summary>Contract §3: one CarePlan, draft proposal, categorised by situation, every activity a recommendation.</summary>
public sealed class CarePlanTests
{
    public static TheoryData<string> AllScenarios => ["mirels7", "mirels8", "mirels10", "rades", "rades1", "rades2", "postop", "postop-unhealed", "both", "pain"];

    internal static Scenarios.Case Make(string name) => name switch
    {
        "mirels7" => Scenarios.Mirels7(),
        "mirels8" => Scenarios.Mirels8(),
        "mirels10" => Scenarios.Mirels10(),
        "rades" => Scenarios.Rades(),
        "rades1" => Scenarios.RadesGroup1(),
        "rades2" => Scenarios.RadesGroup2(),
        "postop" => Scenarios.PostOperativeFemur(),
        "postop-unhealed" => Scenarios.PostOperativeFemur(false),
        "both" => Scenarios.RadesAndMirels(),
        "pain" => Scenarios.PainfulRib(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(AllScenarios))]
    public void One_draft_proposal_CarePlan_for_the_patient(string scenario)
    {
        var response = Run(Make(scenario).B);

        var plan = Assert.Single(response.All<CarePlan>());
        Assert.Equal(RequestStatus.Draft, plan.Status);
        Assert.Equal(CarePlan.CarePlanIntent.Proposal, plan.Intent);
        Assert.Equal(PatientBundle.Server + "Patient/p1", plan.Subject.Reference);
    }

    [Theory]
    [InlineData("mirels8", new[] { "fracture-prevention" })]
    [InlineData("rades", new[] { "mscc" })]
    [InlineData("postop", new[] { "postoperative" })]
    [InlineData("pain", new[] { "pain" })]
    [InlineData("both", new[] { "fracture-prevention", "mscc" })]
    public void Categories_are_the_situations(string scenario, string[] situations)
    {
        var plan = Assert.Single(Run(Make(scenario).B).All<CarePlan>());

        Assert.Equal(situations.Order(), plan.Category.Select(c => c.BoneMet()).Order());
    }

    [Fact]
    public void Addresses_the_lesion_and_compression_Conditions()
    {
        var c = Scenarios.RadesAndMirels();
        var femur = Assert.IsType<Condition>(c.B.Bundle.Entry.Single(e => e.Resource?.Id == "femur").Resource);

        var plan = Assert.Single(Run(c.B).All<CarePlan>());

        var addressed = plan.Addresses.Select(r => r.Reference).ToList();
        Assert.Contains(c.B.FullUrl(c.Mscc!), addressed);
        Assert.Contains(c.B.FullUrl(femur), addressed);
        Assert.Contains(c.B.FullUrl(c.Lesion!), addressed);
        Assert.All(addressed, a => Assert.StartsWith(PatientBundle.Server + "Condition/", a, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(AllScenarios))]
    public void Supporting_info_is_exactly_the_RiskAssessments(string scenario)
    {
        var response = Run(Make(scenario).B);

        var plan = Assert.Single(response.All<CarePlan>());
        Assert.Equal(response.All<RiskAssessment>().Select(response.FullUrlOf).Order(), plan.SupportingInfo.Select(r => r.Reference).Order());
    }

    [Theory]
    [MemberData(nameof(AllScenarios))]
    public void Every_activity_carries_its_recommendation_code(string scenario)
    {
        var plan = Assert.Single(Run(Make(scenario).B).All<CarePlan>());

        Assert.NotEmpty(plan.Activity);
        Assert.All(plan.Activity, a => Assert.False(string.IsNullOrEmpty(a.Recommendation())));
    }

    [Theory]
    [MemberData(nameof(AllScenarios))]
    public void Radiotherapy_activities_reference_a_RequestGroup_and_the_others_carry_a_detail(string scenario)
    {
        var response = Run(Make(scenario).B);

        var plan = Assert.Single(response.All<CarePlan>());
        foreach (var activity in plan.Activity)
        {
            if (activity.Recommendation() == "radiotherapy")
            {
                Assert.Null(activity.Detail);
                var group = Assert.IsType<RequestGroup>(response.Resolve(activity.Reference!));
                Assert.Equal("radiotherapy", group.Code.BoneMet());
            }
            else if (activity.Reference is null)
            {
                Assert.Equal(activity.Recommendation(), activity.Detail!.Code.BoneMet());
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllScenarios))]
    public void Every_RequestGroup_is_the_activity_of_exactly_one_CarePlan_activity_and_every_ServiceRequest_an_action_of_one_group(string scenario)
    {
        var response = Run(Make(scenario).B);

        var plan = Assert.Single(response.All<CarePlan>());
        var groups = response.All<RequestGroup>();
        foreach (var group in groups)
        {
            Assert.Single(plan.Activity, a => a.Reference?.Reference == response.FullUrlOf(group));
        }

        Assert.All(plan.Activity, a => Assert.DoesNotContain(response.All<ServiceRequest>(), sr => a.Reference?.Reference == response.FullUrlOf(sr)));
        foreach (var sr in response.All<ServiceRequest>())
        {
            Assert.Single(groups, g => RequestGroupTests.Leaves(g).Any(x => x.Resource?.Reference == response.FullUrlOf(sr)));
        }
    }

    [Fact]
    public void Mirels_8_gives_a_tumour_board_activity_and_radiotherapy()
    {
        var plan = Assert.Single(Run(Scenarios.Mirels8().B).All<CarePlan>());

        Assert.Contains(plan.Activity, a => a.Recommendation() == "tumour-board-review");
        Assert.Contains(plan.Activity, a => a.Recommendation() == "radiotherapy");
    }

    [Fact]
    public void Mirels_10_gives_prophylactic_fixation_first_then_post_operative_radiotherapy_stated_as_after_it()
    {
        var bundle = Run(Scenarios.Mirels10().B);
        var plan = Assert.Single(bundle.All<CarePlan>());

        var fixation = plan.Activity.FindIndex(a => a.Recommendation() == "prophylactic-fixation");
        var radiotherapy = plan.Activity.FindIndex(a => a.Recommendation() == "radiotherapy");
        Assert.True(fixation >= 0 && radiotherapy > fixation);
        // The order itself is machine-readable in the RequestGroup (RequestGroupTests); the text still says it.
        Assert.All(bundle.All<ServiceRequest>().Where(sr => sr.Category[0].BoneMet() == "radiotherapy"), sr =>
        {
            Assert.Null(sr.Occurrence); // the operation has no date yet
            Assert.Contains("15 to 21 days after", sr.Text!.Div, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Uncomplicated_painful_lesion_gets_corticosteroid_cover_with_the_single_fraction()
    {
        var plan = Assert.Single(Run(Scenarios.PainfulRib().B).All<CarePlan>());

        var cover = Assert.Single(plan.Activity, a => a.Recommendation() == "corticosteroid-cover");
        Assert.Equal("corticosteroid-cover", cover.Detail!.Code.BoneMet());
    }
}
