namespace BoneMetRT.Domain.Regimens;

/// <summary>Biologically effective dose and its 2-Gy equivalent for a tissue of a given α/β.</summary>
/// <remarks>
/// BED = n·d·(1 + d/(α/β)); EQD2 = n·d·(d + α/β)/(2 + α/β) (guideline.md §6). The seed (§2.1) asks for particular
/// attention to the spinal-cord dose with α/β = 0.87 Gy; the value is a setting (<see cref="EngineSettings"/>).
/// </remarks>
public static class Radiobiology
{
    /// <summary>BED in Gy.</summary>
    public static decimal Bed(decimal totalDoseGy, int fractions, decimal alphaBeta)
    {
        Check(totalDoseGy, fractions, alphaBeta);
        var d = totalDoseGy / fractions;
        return totalDoseGy * (1 + d / alphaBeta);
    }

    /// <summary>EQD2 in Gy.</summary>
    public static decimal Eqd2(decimal totalDoseGy, int fractions, decimal alphaBeta)
    {
        Check(totalDoseGy, fractions, alphaBeta);
        var d = totalDoseGy / fractions;
        return totalDoseGy * (d + alphaBeta) / (2 + alphaBeta);
    }

    private static void Check(decimal totalDoseGy, int fractions, decimal alphaBeta)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalDoseGy);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fractions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(alphaBeta);
    }
}

/// <summary>Upper bound of the spinal-cord dose if the cord received the full prescription of a regimen.</summary>
/// <param name="AlphaBetaGy">α/β used.</param>
/// <param name="BedGy">BED in Gy, rounded to 0.01.</param>
/// <param name="Eqd2Gy">EQD2 in Gy, rounded to 0.01.</param>
public sealed record CordDose(decimal AlphaBetaGy, decimal BedGy, decimal Eqd2Gy)
{
    /// <summary>Computes the cord upper bound for a regimen.</summary>
    public static CordDose For(Regimen regimen, decimal alphaBeta) => new(
        alphaBeta,
        Math.Round(Radiobiology.Bed(regimen.TotalDoseGy, regimen.Fractions, alphaBeta), 2, MidpointRounding.AwayFromZero),
        Math.Round(Radiobiology.Eqd2(regimen.TotalDoseGy, regimen.Fractions, alphaBeta), 2, MidpointRounding.AwayFromZero));

    /// <summary>Explanation of the figure.</summary>
    public LocalizedText Text => new(
        $"Spinal-cord EQD2 upper bound (cord at full prescription, α/β {AlphaBetaGy} Gy): {Eqd2Gy} Gy (BED {BedGy} Gy).",
        $"EQD2 maximale à la moelle (moelle à la dose prescrite, α/β {AlphaBetaGy} Gy) : {Eqd2Gy} Gy (BED {BedGy} Gy).");
}
