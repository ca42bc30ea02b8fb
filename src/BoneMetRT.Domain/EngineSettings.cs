namespace BoneMetRT.Domain;

/// <summary>Settings of the engine that a site may change; defaults follow the guideline.</summary>
/// <param name="CordAlphaBetaGy">α/β of the spinal cord in Gy (seed §2.1: 0.87).</param>
/// <param name="PoorPerformanceEcog">ECOG from which performance status counts as poor for regimen choice.</param>
/// <param name="PoorPerformanceKarnofsky">Karnofsky at or below which performance status counts as poor.</param>
/// <remarks>
/// The guideline names "poor performance status" (AURA, guideline.md §6) without a threshold; ECOG ≥ 3 / Karnofsky ≤ 50
/// (capable of only limited self-care) is this engine's default and is stated in every rationale that uses it.
/// </remarks>
public sealed record EngineSettings(decimal CordAlphaBetaGy = 0.87m, int PoorPerformanceEcog = 3, int PoorPerformanceKarnofsky = 50)
{
    /// <summary>The defaults.</summary>
    public static EngineSettings Default { get; } = new();
}
