using BoneMetRT.Domain.Facts;

namespace BoneMetRT.Domain.Regimens;

/// <summary>Target-volume guidance for one lesion.</summary>
/// <param name="VertebraeAboveAndBelow">For a vertebra, how many vertebrae to include above and below; null otherwise.</param>
/// <param name="Text">The guidance.</param>
public sealed record TargetVolume(int? VertebraeAboveAndBelow, LocalizedText Text)
{
    /// <summary>Section of the guidance.</summary>
    public GuidelineRef Reference => Sections.TargetVolume;
}

/// <summary>Target volumes of conformal radiotherapy.</summary>
/// <remarks>
/// Seed §2.1: long bones, the whole involved bone and the surgical hardware; vertebrae, one vertebra on each side of
/// the target, two with epidural extension (épidurite), laterally to the transverse processes plus any soft-tissue
/// extension. Post-operative: all hardware and the scar (AURA, guideline.md §4).
/// </remarks>
public static class TargetVolumeRule
{
    /// <summary>Guidance for a lesion; <paramref name="operated"/> adds the hardware and the scar.</summary>
    public static TargetVolume For(LesionFacts lesion, bool operated)
    {
        var postOp = operated
            ? new LocalizedText(" After surgery, include all the hardware and the scar.", " Après chirurgie, inclure tout le matériel et la cicatrice.")
            : new LocalizedText("", "");
        switch (lesion.Kind)
        {
            case BoneKind.LongBone:
                return new(null, new(
                    $"{lesion.Label}: include the whole involved bone and any surgical hardware.{postOp.En}",
                    $"{lesion.Label} : inclure l'ensemble de l'os atteint et du matériel chirurgical.{postOp.Fr}"));
            case BoneKind.Vertebra:
                var lateral = new LocalizedText(
                    "Laterally up to the transverse processes (plus any soft-tissue extension).",
                    "Latéralement jusqu'aux apophyses transverses (et l'éventuelle extension dans les tissus mous).");
                var epidural = lesion.EpiduralExtension;
                var (n, text) = epidural switch
                {
                    { IsPresent: true, Value: true } => (2, new LocalizedText(
                        $"{lesion.Label}, with epidural extension: include two vertebrae above and two below the target.",
                        $"{lesion.Label}, avec épidurite : inclure deux vertèbres de part et d'autre du volume cible.")),
                    { IsPresent: true, Value: false } => (1, new LocalizedText(
                        $"{lesion.Label}: include one vertebra above and one below the target.",
                        $"{lesion.Label} : inclure une vertèbre de part et d'autre de la vertèbre cible.")),
                    _ => (1, new LocalizedText(
                        $"{lesion.Label}: include one vertebra above and one below the target; epidural extension is not documented — if present, extend to two above and two below.",
                        $"{lesion.Label} : inclure une vertèbre de part et d'autre de la vertèbre cible ; l'épidurite n'est pas documentée — si elle est présente, étendre à deux vertèbres de part et d'autre.")),
                };
                var range = VertebralLevel.Range(lesion.Level ?? lesion.Label, n) is { } r
                    ? new LocalizedText($"Levels {r}.", $"Niveaux {r}.")
                    : new LocalizedText("", "");
                return new(n, LocalizedText.Join([text, range, lateral, postOp]));
            default:
                return new(null, new(
                    $"{lesion.Label}: the guideline gives no specific target-volume rule for this site; contour the lesion on the planning CT.{postOp.En}",
                    $"{lesion.Label} : le référentiel ne donne pas de règle de volume cible spécifique pour ce site ; contourer la lésion sur le scanner dosimétrique.{postOp.Fr}"));
        }
    }

    /// <summary>
    /// Guidance for a stereotactic course: the conventional margins (whole bone, one or two vertebrae on each side) are
    /// conformal-radiotherapy rules (seed §2.1) and do not apply; the guideline gives no SBRT contouring rule.
    /// </summary>
    public static TargetVolume ForSbrt(LesionFacts lesion) => new(null, new(
        $"{lesion.Label}, stereotactic treatment: the conventional margins (whole bone, vertebrae above and below) do not apply; the gross tumour and the involved segment are contoured on the planning CT and MRI following stereotactic contouring practice, to be set by the specialised tumour board (the guideline gives no stereotactic target rule).",
        $"{lesion.Label}, traitement stéréotaxique : les marges conventionnelles (os entier, vertèbres sus- et sous-jacentes) ne s'appliquent pas ; la tumeur macroscopique et le segment atteint sont contourés sur le scanner dosimétrique et l'IRM selon les pratiques de la stéréotaxie, à définir en RCP spécialisée (le référentiel ne donne pas de règle de volume cible en stéréotaxie)."));
}
