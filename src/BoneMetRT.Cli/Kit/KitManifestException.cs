namespace BoneMetRT.Cli.Kit;

/// <summary>A manifest file that cannot be read as a kit (a usage error of <c>bonemetrt kit</c>, exit code 2).</summary>
public sealed class KitManifestException(string message) : Exception(message);
