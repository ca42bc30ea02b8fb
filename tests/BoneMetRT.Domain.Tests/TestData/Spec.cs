using BoneMetRT.Domain.Facts;

namespace BoneMetRT.Domain.Tests;

/// <summary>
/// The guideline's tables typed in by hand from <c>docs/guideline.md</c> (and the item/answer codes from
/// <c>docs/fhir-contract.md</c>). This is the test oracle: nothing here is read from the code under test.
/// </summary>
internal static class Spec
{
    // §2 Mirels, first table.
    public static readonly IReadOnlyDictionary<MirelsSite, int> SitePoints = new Dictionary<MirelsSite, int>
    {
        [MirelsSite.UpperLimb] = 1,
        [MirelsSite.LowerLimb] = 2,
        [MirelsSite.Peritrochanteric] = 3,
    };

    public static readonly IReadOnlyDictionary<MirelsSize, int> SizePoints = new Dictionary<MirelsSize, int>
    {
        [MirelsSize.LessThanOneThird] = 1,
        [MirelsSize.OneToTwoThirds] = 2,
        [MirelsSize.MoreThanTwoThirds] = 3,
    };

    public static readonly IReadOnlyDictionary<LesionType, int> TypePoints = new Dictionary<LesionType, int>
    {
        [LesionType.Blastic] = 1,
        [LesionType.Mixed] = 2,
        [LesionType.Lytic] = 3,
    };

    public static readonly IReadOnlyDictionary<MirelsPain, int> PainPoints = new Dictionary<MirelsPain, int>
    {
        [MirelsPain.Mild] = 1,
        [MirelsPain.Moderate] = 2,
        [MirelsPain.Functional] = 3,
    };

    /// <summary>Mirels item codes (contract §1), in table order: site, size, type, pain.</summary>
    public static readonly string[] MirelsItemCodes = ["mirels-site", "mirels-size", "lesion-type", "mirels-pain"];

    /// <summary>§2 second table: interpretation code by total.</summary>
    public static string MirelsInterpretation(int total) => total switch
    {
        <= 7 => "mirels-radiotherapy",
        8 => "mirels-tumour-board",
        _ => "mirels-fixation",
    };

    /// <summary>§2 fracture risk by band [lit: Mirels 1989].</summary>
    public static decimal MirelsFractureRisk(int total) => total switch
    {
        <= 7 => 0.04m,
        8 => 0.15m,
        _ => 0.33m,
    };

    /// <summary>§2 decision by total, as the recommendation code of the contract.</summary>
    public static string MirelsDecisionCode(int total) => total switch
    {
        <= 7 => "radiotherapy",
        8 => "tumour-board-review",
        _ => "prophylactic-fixation",
    };

    // §3 Rades.
    public static readonly IReadOnlyDictionary<PrimaryTumourType, int> PrimaryPoints = new Dictionary<PrimaryTumourType, int>
    {
        [PrimaryTumourType.Breast] = 8,
        [PrimaryTumourType.Prostate] = 7,
        [PrimaryTumourType.MyelomaLymphoma] = 9,
        [PrimaryTumourType.Nsclc] = 5,
        [PrimaryTumourType.Sclc] = 6,
        [PrimaryTumourType.UnknownPrimary] = 5,
        [PrimaryTumourType.Kidney] = 6,
        [PrimaryTumourType.Colorectal] = 6,
        [PrimaryTumourType.Other] = 6,
    };

    public static int IntervalPoints(bool moreThan15Months) => moreThan15Months ? 8 : 6;

    public static int VisceralPoints(bool visceral) => visceral ? 5 : 8;

    public static readonly IReadOnlyDictionary<AmbulatoryStatus, int> AmbulatoryPoints = new Dictionary<AmbulatoryStatus, int>
    {
        [AmbulatoryStatus.AmbulatoryWithoutAid] = 10,
        [AmbulatoryStatus.AmbulatoryWithAid] = 9,
        [AmbulatoryStatus.NonAmbulatory] = 3,
        [AmbulatoryStatus.Paraplegic] = 1,
    };

    /// <summary>Deficit row for whole days ≥ 1: 1–7 → 4, 8–14 → 7, &gt; 14 → 9.</summary>
    public static int DeficitPoints(int days) => days switch
    {
        < 1 => throw new ArgumentOutOfRangeException(nameof(days), days, "The table starts at 1 day."),
        <= 7 => 4,
        <= 14 => 7,
        _ => 9,
    };

    /// <summary>Rades item codes (contract §1 plus the derived interval), in table order.</summary>
    public static readonly string[] RadesItemCodes = ["primary-tumour-type", "interval-to-mscc", "visceral-metastases", "ambulatory-status", "motor-deficit-duration"];

    /// <summary>§3 group by total.</summary>
    public static int RadesGroup(int total) => total switch
    {
        <= 28 => 1,
        <= 37 => 2,
        _ => 3,
    };

    /// <summary>§3 ambulatory rate after RT by group [lit: Rades 2011].</summary>
    public static decimal AmbulatoryRate(int group) => group switch
    {
        1 => 0.11m,
        2 => 0.71m,
        _ => 0.99m,
    };

    // §6 radiobiology.
    public const decimal CordAlphaBeta = 0.87m;

    /// <summary>BED = n·d·(1 + d/(α/β)).</summary>
    public static decimal Bed(int n, decimal d, decimal alphaBeta) => n * d * (1 + (d / alphaBeta));

    /// <summary>EQD2 = n·d·(d + α/β)/(2 + α/β).</summary>
    public static decimal Eqd2(int n, decimal d, decimal alphaBeta) => n * d * (d + alphaBeta) / (2 + alphaBeta);
}
