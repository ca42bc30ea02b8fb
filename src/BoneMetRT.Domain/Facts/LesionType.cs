namespace BoneMetRT.Domain.Facts;

/// <summary>Mirels item "type of lesion" (radiographic nature).</summary>
public enum LesionType { Blastic, Mixed, Lytic }
