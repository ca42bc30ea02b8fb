namespace BoneMetRT.Domain;

/// <summary>Identity of the guideline engine; the version goes into every FHIR output (Provenance, Device).</summary>
public static class EngineInfo
{
    /// <summary>Engine name as shown to users.</summary>
    public const string Name = "BoneMetRT guideline engine";

    /// <summary>Semantic version of the rules; bump it whenever a decision can change.</summary>
    public const string Version = "0.2.0";
}
