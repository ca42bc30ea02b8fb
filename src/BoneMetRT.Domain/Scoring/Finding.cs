namespace BoneMetRT.Domain.Scoring;

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
