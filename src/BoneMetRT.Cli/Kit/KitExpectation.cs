namespace BoneMetRT.Cli.Kit;

/// <summary>What the answer of a kit case must hold.</summary>
public sealed record KitExpectation
{
    /// <summary>HTTP status.</summary>
    public int Status { get; init; }

    /// <summary>The resource type of the answer (every answer is a FHIR resource, errors an OperationOutcome).</summary>
    public string ResourceType { get; init; } = "";

    /// <summary>FHIRPath expressions on the answer, each of which must evaluate to <c>true</c>.</summary>
    public IReadOnlyList<KitAssertion> Assertions { get; init; } = [];
}
