using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Regimens;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;

namespace BoneMetRT.Fhir.Normalize;

/// <summary>
/// What a resource's <c>bodySite</c> says: the bone, the vertebral level, a label, and whether two resources are on the
/// same bone. Used for lesions, compressions, fractures and procedures alike, so that they are matched by one rule.
/// </summary>
internal static class BodySites
{
    /// <summary>The first recognised SNOMED bone of the body sites, or null.</summary>
    public static BoneSite? Bone(IEnumerable<CodeableConcept> sites) =>
        sites.SelectMany(b => b.Coding).Select(x => Terminology.Bone(x.System, x.Code)).FirstOrDefault(b => b is not null);

    /// <summary>
    /// The vertebral level the body sites name: the level of a SNOMED vertebra code (7610001 → T10), otherwise one
    /// written in the text or a display ("T10", "Sacrum, S1-S2" → S1). Text is read only when the code is a vertebra or
    /// region of the spine, or is not recognised: "L1" in the text of a femur is not a level of that femur.
    /// </summary>
    public static string? Level(IReadOnlyCollection<CodeableConcept> sites)
    {
        var bone = Bone(sites);
        if (bone?.Level is { } level)
        {
            return level;
        }

        if (bone is not null && bone.Kind != BoneKind.Vertebra)
        {
            return null;
        }

        return sites.Select(s => VertebralLevel.Parse(s.Text))
            .Concat(sites.SelectMany(s => s.Coding).Select(c => VertebralLevel.Parse(c.Display)))
            .FirstOrDefault(l => l is not null);
    }

    /// <summary>The human label of the first body site: its text, else the display of its first coding.</summary>
    public static string? Label(IEnumerable<CodeableConcept> sites)
    {
        var site = sites.FirstOrDefault();
        return site?.Text is { Length: > 0 } t ? t : site?.Coding.FirstOrDefault()?.Display;
    }

    /// <summary>
    /// True when two sets of body sites name the same bone: a SNOMED code in common and the same vertebral level (both
    /// none for a limb bone). The code alone is not enough for the spine ("vertebral column" with texts T4 and L1 are two
    /// bones), and the level alone is not enough either (it may come from free text).
    /// </summary>
    public static bool SameBone(IReadOnlyCollection<CodeableConcept> a, IReadOnlyCollection<CodeableConcept> b)
    {
        var codesA = a.SelectMany(s => s.Coding).Where(c => c.System == CodeSystems.Snomed && c.Code is not null).Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
        var common = b.SelectMany(s => s.Coding).Any(c => c.System == CodeSystems.Snomed && c.Code is not null && codesA.Contains(c.Code));
        return common && Level(a) == Level(b);
    }
}
