using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Tests.Pipeline;

/// <summary>The library's one result value: a success holds its value, a failure its kind and issues.</summary>
public sealed class ResultTests
{
    private static readonly Issue Warning = new(OperationOutcome.IssueSeverity.Warning, OperationOutcome.IssueType.Informational,
        new("Note.", "Note."), null, []);

    [Fact]
    public void A_success_holds_its_value_and_the_issues_beside_it()
    {
        var patient = new Patient();

        var result = Result<Patient>.Success(patient, [Warning]);

        Assert.True(result.IsSuccess);
        Assert.Equal(OutcomeKind.Success, result.Kind);
        Assert.Same(patient, result.Value);
        Assert.Same(Warning, Assert.Single(result.Issues));
    }

    [Fact]
    public void A_failure_is_not_a_success_even_with_a_value()
    {
        var outcome = new OperationOutcome();

        var result = Result<Resource>.Failure(OutcomeKind.Unprocessable, [Warning], outcome);

        Assert.False(result.IsSuccess);
        Assert.Equal(OutcomeKind.Unprocessable, result.Kind);
        Assert.Same(outcome, result.Value);
    }

    [Fact]
    public void A_failure_of_kind_success_or_a_success_without_value_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => Result<Patient>.Failure(OutcomeKind.Success, []));
        Assert.Throws<ArgumentNullException>(() => Result<Patient>.Success(null!));
    }

    [Fact]
    public void Parse_reports_a_body_that_is_not_FHIR_as_malformed()
    {
        var result = FhirSerialization.Parse("{\"resourceType\":"u8, FhirFormat.Json);

        Assert.Equal(OutcomeKind.Malformed, result.Kind);
        Assert.Null(result.Value);
        Assert.NotEmpty(result.Issues);
    }
}
