using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Scoring;

namespace BoneMetRT.Domain.Rades;

/// <summary>Interval from tumour diagnosis to the spinal cord compression.</summary>
public enum RadesInterval { UpTo15Months, MoreThan15Months }

/// <summary>Time developing the motor deficit before radiotherapy.</summary>
public enum DeficitDuration { OneToSevenDays, EightToFourteenDays, MoreThanFourteenDays }

/// <summary>Points of each Rades item (five items, total 21–44).</summary>
/// <remarks>Seed §1.3, Tableau 4 "Facteurs pronostiques du statut ambulatoire après radiothérapie" (Rades); guideline.md §3.</remarks>
public static class RadesTable
{
    /// <summary>Item "primary tumour type".</summary>
    public static readonly IReadOnlyList<PointsRow<PrimaryTumourType>> Primary =
    [
        new(PrimaryTumourType.Breast, "breast", new("breast", "sein"), 8),
        new(PrimaryTumourType.Prostate, "prostate", new("prostate", "prostate"), 7),
        new(PrimaryTumourType.MyelomaLymphoma, "myeloma-lymphoma", new("myeloma / lymphoma", "myélome / lymphome"), 9),
        new(PrimaryTumourType.Nsclc, "nsclc", new("non-small-cell lung cancer", "cancer bronchique non à petites cellules (CBNPC)"), 5),
        new(PrimaryTumourType.Sclc, "sclc", new("small-cell lung cancer", "cancer bronchique à petites cellules (CBPC)"), 6),
        new(PrimaryTumourType.UnknownPrimary, "unknown-primary", new("cancer of unknown primary", "cancer de primitif inconnu"), 5),
        new(PrimaryTumourType.Kidney, "kidney", new("kidney", "rein"), 6),
        new(PrimaryTumourType.Colorectal, "colorectal", new("colorectal", "colorectal"), 6),
        new(PrimaryTumourType.Other, "other", new("other", "autre"), 6),
    ];

    /// <summary>Item "interval between tumour diagnosis and MSCC".</summary>
    public static readonly IReadOnlyList<PointsRow<RadesInterval>> Interval =
    [
        new(RadesInterval.UpTo15Months, "le-15-months", new("≤ 15 months", "≤ 15 mois"), 6),
        new(RadesInterval.MoreThan15Months, "gt-15-months", new("> 15 months", "> 15 mois"), 8),
    ];

    /// <summary>Item "visceral metastases at the time of radiotherapy".</summary>
    public static readonly IReadOnlyList<PointsRow<bool>> Visceral =
    [
        new(true, "yes", new("yes", "oui"), 5),
        new(false, "no", new("no", "non"), 8),
    ];

    /// <summary>Item "motor function before radiotherapy".</summary>
    public static readonly IReadOnlyList<PointsRow<AmbulatoryStatus>> Ambulatory =
    [
        new(AmbulatoryStatus.AmbulatoryWithoutAid, "ambulatory-without-aid", new("ambulatory without aid", "ambulatoire, sans aide"), 10),
        new(AmbulatoryStatus.AmbulatoryWithAid, "ambulatory-with-aid", new("ambulatory with aid", "ambulatoire, avec aide"), 9),
        new(AmbulatoryStatus.NonAmbulatory, "non-ambulatory", new("not ambulatory", "non ambulatoire"), 3),
        new(AmbulatoryStatus.Paraplegic, "paraplegic", new("paraplegic", "paraplégique"), 1),
    ];

    /// <summary>Item "time developing motor deficit before radiotherapy".</summary>
    public static readonly IReadOnlyList<PointsRow<DeficitDuration>> Deficit =
    [
        new(DeficitDuration.OneToSevenDays, "1-7-days", new("1–7 days", "1-7 jours"), 4),
        new(DeficitDuration.EightToFourteenDays, "8-14-days", new("8–14 days", "8-14 jours"), 7),
        new(DeficitDuration.MoreThanFourteenDays, "gt-14-days", new("> 14 days", "> 14 jours"), 9),
    ];

    /// <summary>Item names, keyed by contract code, in table order.</summary>
    public static readonly IReadOnlyList<(string Code, LocalizedText Name)> Items =
    [
        (ItemCodes.PrimaryTumourType, new("Type of primary tumour", "Type de primitif")),
        (ItemCodes.IntervalToMscc, new("Interval from tumour diagnosis to spinal cord compression", "Intervalle entre le diagnostic de la tumeur et la compression médullaire")),
        (ItemCodes.VisceralMetastases, new("Visceral metastases at the time of radiotherapy", "Métastases viscérales lors de la radiothérapie")),
        (ItemCodes.AmbulatoryStatus, new("Motor function before radiotherapy", "Fonction motrice avant la radiothérapie")),
        (ItemCodes.MotorDeficitDuration, new("Time developing motor deficit before radiotherapy", "Délai de survenue du déficit moteur avant la radiothérapie")),
    ];

    /// <summary>
    /// "≤ 15 months" holds when the compression starts no later than 15 calendar months after the diagnosis. A
    /// compression revealing the cancer (onset before the diagnosis date) is in the "≤ 15 months" row.
    /// </summary>
    public static RadesInterval IntervalBetween(DateOnly diagnosis, DateOnly msccOnset) =>
        msccOnset <= diagnosis.AddMonths(15) ? RadesInterval.UpTo15Months : RadesInterval.MoreThan15Months;

    /// <summary>
    /// Band of the deficit duration in days. The table's rows are 1–7, 8–14 and &gt; 14 days; a deficit that
    /// developed within the first day counts in the first row, and fractional days above 7 (or 14) in the next.
    /// Returns null for a negative duration, which no row accepts.
    /// </summary>
    public static DeficitDuration? DeficitFromDays(decimal days) => days switch
    {
        < 0 => null,
        <= 7 => DeficitDuration.OneToSevenDays,
        <= 14 => DeficitDuration.EightToFourteenDays,
        _ => DeficitDuration.MoreThanFourteenDays,
    };
}
