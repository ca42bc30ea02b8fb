using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Scoring;

namespace BoneMetRT.Domain.Mirels;

/// <summary>Points of each Mirels item (four items, 1–3 points each).</summary>
/// <remarks>Seed §1.2, Tableau 3 "Score de Mirels" (Mirels 1989); guideline.md §2, first table.</remarks>
public static class MirelsTable
{
    /// <summary>Item "site of the lesion".</summary>
    public static readonly IReadOnlyList<PointsRow<MirelsSite>> Site =
    [
        new(MirelsSite.UpperLimb, "upper-limb", new("upper limb", "membre supérieur"), 1),
        new(MirelsSite.LowerLimb, "lower-limb", new("lower limb", "membre inférieur"), 2),
        new(MirelsSite.Peritrochanteric, "peritrochanteric", new("peritrochanteric region", "région trochantérienne"), 3),
    ];

    /// <summary>Item "size": share of the cortex involved.</summary>
    public static readonly IReadOnlyList<PointsRow<MirelsSize>> Size =
    [
        new(MirelsSize.LessThanOneThird, "lt-one-third", new("< 1/3 of the cortex", "< 1/3 de la corticale"), 1),
        new(MirelsSize.OneToTwoThirds, "one-to-two-thirds", new("1/3 to 2/3 of the cortex", "1/3 à 2/3 de la corticale"), 2),
        new(MirelsSize.MoreThanTwoThirds, "gt-two-thirds", new("> 2/3 of the cortex", "> 2/3 de la corticale"), 3),
    ];

    /// <summary>Item "type of lesion".</summary>
    public static readonly IReadOnlyList<PointsRow<LesionType>> Type =
    [
        new(LesionType.Blastic, "blastic", new("blastic", "condensante"), 1),
        new(LesionType.Mixed, "mixed", new("mixed", "mixte"), 2),
        new(LesionType.Lytic, "lytic", new("lytic", "lytique"), 3),
    ];

    /// <summary>Item "pain".</summary>
    public static readonly IReadOnlyList<PointsRow<MirelsPain>> Pain =
    [
        new(MirelsPain.Mild, "mild", new("mild", "légère"), 1),
        new(MirelsPain.Moderate, "moderate", new("moderate", "modérée"), 2),
        new(MirelsPain.Functional, "functional", new("functional (disabling)", "handicapante"), 3),
    ];

    /// <summary>Item names, keyed by contract code, in table order.</summary>
    public static readonly IReadOnlyList<(string Code, LocalizedText Name)> Items =
    [
        (ItemCodes.MirelsSite, new("Site of the lesion", "Localisation de la lésion")),
        (ItemCodes.MirelsSize, new("Size of the lesion (share of the cortex)", "Taille de la lésion (part de la corticale)")),
        (ItemCodes.LesionType, new("Type of lesion", "Type de lésion")),
        (ItemCodes.MirelsPain, new("Pain", "Douleur")),
    ];

    /// <summary>
    /// Converts the share of the cortex involved (in %) to the size item. Exactly one third or two thirds fall in the
    /// middle row, which the table writes "1/3 to 2/3" (both ends included).
    /// </summary>
    public static MirelsSize SizeFromPercent(decimal percent)
    {
        // A share computed as a ratio (e.g. 10/30 × 100) carries decimal rounding in its last digits: compare at a
        // precision far below any measurement so that exactly one or two thirds land in the middle row.
        var thirds = Math.Round(percent * 3, 10, MidpointRounding.ToEven);
        return thirds < 100 ? MirelsSize.LessThanOneThird
            : thirds <= 200 ? MirelsSize.OneToTwoThirds
            : MirelsSize.MoreThanTwoThirds;
    }
}
