using BoneMetRT.Fhir.Normalize;

namespace BoneMetRT.Api.Infrastructure;

/// <summary>
/// The code systems a Condition's code is read in (section <c>BoneMetRT:Terminology</c>). A deployment that receives,
/// say, only French CIM-10 and SNOMED CT can refuse ICD-10-CM codes, which are then reported as ignored, not read.
/// </summary>
public sealed class TerminologyOptions
{
    /// <summary>
    /// Accepted code system URIs; empty (the default): all four the package's value sets list — SNOMED CT, ICD-10 (WHO),
    /// ICD-10-CM and the French CIM-10 (<c>https://smt.esante.gouv.fr/terminologie-cim-10</c>).
    /// </summary>
    /// <remarks>An array rather than a default-filled list: configuration binding appends to a filled list, so a
    /// deployment could never narrow it.</remarks>
    public string[]? AcceptedSystems { get; set; }

    /// <summary>Why the setting cannot be used (an unknown system), or null.</summary>
    public string? Problem() => AcceptedSystems is null or { Length: 0 } ? null : TerminologySettings.Problem(AcceptedSystems);

    /// <summary>The settings this describes.</summary>
    public TerminologySettings ToSettings() =>
        AcceptedSystems is null or { Length: 0 } ? TerminologySettings.Default : new TerminologySettings(AcceptedSystems);
}
