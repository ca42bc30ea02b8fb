namespace BoneMetRT.Domain;

/// <summary>Settings of the engine that a site may change; defaults follow the guideline where it gives a value.</summary>
/// <param name="CordAlphaBetaGy">α/β of the spinal cord in Gy (seed §2.1: 0.87).</param>
/// <param name="PoorPerformanceEcog">ECOG from which performance status counts as poor for regimen choice.</param>
/// <param name="PoorPerformanceKarnofsky">Karnofsky at or below which performance status counts as poor.</param>
/// <param name="PostOperativeHorizonDays">Days after an operation past which a lesion is no longer in the post-operative situation.</param>
/// <remarks>
/// The guideline names "poor performance status" (AURA, guideline §6) without a threshold. The defaults describe the
/// same patient on both scales: ECOG 3 ("capable of only limited self-care, in bed or chair more than half of waking
/// hours") corresponds to Karnofsky 30–40, so ECOG ≥ 3 and Karnofsky ≤ 40. The guideline gives the post-operative
/// window (day 15 to 21) but no end to the situation; 42 days (six weeks, twice the window) is this engine's choice,
/// after which the operation is history and the lesion is assessed like any other. Every rationale that uses one of
/// these values says so.
/// </remarks>
public sealed record EngineSettings(
    decimal CordAlphaBetaGy = 0.87m,
    int PoorPerformanceEcog = 3,
    int PoorPerformanceKarnofsky = 40,
    int PostOperativeHorizonDays = 42)
{
    /// <summary>The defaults.</summary>
    public static EngineSettings Default { get; } = new();
}
