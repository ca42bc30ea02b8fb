namespace BoneMetRT.Fhir.Tests.Serialization;

/// <summary>
/// The test classes that switch <c>FhirSerialization.FastParse</c> or <c>FastRead</c> (process-wide statics) run one
/// after the other, never beside each other: otherwise one could run its "with the switch on" half while the other has
/// it off, and pass without having taken the path it checks.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ParseSwitchesCollection
{
    /// <summary>Name of the test collection.</summary>
    public const string Name = "parse switches";
}
