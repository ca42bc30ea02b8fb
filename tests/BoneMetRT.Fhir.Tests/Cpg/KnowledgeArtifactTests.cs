using System.Reflection;
using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Regimens;
using BoneMetRT.Domain.Situations;
using BoneMetRT.Fhir.Cpg;
using BoneMetRT.Fhir.Tests.Examples;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Tests.Cpg;

/// <summary>
/// The CPG-on-FHIR knowledge artifacts of fhir-profiles/ cannot drift from the engine: one ActivityDefinition per
/// regimen of the Domain's table (code, dose, fractions) and per recommendation code, one PlanDefinition action per
/// situation of the Domain (code, guideline section, a FHIRPath condition in English and French), the order of steps
/// the engine emits (fixation before post-operative radiotherapy 15–21 days after it; the specialised board before SBRT),
/// and, on every example, every proposal of <c>$assess</c> instantiates an ActivityDefinition that the PlanDefinition
/// lists under one of the situations found.
/// </summary>
public sealed class KnowledgeArtifactTests
{
    private const string Bonemet = BoneMetRT.Fhir.CodeSystems.BoneMet;
    private static readonly IReadOnlyList<Resource> Package = FhirValidation.LoadPackage();
    private static readonly PlanDefinition Plan = GuidelinePlan.Default.Definition;

    private static IEnumerable<ActivityDefinition> Activities => Package.OfType<ActivityDefinition>();

    private static string Translation(Element? element) =>
        element?.Extension.SingleOrDefault(e => e.Url == PackageCanonicals.TranslationExtension)?.Extension.Single(e => e.Url == "content").Value?.ToString() ?? "";

    /// <summary>Every recommendation code the engine can emit, from the Domain's constants.</summary>
    private static List<string> RecommendationCodeValues() =>
        [.. typeof(RecommendationCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!)];

