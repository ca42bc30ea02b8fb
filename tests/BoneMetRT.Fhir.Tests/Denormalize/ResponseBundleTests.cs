using System.Text.RegularExpressions;
using BoneMetRT.Domain;
using BoneMetRT.Fhir.Tests.Builders;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Tests.Builders.Assessed;

namespace BoneMetRT.Fhir.Tests.Denormalize;

/// <summary>
/// Contract §3, the response Bundle as a whole: references between outputs resolve inside it, every resource has a
/// narrative in the requested language, and ids and order depend only on the input and the date.
/// </summary>
public sealed partial class ResponseBundleTests
{
    [Theory]
    [MemberData(nameof(CarePlanTests.AllScenarios), MemberType = typeof(CarePlanTests))]
    public void Every_reference_resolves_inside_the_Bundle_and_inputs_keep_their_fullUrl(string scenario)
    {
        var c = CarePlanTests.Make(scenario);
        var response = Run(c.B);

        var fullUrls = response.Entry.Select(e => e.FullUrl).ToHashSet();
        Assert.Equal(response.Entry.Count, fullUrls.Count);
        Assert.All(response.Outputs(), e => Assert.Equal("urn:uuid:" + e.Resource!.Id, e.FullUrl));
        Assert.NotEmpty(response.Inputs());
        Assert.All(response.Inputs(), e =>
        {
            // Unchanged but for the tag, under the fullUrl the caller gave it.
            var original = Assert.Single(c.B.Bundle.Entry, x => x.FullUrl == e.FullUrl).Resource!;
            var copy = (Resource)e.Resource!.DeepCopy();
            copy.Meta!.Tag.Clear();
            if (original.Meta is null && !copy.Meta.EnumerateElements().Any())
            {
                copy.Meta = null;
            }

            Assert.True(original.IsExactly(copy), $"{e.FullUrl} was changed");
        });
        Assert.Empty(ResponseReferences.Unresolved(response));
    }

