using BoneMetRT.Domain;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir;

/// <summary>
/// Something to tell the caller about the input or the result, before it becomes an OperationOutcome issue:
/// severity, FHIR issue type, a bilingual text, a bonemet detail code and the FHIRPath expressions concerned.
/// </summary>
/// <param name="Severity">Issue severity.</param>
/// <param name="Type">FHIR issue type.</param>
/// <param name="Text">Explanation in English and French.</param>
/// <param name="Code">Detail code in the bonemet CodeSystem (e.g. <c>missing-item</c>, <c>ignored-resource</c>).</param>
/// <param name="Expressions">FHIRPath expressions of the input elements concerned.</param>
public sealed record Issue(
    OperationOutcome.IssueSeverity Severity,
    OperationOutcome.IssueType Type,
    LocalizedText Text,
    string? Code,
    IReadOnlyList<string> Expressions)
{
    /// <summary>Where in the raw body (line and position) a parse error is, when it is not addressable by FHIRPath.</summary>
    public string? Location { get; init; }

    /// <summary>True for error and fatal issues.</summary>
    public bool IsError => Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal;

    /// <summary>An error about the structure of the request (<see cref="OutcomeKind.Unprocessable"/>).</summary>
    public static Issue Invalid(LocalizedText text, params string[] expressions) =>
        new(OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueType.Invalid, text, null, expressions);
}
