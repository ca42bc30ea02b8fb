namespace BoneMetRT.Domain.Facts;

/// <summary>Mirels item "size": share of the cortex involved.</summary>
public enum MirelsSize { LessThanOneThird, OneToTwoThirds, MoreThanTwoThirds }
