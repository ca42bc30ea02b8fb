namespace BoneMetRT.Domain.Facts;

/// <summary>Mirels item "site of the lesion".</summary>
public enum MirelsSite { UpperLimb, LowerLimb, Peritrochanteric }
