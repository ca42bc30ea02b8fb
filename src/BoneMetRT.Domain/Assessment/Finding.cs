namespace BoneMetRT.Domain.Assessment;

/// <summary>How serious a finding is; mirrors the FHIR issue severities the service will use.</summary>
public enum Severity { Information, Warning, Error }

/// <summary>What kind of finding it is.</summary>
public enum FindingKind
{
    /// <summary>A score item is missing; the score is withheld (guideline §8).</summary>
    MissingItem,
    /// <summary>A score item has two different values of the same date; the score is withheld (guideline §8).</summary>
    ConflictingItem,
    /// <summary>A value outside the range the rule accepts.</summary>
    InvalidItem,
    /// <summary>A clinical caveat the guideline insists on (e.g. NSCLC in Rades).</summary>
    Caveat,
    /// <summary>A point where the seed and the literature disagree (guideline §7).</summary>
    Discrepancy,
    /// <summary>A rule that does not apply to this input (e.g. Mirels on a vertebra).</summary>
    NotApplicable,
    /// <summary>Anything else worth telling.</summary>
    Note,
}

/// <summary>
/// Something the engine has to tell the clinician: a missing or conflicting item, a caveat, a discrepancy.
/// Every finding names the item and the inputs concerned and cites its guideline section.
/// </summary>
/// <param name="Severity">Information, warning or error.</param>
/// <param name="Kind">Kind of finding.</param>
/// <param name="Item">Input item code (as in the FHIR contract, e.g. <c>mirels-size</c>), when about one item.</param>
/// <param name="SubjectId">Lesion or compression the finding is about, when not patient-wide.</param>
/// <param name="Text">Human-readable explanation.</param>
/// <param name="Reference">Guideline section.</param>
/// <param name="Sources">Inputs concerned.</param>
public sealed record Finding(
    Severity Severity,
    FindingKind Kind,
    string? Item,
    string? SubjectId,
    LocalizedText Text,
    GuidelineRef Reference,
    IReadOnlyList<string> Sources);
