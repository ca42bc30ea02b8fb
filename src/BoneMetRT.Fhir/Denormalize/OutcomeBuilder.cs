using BoneMetRT.Domain;
using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Scoring;
using Hl7.Fhir.Model;
using IssueSeverity = Hl7.Fhir.Model.OperationOutcome.IssueSeverity;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace BoneMetRT.Fhir.Denormalize;

/// <summary>The OperationOutcome of a 200 answer: the issues found before the engine ran and the engine's findings, each pointing at its input.</summary>
internal sealed class OutcomeBuilder(DenormalizeContext c)
{
    public Bundle.EntryComponent? Build(IEnumerable<Issue> issues)
    {
        var all = issues.Concat(c.Result.Findings.Select(FromFinding)).ToList();
        if (all.Count == 0)
        {
            return null;
        }

        var oo = OperationOutcomes.From(all, c.Lang);
        oo.Text = Narrative.Of(c.Lang, c.L(new LocalizedText("Notes on the assessment", "Remarques sur l'évaluation")),
            all.Select(i => $"{i.Severity}: {c.L(i.Text)}"));
        return c.Entry("outcome", oo, "");
    }

    private Issue FromFinding(Finding f)
    {
        var severity = f.Severity switch
        {
            Severity.Error => IssueSeverity.Error,
            Severity.Warning => IssueSeverity.Warning,
            _ => IssueSeverity.Information,
        };
        var (type, code) = f.Kind switch
        {
            FindingKind.MissingItem => (IssueType.Incomplete, "missing-item"),
            FindingKind.ConflictingItem => (IssueType.Conflict, "conflicting-item"),
            FindingKind.InvalidItem => (IssueType.Value, "conflicting-item"),
            FindingKind.Caveat => (IssueType.BusinessRule, f.Item == ItemCodes.PriorRadiotherapy ? "reirradiation" : "nsclc-caveat"),
            FindingKind.Discrepancy => (IssueType.Informational, "guideline-discrepancy"),
            FindingKind.NotApplicable => (IssueType.NotSupported, "score-not-applicable"),
            _ => (IssueType.Informational, (string?)null),
        };
        if (f.Kind == FindingKind.InvalidItem)
        {
            code = null;
        }

        var index = c.Input.Index;
        var expressions = f.Sources.Select(s => index.Expression(s)).OfType<string>().Distinct().ToList();
        if (expressions.Count == 0 && f.SubjectId is { } subj && index.Expression(subj) is { } e)
        {
            expressions.Add(e);
        }

        if (expressions.Count == 0 && index.Expression(c.Input.PatientKey) is { } patient)
        {
            // A patient-wide item with no input at all: point at the Patient the item is missing for.
            expressions.Add(patient);
        }

        var text = LocalizedText.Join([f.Text, new($"({f.Reference.Cite})", $"({f.Reference.Cite})")]);
        return new Issue(severity, type, text, code, expressions);
    }
}
