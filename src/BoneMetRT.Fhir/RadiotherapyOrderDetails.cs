using BoneMetRT.Domain.Regimens;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.CodeSystems;

namespace BoneMetRT.Fhir;

/// <summary>
/// Where a radiotherapy ServiceRequest (profile bonemet-radiotherapy-request) keeps its regimen and its guidance: coded
/// <c>orderDetail</c> items, as CodeX Radiation Therapy keeps <c>code</c> for the course itself. Readers of a response
/// (CDS Hooks, tests) and its writer share these codes.
/// </summary>
public static class RadiotherapyOrderDetails
{
    /// <summary>SNOMED CT 1287742003 "Radiotherapy (procedure)": the category CodeX Radiation Therapy requires.</summary>
    public const string RadiotherapyCategorySnomed = "1287742003";

    /// <summary>SNOMED CT 363676003 "Palliative - procedure intent" (the value mCODE and CodeX use).</summary>
    public const string PalliativeIntentSnomed = "363676003";

    /// <summary>bonemet code of the ablative intent (SNOMED CT has no procedure intent for it).</summary>
    public const string AblativeIntent = "ablative";

    /// <summary>bonemet code of the target-volume item.</summary>
    public const string TargetVolume = "target-volume";

    /// <summary>bonemet code of the spinal-cord EQD2 item.</summary>
    public const string CordEqd2 = "cord-eqd2";

    /// <summary>The regimen item of a request (a bonemet regimen code), or null.</summary>
    public static CodeableConcept? RegimenItem(ServiceRequest sr) =>
        sr.OrderDetail.FirstOrDefault(d => d.Coding.Any(IsRegimen));

    /// <summary>
    /// The bonemet regimen code of a request: its regimen item, else (a draft written by another system) a regimen
    /// coding of <c>code</c>; null when it states none.
    /// </summary>
    public static string? RegimenCode(ServiceRequest sr) =>
        (RegimenItem(sr)?.Coding ?? []).Concat(sr.Code?.Coding ?? []).FirstOrDefault(IsRegimen)?.Code;

    /// <summary>The text of the item with a bonemet code (target volume, cord EQD2), or null.</summary>
    public static string? Text(ServiceRequest sr, string code) =>
        sr.OrderDetail.FirstOrDefault(d => d.Coding.Any(c => c.System == BoneMet && c.Code == code))?.Text;

    private static bool IsRegimen(Coding c) => c.System == BoneMet && Regimen.All.Any(r => r.Code == c.Code);
}
