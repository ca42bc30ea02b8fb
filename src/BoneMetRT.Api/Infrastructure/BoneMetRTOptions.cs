namespace BoneMetRT.Api.Infrastructure;

/// <summary>Settings of the service (section <c>BoneMetRT</c> of the configuration).</summary>
public sealed class BoneMetRTOptions
{
    /// <summary>Base path of the FHIR endpoints.</summary>
    public string BasePath { get; set; } = "/fhir";

    /// <summary>Largest request body accepted, in bytes (default 1 MiB); larger bodies get 413.</summary>
    public long MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Validate inputs against FHIR R4 and the BoneMetRT profiles before scoring.</summary>
    public bool ValidateInput { get; set; } = true;

    /// <summary>α/β of the spinal cord in Gy, for cord EQD2.</summary>
    public decimal CordAlphaBetaGy { get; set; } = 0.87m;
}
