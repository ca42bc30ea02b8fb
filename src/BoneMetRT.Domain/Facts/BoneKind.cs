namespace BoneMetRT.Domain.Facts;

/// <summary>What kind of bone a lesion sits in; decides which rules apply.</summary>
public enum BoneKind
{
    /// <summary>Humerus, radius, ulna, femur, tibia, fibula: Mirels applies.</summary>
    LongBone,
    /// <summary>A vertebra: vertebral target volume and spinal-cord dose apply.</summary>
    Vertebra,
    /// <summary>Flat or other bone (pelvis, rib, skull, …): neither Mirels nor vertebral rules.</summary>
    Other,
    /// <summary>The body site was not sent or not recognised.</summary>
    Unknown,
}
