using BoneMetRT.Domain;
using BoneMetRT.Fhir.Pipeline;
using BoneMetRT.Fhir.Tests.Examples;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Tests.Pipeline;

/// <summary>
/// <c>$validate</c> is one operation for the service and the CLI: an <c>$assess</c> body is validated as <c>$assess</c>
/// validates it, FHIR's <c>resource</c>/<c>profile</c> parameters are honoured, and the answer is never an empty
/// OperationOutcome.
/// </summary>
public sealed class ValidateOperationTests
{
    private static Resource Parse(string folder, string file) =>
        FhirSerialization.Parse(File.ReadAllBytes(Path.Combine(folder, file)), FhirFormat.Json).Value!;

    private static bool HasErrors(OperationOutcome o) =>
        o.Issue.Any(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal);

    [Theory]
    [MemberData(nameof(ExampleCatalog.ValidData), MemberType = typeof(ExampleCatalog))]
    public void Every_valid_example_passes_and_the_answer_has_an_issue(string file)
    {
        var outcome = ValidateOperation.Default.Validate(Parse(ExampleCatalog.ValidFolder, file), null, Language.En);

        Assert.False(HasErrors(outcome), file);
        Assert.NotEmpty(outcome.Issue);
    }

    [Fact]
    public void An_assess_body_is_validated_with_the_input_profiles()
    {
        var outcome = ValidateOperation.Default.Validate(Parse(ExampleCatalog.InvalidFolder, "invalid-observation-value.json"), null, Language.En);

        Assert.True(HasErrors(outcome));
        Assert.Contains(outcome.Issue, i => i.Expression.Any(e => e?.StartsWith("Parameters.parameter[0].resource.entry[", StringComparison.Ordinal) == true));
    }

    [Fact]
    public void The_resource_and_profile_parameters_are_honoured()
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("https://bonemetrt.org/fhir/CodeSystem/bonemet", "mirels-size"),
            Subject = new ResourceReference("Patient/p1"),
            Value = new FhirString("big"),
        };
        var body = new Parameters();
        body.Parameter.Add(new Parameters.ParameterComponent { Name = "resource", Resource = observation });

        Assert.True(HasErrors(ValidateOperation.Default.Validate(body, null, Language.En))); // its input profile
        Assert.Same(observation, ValidateOperation.Target(body));
        body.Parameter.Add(new Parameters.ParameterComponent { Name = "profile", Value = new FhirUri("http://hl7.org/fhir/StructureDefinition/Observation") });
        Assert.False(HasErrors(ValidateOperation.Default.Validate(body, null, Language.En))); // base R4 only: a string value is fine
    }
}
