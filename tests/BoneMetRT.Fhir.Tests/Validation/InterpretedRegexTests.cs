using System.Text.RegularExpressions;
using BoneMetRT.Fhir.Validation;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;

#pragma warning disable ExperimentalApi // Firely's schema model is marked experimental.

namespace BoneMetRT.Fhir.Tests.Validation;

/// <summary>
/// <see cref="InterpretedRegex"/>: every regular expression of the schemas a validated request uses is interpreted,
/// with Firely's own pattern, and matches what Firely's compiled one matches.
/// </summary>
public sealed class InterpretedRegexTests
{
    private static readonly Lazy<FhirValidation> Validation = new(() => new FhirValidation(FhirValidation.LoadPackage(), new CoreDefinitions()));

    [Fact]
    public void Every_regex_of_the_compiled_schemas_is_interpreted_with_firelys_pattern()
    {
        var validators = RegexValidators(Validation.Value);

        // The primitive types a request carries (string, uri, code, id, dateTime, date, integer, decimal, boolean…).
        Assert.True(validators.Count >= 15, $"only {validators.Count} regex validators found in the schemas");
        foreach (var validator in validators)
        {
            var regex = InterpretedRegex.Of(validator);
            Assert.NotNull(regex);
            Assert.Equal("^" + validator.Pattern + "$", regex.ToString());
            Assert.Equal(RegexOptions.None, regex.Options & RegexOptions.Compiled);
        }
    }

    [Fact]
    public void An_interpreted_regex_answers_as_the_compiled_one_on_values_of_every_pattern()
    {
        string[] values =
        [
            "", " ", "a", "a b", " a", "a ", "abc\u0001", "\t\r\n", "é", "2026", "2026-03", "2026-03-12", "2026-02-30", "2026-13-01",
            "2026-03-12T10:00:00Z", "2026-03-12T10:00:00+14:00", "2026-03-12T24:00:00Z", "2026-03-12T10:00:00", "0", "-0", "01", "42",
            "-7", "2147483648", "1.5", "1e3", ".5", "true", "false", "True", "urn:uuid:5a7e0000-0000-4000-8000-000000000001",
            "urn:oid:1.2.3", "http://loinc.org", "A-Za-z.0", new string('x', 65), "aGVsbG8=", "10:00:00", "25:00:00",
        ];
        foreach (var validator in RegexValidators(Validation.Value))
        {
            var compiled = new Regex("^" + validator.Pattern + "$", RegexOptions.Compiled);
            var interpreted = InterpretedRegex.Of(validator)!;
            foreach (var value in values)
            {
                Assert.True(compiled.IsMatch(value) == interpreted.IsMatch(value), $"{validator.Pattern} on '{value}'");
            }
        }
    }

    [Fact]
    public void Firely_reports_a_value_its_interpreted_regex_refuses_as_before()
    {
        // An id with a space (built as a POCO: the parser would refuse it) fails only the id type's regex, which now
        // runs interpreted.
        var patient = new Patient { Id = "bad id", Gender = AdministrativeGender.Female };
        var outcome = Validation.Value.Validate(patient);
        Assert.Contains(outcome.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error && i.Details?.Text is { } t && t.Contains("'bad id' does not match regex", StringComparison.Ordinal) && i.Expression.Contains("Patient.id[0]"));

        var valid = Validation.Value.Validate(new Patient { Id = "good-id", Gender = AdministrativeGender.Female });
        Assert.DoesNotContain(valid.Issue, i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal);
    }

    [Fact]
    public void A_compiled_regex_validator_is_given_an_interpreted_regex_of_the_same_pattern()
    {
        var validator = new RegExValidator("[0-9]+");
        Assert.NotEqual(RegexOptions.None, InterpretedRegex.Of(validator)!.Options & RegexOptions.Compiled);

        Assert.Same(validator, InterpretedRegex.Swap(validator));

        Assert.Equal(RegexOptions.None, InterpretedRegex.Of(validator)!.Options & RegexOptions.Compiled);
        Assert.Equal("^[0-9]+$", InterpretedRegex.Of(validator)!.ToString());
        Assert.Same(InterpretedRegex.Of(validator), InterpretedRegex.Of((RegExValidator)InterpretedRegex.Swap(new RegExValidator("[0-9]+"))));
    }

    private static List<RegExValidator> RegexValidators(FhirValidation validation) => SchemaWalk.OfRequestSchemas<RegExValidator>(validation);
}
