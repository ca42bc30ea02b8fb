namespace BoneMetRT.Domain.Regimens;

/// <summary>Delivery technique of a regimen.</summary>
public enum Technique
{
    /// <summary>3D conformal radiotherapy or IMRT (most frequent, fastest to start, available everywhere).</summary>
    Conformal,
    /// <summary>Stereotactic body radiotherapy.</summary>
    Sbrt,
}

/// <summary>A dose/fractionation regimen the guideline names.</summary>
/// <param name="Code">Contract code (<c>rt-8gy-1fx</c> …).</param>
/// <param name="TotalDoseGy">Total prescribed dose in Gy.</param>
/// <param name="Fractions">Number of fractions.</param>
/// <param name="Technique">Conformal/IMRT or SBRT.</param>
/// <param name="Name">Human-readable name.</param>
/// <param name="Reference">Where the regimen is named.</param>
/// <remarks>
/// Palliative regimens 30 Gy/10, 24 Gy/6, 20 Gy/5 and 8 Gy/1: seed §2.1 (Tableau 5, refs 75–77); spine SBRT 18 Gy/1 and
/// 24 Gy/2: AURA continuation (guideline.md §5).
/// </remarks>
public sealed record Regimen(string Code, decimal TotalDoseGy, int Fractions, Technique Technique, LocalizedText Name, GuidelineRef Reference)
{
    /// <summary>Dose per fraction in Gy.</summary>
    public decimal DosePerFractionGy => TotalDoseGy / Fractions;

    /// <summary>8 Gy in a single fraction.</summary>
    public static readonly Regimen Rt8Gy1 = new("rt-8gy-1fx", 8m, 1, Technique.Conformal,
        new("8 Gy in 1 fraction", "8 Gy en 1 fraction"), Sections.DoseFractionation);

    /// <summary>20 Gy in 5 fractions.</summary>
    public static readonly Regimen Rt20Gy5 = new("rt-20gy-5fx", 20m, 5, Technique.Conformal,
        new("20 Gy in 5 fractions", "20 Gy en 5 fractions"), Sections.DoseFractionation);

    /// <summary>24 Gy in 6 fractions.</summary>
    public static readonly Regimen Rt24Gy6 = new("rt-24gy-6fx", 24m, 6, Technique.Conformal,
        new("24 Gy in 6 fractions", "24 Gy en 6 fractions"), Sections.DoseFractionation);

    /// <summary>30 Gy in 10 fractions, the most classic.</summary>
    public static readonly Regimen Rt30Gy10 = new("rt-30gy-10fx", 30m, 10, Technique.Conformal,
        new("30 Gy in 10 fractions", "30 Gy en 10 fractions"), Sections.DoseFractionation);

    /// <summary>Stereotactic 18 Gy in 1 fraction.</summary>
    public static readonly Regimen Sbrt18Gy1 = new("sbrt-18gy-1fx", 18m, 1, Technique.Sbrt,
        new("SBRT 18 Gy in 1 fraction", "Stéréotaxie 18 Gy en 1 fraction"), Sections.Oligometastatic);

    /// <summary>Stereotactic 24 Gy in 2 fractions.</summary>
    public static readonly Regimen Sbrt24Gy2 = new("sbrt-24gy-2fx", 24m, 2, Technique.Sbrt,
        new("SBRT 24 Gy in 2 fractions", "Stéréotaxie 24 Gy en 2 fractions"), Sections.Oligometastatic);

    /// <summary>Every regimen, palliative first.</summary>
    public static readonly IReadOnlyList<Regimen> All = [Rt8Gy1, Rt20Gy5, Rt24Gy6, Rt30Gy10, Sbrt18Gy1, Sbrt24Gy2];
}

/// <summary>A regimen proposed for a lesion, preferred or alternative, with the reason.</summary>
public sealed record RegimenOption(Regimen Regimen, bool Preferred, LocalizedText Why, CordDose? Cord);
