namespace BoneMetRT.Domain.Facts;

/// <summary>Scale of a performance-status value.</summary>
public enum PerformanceScale { Ecog, Karnofsky }
