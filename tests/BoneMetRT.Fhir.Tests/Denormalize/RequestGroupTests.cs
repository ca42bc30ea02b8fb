using BoneMetRT.Fhir.Tests.Builders;
using BoneMetRT.Fhir.Tests.Examples;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Tests.Builders.Assessed;

namespace BoneMetRT.Fhir.Tests.Denormalize;

/// <summary>
/// Issue 10 (CPG-on-FHIR form): each proposed radiotherapy course is a RequestGroup whose <c>course</c> action chooses
/// exactly one regimen ServiceRequest, the preferred one pre-checked; the step before it (fixation, surgical opinion,
/// specialised tumour board) is an action the course is related to, with the 15–21-day offset after surgery; healed
/// skin is an applicability condition.
/// </summary>
public sealed class RequestGroupTests
{
    /// <summary>Every action of a group that references a resource, at any depth.</summary>
    internal static IEnumerable<RequestGroup.ActionComponent> Leaves(RequestGroup group) =>
        group.Action.SelectMany(Flatten).Where(a => a.Resource is not null);

    private static IEnumerable<RequestGroup.ActionComponent> Flatten(RequestGroup.ActionComponent a) => [a, .. a.Action.SelectMany(Flatten)];

    private static RequestGroup.ActionComponent Course(RequestGroup g) => Assert.Single(g.Action, a => a.ElementId == "course");

    [Theory]
    [MemberData(nameof(CarePlanTests.AllScenarios), MemberType = typeof(CarePlanTests))]
    public void Each_course_chooses_exactly_one_regimen_with_the_preferred_one_prechecked(string scenario)
    {
        var response = Run(CarePlanTests.Make(scenario).B);

        foreach (var group in response.All<RequestGroup>())
        {
            Assert.Equal(RequestStatus.Draft, group.Status);
            Assert.Equal(RequestIntent.Proposal, group.Intent);
            Assert.Equal(PatientBundle.Server + "Patient/p1", group.Subject!.Reference);
            var course = Course(group);
            Assert.Equal(ActionSelectionBehavior.ExactlyOne, course.SelectionBehavior);
            Assert.NotEmpty(course.Action);
            foreach (var option in course.Action)
            {
                var sr = Assert.IsType<ServiceRequest>(response.Resolve(option.Resource!));
                Assert.Equal(sr.Preference() == "preferred" ? ActionPrecheckBehavior.Yes : ActionPrecheckBehavior.No, option.PrecheckBehavior);
                Assert.Equal(sr.Regimen(), option.Code[0].BoneMet());
            }

            Assert.True(course.Action.Count(a => a.PrecheckBehavior == ActionPrecheckBehavior.Yes) <= 1);
        }
    }

    [Fact]
    public void Spinal_cord_compression_course_is_urgent_with_30_Gy_prechecked()
    {
        var response = Run(Scenarios.Rades().B);

        var group = Assert.Single(response.All<RequestGroup>());
        Assert.Equal(RequestPriority.Urgent, group.Priority);
        var prechecked = Assert.Single(Course(group).Action, a => a.PrecheckBehavior == ActionPrecheckBehavior.Yes);
        Assert.Equal("rt-30gy-10fx", prechecked.Code[0].BoneMet());
        Assert.Empty(Course(group).RelatedAction);
    }

    [Fact]
    public void Mirels_10_fixation_is_the_step_and_radiotherapy_follows_its_end_by_15_to_21_days_on_healed_skin()
    {
        var response = Run(Scenarios.Mirels10().B);

        var group = Assert.Single(response.All<RequestGroup>());
        var step = Assert.Single(group.Action, a => a.ElementId == "step");
        Assert.Equal("prophylactic-fixation", step.Code[0].BoneMet());
        var fixation = Assert.IsType<ServiceRequest>(response.Resolve(step.Resource!));
        Assert.Equal("prophylactic-fixation", fixation.Code.BoneMet());
        Assert.Equal(RequestIntent.Proposal, fixation.Intent);

        var related = Assert.Single(Course(group).RelatedAction);
        Assert.Equal("step", related.ActionId);
        Assert.Equal(ActionRelationshipType.AfterEnd, related.Relationship);
        var offset = Assert.IsType<Hl7.Fhir.Model.Range>(related.Offset);
        Assert.Equal((15m, "d"), (offset.Low!.Value!.Value, offset.Low.Code));
        Assert.Equal((21m, "d"), (offset.High!.Value!.Value, offset.High.Code));

        var condition = Assert.Single(Course(group).Condition);
        Assert.Equal(ActionConditionKind.Applicability, condition.Kind);
        Assert.Contains("skin", condition.Expression!.Expression_, StringComparison.Ordinal);
        // The fixation stays a CarePlan activity of its own as well.
        Assert.Contains(Assert.Single(response.All<CarePlan>()).Activity, a => a.Recommendation() == "prophylactic-fixation" && a.Detail is not null);
    }

    [Fact]
    public void Post_operative_course_on_hold_states_healed_skin_as_its_precondition_in_the_requested_language()
    {
        var response = Run(Scenarios.PostOperativeFemur(false).B, Domain.Language.Fr);

        var group = Assert.Single(response.All<RequestGroup>());
        var condition = Assert.Single(Course(group).Condition);
        Assert.Equal("text/plain", condition.Expression!.Language);
        Assert.Contains("cicatrisée", condition.Expression!.Expression_, StringComparison.Ordinal);
        Assert.Empty(Course(group).RelatedAction); // the operation is done: no step before
        Assert.All(Leaves(group), a => Assert.Equal(RequestStatus.OnHold, ((ServiceRequest)response.Resolve(a.Resource!)).Status));
    }

    [Fact]
    public void Ablative_options_follow_the_specialised_tumour_board()
    {
        var (kind, body) = ExampleSnapshotTests.Run(Path.Combine(ExampleCatalog.ValidFolder, "oligometastatic-prostate-two-sites.json"));
        Assert.Equal(OutcomeKind.Success, kind);
        var response = Assert.IsType<Bundle>(body);

        var sbrt = response.All<RequestGroup>().Where(g => g.Code.BoneMet() == "specialised-tumour-board-review").ToList();
        Assert.NotEmpty(sbrt);
        Assert.All(sbrt, group =>
        {
            var step = Assert.Single(group.Action, a => a.ElementId == "step");
            Assert.Equal("specialised-tumour-board-review", step.Code[0].BoneMet());
            var related = Assert.Single(Course(group).RelatedAction);
            Assert.Equal(("step", ActionRelationshipType.AfterEnd), (related.ActionId, related.Relationship));
            Assert.Equal(ActionRequiredBehavior.Could, Course(group).RequiredBehavior);
            Assert.All(Course(group).Action, a => Assert.StartsWith("sbrt-", a.Code[0].BoneMet(), StringComparison.Ordinal));
        });
    }
}
