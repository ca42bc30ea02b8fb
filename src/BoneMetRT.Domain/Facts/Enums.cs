namespace BoneMetRT.Domain.Facts;

/// <summary>Mirels item "site of the lesion".</summary>
public enum MirelsSite { UpperLimb, LowerLimb, Peritrochanteric }

/// <summary>Mirels item "size": share of the cortex involved.</summary>
public enum MirelsSize { LessThanOneThird, OneToTwoThirds, MoreThanTwoThirds }

/// <summary>Mirels item "type of lesion" (radiographic nature).</summary>
public enum LesionType { Blastic, Mixed, Lytic }

/// <summary>Mirels item "pain".</summary>
public enum MirelsPain { Mild, Moderate, Functional }

/// <summary>Rades item "primary tumour type".</summary>
public enum PrimaryTumourType { Breast, Prostate, MyelomaLymphoma, Nsclc, Sclc, UnknownPrimary, Kidney, Colorectal, Other }

/// <summary>Rades item "motor function before radiotherapy".</summary>
public enum AmbulatoryStatus { AmbulatoryWithoutAid, AmbulatoryWithAid, NonAmbulatory, Paraplegic }

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

/// <summary>Unit of the axial cortical-lysis measure (see guideline §7: the seed says %, the literature mm).</summary>
public enum LysisUnit { Percent, Millimetre }

/// <summary>An axial cortical-lysis measurement with its unit.</summary>
public readonly record struct LysisMeasure(decimal Value, LysisUnit Unit);

/// <summary>Performance status as sent: ECOG (0–4) or Karnofsky (0–100).</summary>
public readonly record struct PerformanceStatus(PerformanceScale Scale, int Value);

/// <summary>Scale of a performance-status value.</summary>
public enum PerformanceScale { Ecog, Karnofsky }
