namespace BoneMetRT.Domain.Facts;

/// <summary>Mirels item "pain".</summary>
public enum MirelsPain { Mild, Moderate, Functional }