    [Theory]
    [MemberData(nameof(CarePlanTests.AllScenarios), MemberType = typeof(CarePlanTests))]
    public void Every_resource_has_an_English_narrative_by_default(string scenario)
    {
        var response = Run(CarePlanTests.Make(scenario).B);

        Assert.All(response.Outputs(), e =>
        {
            var resource = Assert.IsAssignableFrom<DomainResource>(e.Resource);
            Assert.Equal(Narrative.NarrativeStatus.Generated, resource.Text!.Status);
            Assert.Contains("lang=\"en\"", resource.Div(), StringComparison.Ordinal);
            Assert.Equal("en", resource.Language);
        });
        var plan = Assert.Single(response.All<CarePlan>());
        Assert.Contains("Radiotherapy", plan.Div(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CarePlanTests.AllScenarios), MemberType = typeof(CarePlanTests))]
    public void Every_resource_has_a_French_narrative_when_language_is_fr(string scenario)
    {
        var response = Run(CarePlanTests.Make(scenario).B, Language.Fr);

        Assert.All(response.Outputs(), e =>
        {
            var resource = Assert.IsAssignableFrom<DomainResource>(e.Resource);
            Assert.Contains("lang=\"fr\"", resource.Div(), StringComparison.Ordinal);
            Assert.Equal("fr", resource.Language);
        });
        Assert.Contains("Radiothérapie", Assert.Single(response.All<CarePlan>()).Div(), StringComparison.Ordinal);
        Assert.Contains("Calculé par", Assert.Single(response.All<Provenance>()).Div(), StringComparison.Ordinal);
        Assert.Contains("médullaire", Assert.Single(response.All<Device>()).Div(), StringComparison.Ordinal);
        foreach (var oo in response.All<OperationOutcome>())
        {
            Assert.Contains("Remarques", oo.Div(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void French_narratives_of_scores_risks_and_requests_are_in_French()
    {
        var response = Run(Scenarios.RadesAndMirels().B, Language.Fr);

        Assert.Contains("Score de Mirels", Assert.Single(response.Scores("mirels-score")).Div(), StringComparison.Ordinal);
        Assert.Contains("Score de Rades", Assert.Single(response.Scores("rades-score")).Div(), StringComparison.Ordinal);
        Assert.Contains(response.All<RiskAssessment>(), r => r.Div().Contains("Risque fracturaire", StringComparison.Ordinal));
        Assert.Contains(response.All<RiskAssessment>(), r => r.Div().Contains("Statut ambulatoire", StringComparison.Ordinal));
        Assert.Contains(response.All<ServiceRequest>(), r => r.Div().Contains("préféré", StringComparison.Ordinal));
        Assert.All(response.All<ServiceRequest>(), r =>
        {
            Assert.Contains("Volume cible", r.Div(), StringComparison.Ordinal);
            Assert.Matches("inclure|Latéralement", RadiotherapyOrderDetails.Text(r, RadiotherapyOrderDetails.TargetVolume));
        });
    }

    [Fact]
    public void English_narratives_carry_no_French()
    {
        var json = FhirSerialization.ToText(Run(Scenarios.RadesAndMirels().B), FhirFormat.Json);
        var divs = DivText().Matches(json).Select(m => m.Value);

        Assert.All(divs, d => Assert.DoesNotContain("Radiothérapie", d, StringComparison.Ordinal));
    }

    [Fact]
    public void Same_input_and_date_give_the_same_ids_in_the_same_order()
    {
        var c = Scenarios.RadesAndMirels();

        var first = Run(c.B);
        var second = Run(c.B);

        Assert.Equal(first.Entry.Select(e => e.FullUrl), second.Entry.Select(e => e.FullUrl));
        Assert.Equal(FhirSerialization.ToText(first, FhirFormat.Json), FhirSerialization.ToText(second, FhirFormat.Json));
    }

    [Fact]
    public void Same_input_built_twice_gives_the_same_Bundle()
    {
        var first = FhirSerialization.ToText(Run(Scenarios.RadesAndMirels().B), FhirFormat.Json);
        var second = FhirSerialization.ToText(Run(Scenarios.RadesAndMirels().B), FhirFormat.Json);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Another_date_changes_every_id_but_not_the_order_of_the_resource_types()
    {
        var c = Scenarios.RadesAndMirels();

        var first = Run(c.B);
        var later = Run(c.B, date: AssessmentDate.AddDays(1));

        // Every output id changes; the copies of the inputs keep the caller's ids.
        Assert.Empty(first.Outputs().Select(e => e.Resource!.Id).Intersect(later.Outputs().Select(e => e.Resource!.Id)));
        Assert.NotEqual(first.Id, later.Id);
        Assert.Equal(first.Entry.Select(e => e.Resource!.TypeName), later.Entry.Select(e => e.Resource!.TypeName));
    }

    [Fact]
    public void Another_input_changes_the_ids()
    {
        var a = Run(Scenarios.Mirels7().B);
        var b = Run(Scenarios.Mirels8().B);

        Assert.Empty(a.Outputs().Select(e => e.Resource!.Id).Intersect(b.Outputs().Select(e => e.Resource!.Id)));
    }

    [Fact]
    public void Bundle_order_is_the_CarePlan_then_risks_scores_each_request_group_with_its_requests_outcome_device_provenance()
    {
        var response = Run(Scenarios.RadesAndMirels().B);

        var types = response.Outputs().Select(e => e.Resource!.TypeName).Distinct().ToList();
        Assert.Equal(["CarePlan", "RiskAssessment", "Observation", "RequestGroup", "ServiceRequest", "OperationOutcome", "Device", "Provenance"], types);
        Assert.Equal("Provenance", response.Outputs()[^1].Resource!.TypeName);
        // The copies of the inputs come last.
        Assert.Equal(response.Outputs().Count, response.Entry.FindIndex(e => e.IsInput()));
    }

    [GeneratedRegex("\"reference\":\\s*\"([^\"]+)\"")]
    private static partial Regex Reference();

    [GeneratedRegex("\"div\":\\s*\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex DivText();
}
