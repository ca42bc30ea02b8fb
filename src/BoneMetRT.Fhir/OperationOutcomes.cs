using BoneMetRT.Domain;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir;

/// <summary>The one place that turns <see cref="Issue"/> values into an OperationOutcome.</summary>
public static class OperationOutcomes
{
    /// <summary>An OperationOutcome with one issue per <see cref="Issue"/>, texts in the requested language with the other as a translation.</summary>
    public static OperationOutcome From(IEnumerable<Issue> issues, Language language)
    {
        var oo = new OperationOutcome { Language = language == Language.Fr ? "fr" : "en" };
        foreach (var issue in issues)
        {
            var details = new CodeableConcept { TextElement = Narrative.Text(issue.Text, language) };
            if (issue.Code is { } code)
            {
                details.Coding.Add(new Coding(CodeSystems.BoneMet, code));
            }

            oo.Issue.Add(new OperationOutcome.IssueComponent
            {
                Severity = issue.Severity,
                Code = issue.Type,
                Details = details,
                Expression = [.. issue.Expressions],
                Location = issue.Location is null ? [] : [issue.Location],
            });
        }

        if (oo.Issue.Count == 0)
        {
            oo.Issue.Add(new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Information,
                Code = OperationOutcome.IssueType.Informational,
                Details = new CodeableConcept { Text = language == Language.Fr ? "Aucune remarque." : "No issues." },
            });
        }

        oo.Text = Narrative.Of(language, language == Language.Fr ? "Résultat de l'opération" : "Operation outcome",
            oo.Issue.Select(i => $"{i.Severity}: {i.Details?.Text}"));
        return oo;
    }

    /// <summary>A single-issue error OperationOutcome.</summary>
    public static OperationOutcome Error(OperationOutcome.IssueType type, LocalizedText text, Language language, params string[] expressions) =>
        From([new Issue(OperationOutcome.IssueSeverity.Error, type, text, null, expressions)], language);
}
