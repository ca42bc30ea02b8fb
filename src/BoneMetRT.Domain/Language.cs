namespace BoneMetRT.Domain;

/// <summary>Languages every human-readable text of the engine exists in.</summary>
public enum Language
{
    /// <summary>English.</summary>
    En,
    /// <summary>French, the language of the source guideline.</summary>
    Fr,
}
