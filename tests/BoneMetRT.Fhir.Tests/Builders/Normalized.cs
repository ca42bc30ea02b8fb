using BoneMetRT.Domain.Facts;
using BoneMetRT.Fhir.Normalize;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Tests.Builders;

/// <summary>Runs the Normalizer on a built Bundle and asserts on its outcome.</summary>
public static class Normalized
{
    /// <summary>Assessment date of every Normalize test.</summary>
    public static readonly DateOnly AssessmentDate = new(2026, 3, 16);

    /// <summary>Normalizes with prefix <c>Bundle</c>.</summary>
    public static Result<NormalizedInput> Run(PatientBundle b, string? subject = null) =>
        Normalizer.Normalize(b.Bundle, "Bundle", subject, AssessmentDate);

    /// <summary>Normalizes and asserts success (no error issue).</summary>
    public static NormalizedInput Ok(PatientBundle b, string? subject = null)
    {
        var result = Run(b, subject);
        var errors = result.Issues.Where(i => i.IsError).Select(Describe).ToList();
        Assert.True(result.IsSuccess && errors.Count == 0, "Normalize failed:\n" + string.Join("\n", errors));
        return result.Value!;
    }

    /// <summary>The facts of a successful normalization.</summary>
    public static PatientFacts Facts(PatientBundle b, string? subject = null) => Ok(b, subject).Facts;

    /// <summary>Normalizes, asserts failure, and returns the error issues.</summary>
    public static IReadOnlyList<Issue> Errors(PatientBundle b, string? subject = null)
    {
        var result = Run(b, subject);
        Assert.Equal(OutcomeKind.Unprocessable, result.Kind);
        Assert.Null(result.Value);
        var errors = result.Issues.Where(i => i.IsError).ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal(OperationOutcome.IssueType.Invalid, e.Type));
        return errors;
    }

    /// <summary>Asserts one error issue points exactly at the expression.</summary>
    public static Issue ErrorAt(PatientBundle b, string expression, string? subject = null)
    {
        var errors = Errors(b, subject);
        return Assert.Single(errors, e => e.Expressions.Contains(expression));
    }

    /// <summary>The one lesion of the facts.</summary>
    public static LesionFacts Lesion(PatientFacts facts, string key) => Assert.Single(facts.Lesions, l => l.Id == key);

    /// <summary>Asserts a fact is present with a value and its sources.</summary>
    public static void Present<T>(Fact<T> fact, T value, params string[] sources)
    {
        Assert.Equal(FactState.Present, fact.State);
        Assert.Equal(value, fact.Value);
        if (sources.Length > 0)
        {
            Assert.Equal(sources.Order(StringComparer.Ordinal), fact.Sources.Order(StringComparer.Ordinal));
        }
    }

    /// <summary>The compression of the facts with that key.</summary>
    public static MsccFacts Compression(PatientFacts facts, string key) => Assert.Single(facts.Compressions, c => c.Id == key);

    /// <summary>The procedure of the facts with that key.</summary>
    public static ProcedureFacts Procedure(PatientFacts facts, string key) => Assert.Single(facts.Procedures, p => p.Id == key);

    /// <summary>Asserts a fact is conflicting and names exactly these sources.</summary>
    public static void Conflict<T>(Fact<T> fact, params string[] sources)
    {
        Assert.Equal(FactState.Conflicting, fact.State);
        Assert.Equal(sources.Order(StringComparer.Ordinal), fact.Sources.Order(StringComparer.Ordinal));
    }

    /// <summary>Asserts a fact is missing.</summary>
    public static void Missing<T>(Fact<T> fact) => Assert.Equal(FactState.Missing, fact.State);

    /// <summary>The ignored-resource information issue of an entry.</summary>
    public static Issue Ignored(IReadOnlyList<Issue> issues, string expression) =>
        Assert.Single(issues, i => i.Code == "ignored-resource" && i.Expressions.Contains(expression)
            && i.Severity == OperationOutcome.IssueSeverity.Information);

    /// <summary>Asserts no ignored-resource issue names the entry.</summary>
    public static void NotIgnored(IReadOnlyList<Issue> issues, string expression) =>
        Assert.DoesNotContain(issues, i => i.Code == "ignored-resource" && i.Expressions.Contains(expression));

    private static string Describe(Issue i) => $"{string.Join(",", i.Expressions)}: {i.Text.En}";
}
