namespace BoneMetRT.Domain.Facts;

/// <summary>Rades item "motor function before radiotherapy".</summary>
public enum AmbulatoryStatus { AmbulatoryWithoutAid, AmbulatoryWithAid, NonAmbulatory, Paraplegic }
