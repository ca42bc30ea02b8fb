using System.Text.RegularExpressions;
using BoneMetRT.Domain;
using BoneMetRT.Fhir.Tests.Builders;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Tests.Builders.Assessed;
using static BoneMetRT.Fhir.Tests.Builders.PatientBundle;

namespace BoneMetRT.Fhir.Tests.Denormalize;

/// <summary>Contract §3: the OperationOutcome points at the inputs; the Provenance names the outputs and the engine.</summary>
public sealed partial class OutcomeAndProvenanceTests
{
    private static OperationOutcome.IssueComponent IssueWith(Bundle response, string code) =>
        Assert.Single(Assert.Single(response.All<OperationOutcome>()).Issue, i => i.Details!.Coding.Any(c => c.Code == code));

    [Fact]
    public void Missing_Mirels_items_are_issues_pointing_at_the_lesion()
    {
        var b = PatientBundle.WithPatient();
        var femur = b.Lesion("femur", "71341001");
        b.Item("type", "lesion-type", Answer("lytic"), femur);

        var oo = Assert.Single(Run(b).All<OperationOutcome>());

        foreach (var item in new[] { "mirels-size", "mirels-pain" })
        {
            var issue = Assert.Single(oo.Issue, i => i.Details!.Text?.Contains($"({item})", StringComparison.Ordinal) == true);
            Assert.Equal(OperationOutcome.IssueType.Incomplete, issue.Code);
            Assert.Contains(issue.Details!.Coding, x => x.Code == "missing-item");
            Assert.Equal([InputExpr(b, femur)], issue.Expression);
        }
    }

    [Fact]
    public void Conflict_is_an_error_issue_naming_both_inputs_in_a_200_response()
    {
        var c = Scenarios.Mirels8();
        var other = c.B.Item("pain-2", "mirels-pain", Answer("functional"), c.Lesion, "2026-03-10");

        var issue = IssueWith(Run(c.B), "conflicting-item");

        Assert.Equal(OperationOutcome.IssueSeverity.Error, issue.Severity);
        Assert.Equal(OperationOutcome.IssueType.Conflict, issue.Code);
        Assert.Contains(InputExpr(c.B, c.Items[2]), issue.Expression);
        Assert.Contains(InputExpr(c.B, other), issue.Expression);
    }

    [Fact]
    public void Ignored_resource_is_an_information_issue_at_its_entry()
    {
        var c = Scenarios.Mirels8();
        var encounter = c.B.Add(new Encounter
        {
            Status = Encounter.EncounterStatus.Finished,
            Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB"),
            Subject = new ResourceReference("Patient/p1"),
        }, "visit");

        var issue = IssueWith(Run(c.B), "ignored-resource");

        Assert.Equal(OperationOutcome.IssueSeverity.Information, issue.Severity);
        Assert.Equal([InputExpr(c.B, encounter)], issue.Expression);
    }

    [Fact]
    public void NSCLC_caveat_is_a_warning_at_the_primary()
    {
        var c = Scenarios.RadesGroup2();

        var issue = IssueWith(Run(c.B), "nsclc-caveat");

        Assert.Equal(OperationOutcome.IssueSeverity.Warning, issue.Severity);
        var primary = c.B.Bundle.Entry.Single(e => e.Resource?.Id == "primary").Resource!;
        Assert.Contains(InputExpr(c.B, primary), issue.Expression);
    }

    [Theory]
    [MemberData(nameof(CarePlanTests.AllScenarios), MemberType = typeof(CarePlanTests))]
    public void Every_issue_expression_points_at_an_input_entry_of_the_request(string scenario)
    {
        var c = CarePlanTests.Make(scenario);

        foreach (var oo in Run(c.B).All<OperationOutcome>())
        {
            Assert.All(oo.Issue, i =>
            {
                Assert.NotEmpty(i.Expression);
                Assert.All(i.Expression, e =>
                {
                    var m = EntryExpression().Match(e!);
                    Assert.True(m.Success, e);
                    Assert.InRange(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 0, c.B.Bundle.Entry.Count - 1);
                });
                Assert.False(string.IsNullOrWhiteSpace(i.Details!.Text));
            });
        }
    }

    [Theory]
    [MemberData(nameof(CarePlanTests.AllScenarios), MemberType = typeof(CarePlanTests))]
    public void Provenance_targets_every_output_and_its_agent_is_the_engine_Device(string scenario)
    {
        var response = Run(CarePlanTests.Make(scenario).B);

        var provenance = Assert.Single(response.All<Provenance>());
        var outputs = response.Outputs().Where(e => e.Resource is not Provenance and not Device).Select(e => e.FullUrl).Order().ToList();
        Assert.Equal(outputs, provenance.Target.Select(t => t.Reference).Order());
        var agent = Assert.Single(provenance.Agent);
        var device = Assert.IsType<Device>(response.Resolve(agent.Who));
        Assert.Equal(EngineInfo.Version, Assert.Single(device.Version).Value);
        Assert.Equal(EngineInfo.Name, Assert.Single(device.DeviceName).Name);
    }

    [Fact]
    public void Provenance_occurred_is_the_assessment_date_and_recorded_is_now_as_is_the_Bundle_timestamp()
    {
        // The fixed clock of these tests says 2026-03-16T12:00Z; the assessment is for 2026-03-10.
        var response = Run(Scenarios.Rades().B, date: new DateOnly(2026, 3, 10));

        var provenance = Assert.Single(response.All<Provenance>());
        Assert.Equal("2026-03-10", Assert.IsType<FhirDateTime>(provenance.Occurred).Value);
        var now = new DateTimeOffset(2026, 3, 16, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(now, provenance.RecordedElement.Value);
        Assert.Equal(now, response.Timestamp);
    }

    [Fact]
    public void Provenance_entities_are_the_inputs_used_and_resolve_to_their_copies()
    {
        var c = Scenarios.Rades();

        var response = Run(c.B);
        var provenance = Assert.Single(response.All<Provenance>());

        Assert.Equal(c.B.Bundle.Entry.Select(e => c.B.FullUrl(e.Resource!)).Order(), provenance.Entity.Select(x => x.What.Reference).Order());
        Assert.All(provenance.Entity, x => Assert.Equal(Provenance.ProvenanceEntityRole.Source, x.Role));
        Assert.All(provenance.Entity, x => Assert.True(response.Resolve(x.What).Meta?.Tag.Any(t => t.Code == "input") == true));
    }

    [Fact]
    public void Ignored_inputs_are_not_Provenance_sources_nor_copied()
    {
        var c = Scenarios.Rades();
        var note = new Observation
        {
            Id = "unrelated",
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://loinc.org", "8302-2", "Body height"),
            Subject = new ResourceReference("Patient/p1"),
            Value = new Quantity(172, "cm", "http://unitsofmeasure.org"),
        };
        c.B.Add(note, "unrelated");

        var response = Run(c.B);

        var provenance = Assert.Single(response.All<Provenance>());
        var outcome = Assert.Single(response.All<OperationOutcome>());
        Assert.Contains(outcome.Issue, i => i.Details?.Coding.Any(x => x.Code == "ignored-resource") == true && i.Expression.Contains(InputExpr(c.B, note)));
        Assert.DoesNotContain(provenance.Entity, x => x.What.Reference == c.B.FullUrl(note));
        Assert.DoesNotContain(response.Inputs(), e => e.FullUrl == c.B.FullUrl(note));
    }

    [GeneratedRegex(@"^Parameters\.parameter\[0\]\.resource\.entry\[(\d+)\]\.resource(\..+)?$")]
    private static partial Regex EntryExpression();
}
