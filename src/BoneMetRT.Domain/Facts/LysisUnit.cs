namespace BoneMetRT.Domain.Facts;

/// <summary>Unit of the axial cortical-lysis measure (see guideline §7: the seed says %, the literature mm).</summary>
public enum LysisUnit { Percent, Millimetre }

/// <summary>An axial cortical-lysis measurement with its unit.</summary>
public readonly record struct LysisMeasure(decimal Value, LysisUnit Unit);

/// <summary>Performance status as sent: ECOG (0–4) or Karnofsky (0–100).</summary>
public readonly record struct PerformanceStatus(PerformanceScale Scale, int Value);
