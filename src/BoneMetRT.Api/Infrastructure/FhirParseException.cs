using BoneMetRT.Fhir;

namespace BoneMetRT.Api.Infrastructure;

/// <summary>The body is not FHIR R4 (400), with every reason the parser gave.</summary>
public sealed class FhirParseException(IReadOnlyList<Issue> issues) : Exception(issues.FirstOrDefault()?.Text.En)
{
    /// <summary>Reasons.</summary>
    public IReadOnlyList<Issue> Issues { get; } = issues;
}