    [Fact]
    public void One_activity_definition_per_regimen_with_its_code_dose_and_fractions()
    {
        foreach (var regimen in Regimen.All)
        {
            var ad = Assert.Single(Activities, a => a.Id == regimen.Code);
            Assert.Equal(PackageCanonicals.ActivityDefinition(regimen.Code), ad.Url);
            Assert.Equal(ActivityDefinition.RequestResourceType.ServiceRequest, ad.Kind);
            Assert.Equal(PackageCanonicals.RadiotherapyRequestProfile, ad.Profile);
            Assert.Contains(ad.Code!.Coding, c => c.System == "http://snomed.info/sct" && c.Code == "1217123003");
            Assert.Contains(ad.Code.Coding, c => c.System == Bonemet && c.Code == regimen.Code);
            var dose = ad.GetExtension(PackageCanonicals.RegimenDoseExtension);
            Assert.NotNull(dose);
            Assert.Equal(regimen.TotalDoseGy, dose.GetExtensionValue<Quantity>("totalDose").Value);
            Assert.Equal("Gy", dose.GetExtensionValue<Quantity>("totalDose").Code);
            Assert.Equal(regimen.Fractions, dose.GetExtensionValue<PositiveInt>("fractions").Value);
            Assert.Contains(regimen.Name.Fr, Translation(ad.TitleElement), StringComparison.Ordinal);
            Assert.Contains(regimen.Name.En, ad.Title, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void One_activity_definition_per_recommendation_without_regimen_and_nothing_else()
    {
        var reviews = RecommendationCodeValues().Where(c => c != RecommendationCodes.Radiotherapy).ToList();
        foreach (var code in reviews)
        {
            var ad = Assert.Single(Activities, a => a.Id == code);
            Assert.Equal(ActivityDefinition.RequestResourceType.ServiceRequest, ad.Kind);
            Assert.Equal(code, Assert.Single(ad.Code!.Coding, c => c.System == Bonemet).Code);
            Assert.False(string.IsNullOrWhiteSpace(Translation(ad.TitleElement)), $"{code}: no French title");
            Assert.False(string.IsNullOrWhiteSpace(Translation(ad.DescriptionElement)), $"{code}: no French description");
        }

        Assert.Equal(Regimen.All.Select(r => r.Code).Concat(reviews).Order(StringComparer.Ordinal), Activities.Select(a => a.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Plan_definition_has_one_action_per_situation_in_the_domain_order_with_its_section_and_condition()
    {
        Assert.Equal(PackageCanonicals.PlanDefinition, Plan.Url);
        Assert.Equal("clinical-protocol", Plan.Type!.Coding.Single().Code);
        Assert.Contains(Plan.RelatedArtifact, a => a.Type == RelatedArtifact.RelatedArtifactType.Citation);

        var situations = Enum.GetValues<Situation>();
        Assert.Equal(situations.Select(s => s.Code()), Plan.Action.Select(a => a.Code.Single().Coding.Single(c => c.System == Bonemet).Code));
        foreach (var (situation, action) in situations.Zip(Plan.Action))
        {
            Assert.Equal(situation.Code(), action.ElementId);
            Assert.Equal(situation.Name().En, action.Title);
            Assert.Equal(situation.Name().Fr, Translation(action.TitleElement));
            Assert.Equal(situation.Reference().SpecSection, action.Documentation.Single().Label);
            var condition = Assert.Single(action.Condition);
            Assert.Equal(ActionConditionKind.Applicability, condition.Kind);
            Assert.Equal("text/fhirpath", condition.Expression!.Language);
            Assert.Contains($"code = '{situation.Code()}'", condition.Expression.Expression_, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(Translation(condition.Expression.DescriptionElement)), $"{situation}: no French condition text");
        }
    }

    [Fact]
    public void Every_definition_canonical_of_the_plan_is_an_activity_definition_of_the_package()
    {
        var urls = Activities.Select(a => a.Url).ToHashSet();
        var used = Flatten(Plan.Action).Select(a => a.Definition).OfType<Hl7.Fhir.Model.Canonical>().Select(c => c.Value).ToList();
        Assert.NotEmpty(used);
        Assert.All(used, u => Assert.Contains(u, urls));
        // Every ActivityDefinition is used by some action.
        Assert.All(urls, u => Assert.Contains(u, used));
    }

    [Fact]
    public void Plan_orders_surgery_before_post_operative_radiotherapy_and_the_board_before_sbrt()
    {
        var postoperative = Plan.Action.Single(a => a.ElementId == "postoperative");
        var course = postoperative.Action.Single(a => a.ElementId == "postoperative-course");
        var after = Assert.Single(course.RelatedAction);
        Assert.Equal("postoperative-surgery", after.ActionId);
        Assert.Equal(ActionRelationshipType.AfterEnd, after.Relationship);
        var offset = Assert.IsType<Hl7.Fhir.Model.Range>(after.Offset);
        Assert.Equal(15m, offset.Low!.Value);
        Assert.Equal(21m, offset.High!.Value);
        Assert.Equal("d", offset.High.Code);
        Assert.Contains(postoperative.Action, a => a.ElementId == "postoperative-surgery");

        var oligo = Plan.Action.Single(a => a.ElementId == "oligometastatic");
        var sbrt = oligo.Action.Single(a => a.ElementId == "oligometastatic-course");
        Assert.Equal("oligometastatic-board", Assert.Single(sbrt.RelatedAction).ActionId);
        Assert.Equal(PackageCanonicals.ActivityDefinition(RecommendationCodes.SpecialisedTumourBoard),
            ((Hl7.Fhir.Model.Canonical)oligo.Action.Single(a => a.ElementId == "oligometastatic-board").Definition!).Value);
        Assert.All(sbrt.Action, a => Assert.Equal(Technique.Sbrt,
            Regimen.All.Single(r => PackageCanonicals.ActivityDefinition(r.Code) == ((Hl7.Fhir.Model.Canonical)a.Definition!).Value).Technique));
    }

    [Theory]
    [MemberData(nameof(ExampleCatalog.ValidData), MemberType = typeof(ExampleCatalog))]
    public void Every_proposal_instantiates_an_activity_the_plan_lists_under_a_situation_found(string file)
    {
        var (kind, body) = ExampleSnapshotTests.Run(Path.Combine(ExampleCatalog.ValidFolder, file));
        Assert.Equal(OutcomeKind.Success, kind);
        var bundle = Assert.IsType<Bundle>(body);
        var plan = bundle.Entry.Select(e => e.Resource).OfType<CarePlan>().Single();
        Assert.Equal([PackageCanonicals.PlanDefinition], plan.InstantiatesCanonical);

        var found = plan.Category.SelectMany(c => c.Coding).Select(c => c.Code).ToHashSet();
        var listed = Plan.Action.Where(a => found.Contains(a.ElementId))
            .SelectMany(a => Flatten(a.Action)).Select(a => a.Definition).OfType<Hl7.Fhir.Model.Canonical>().Select(c => c.Value).ToHashSet();
        // A tumour-board review may stand on no situation (guideline §8: a withheld score); it is still an action of the plan.
        var anywhere = Flatten(Plan.Action).Select(a => a.Definition).OfType<Hl7.Fhir.Model.Canonical>().Select(c => c.Value).ToHashSet();

        var requests = bundle.Entry.Select(e => e.Resource).OfType<ServiceRequest>().ToList();
        Assert.All(requests, r => Assert.True(r.InstantiatesCanonical.Count() == 1, $"{file}: a request without its ActivityDefinition"));
        var instantiated = requests.SelectMany(r => r.InstantiatesCanonical)
            .Concat(plan.Activity.Where(a => a.Detail is not null).SelectMany(a => a.Detail!.InstantiatesCanonical)).ToList();
        Assert.NotEmpty(instantiated);
        foreach (var url in instantiated)
        {
            Assert.True(found.Count == 0 || url == PackageCanonicals.ActivityDefinition(RecommendationCodes.TumourBoard) ? anywhere.Contains(url) : listed.Contains(url),
                $"{file}: {url} is not an action of the situations found ({string.Join(", ", found)})");
        }

        Assert.All(bundle.Entry.Select(e => e.Resource).OfType<RequestGroup>(), g => Assert.Equal([PackageCanonicals.PlanDefinition], g.InstantiatesCanonical));
    }

    private static IEnumerable<PlanDefinition.ActionComponent> Flatten(IEnumerable<PlanDefinition.ActionComponent> actions) =>
        actions.SelectMany(a => Flatten(a.Action).Prepend(a));
}
