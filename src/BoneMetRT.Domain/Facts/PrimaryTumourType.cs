namespace BoneMetRT.Domain.Facts;

/// <summary>Rades item "primary tumour type".</summary>
public enum PrimaryTumourType { Breast, Prostate, MyelomaLymphoma, Nsclc, Sclc, UnknownPrimary, Kidney, Colorectal, Other }
