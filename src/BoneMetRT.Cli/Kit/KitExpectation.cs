namespace BoneMetRT.Cli.Kit;

/// <summary>What the answer of a kit case must hold.</summary>
public sealed record KitExpectation
{
    /// <summary>HTTP status.</summary>
    public int Status { get; init; }

    /// <summary>The resource type of the answer (every answer is a FHIR resource, errors an OperationOutcome).</summary>
    public string ResourceType { get; init; } = "";

    /// <summary>The media type of the answer when it matters (content negotiation), e.g. <c>application/fhir+xml</c>.</summary>
    public string? MediaType { get; init; }

    /// <summary>
    /// Response headers the answer must carry, by name, each with a text its value must contain (case-insensitive),
    /// e.g. <c>WWW-Authenticate: Bearer</c> on a 401, <c>Allow: POST</c> on a 405.
    /// </summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>FHIRPath expressions on the answer, each of which must evaluate to <c>true</c>.</summary>
    public IReadOnlyList<KitAssertion> Assertions { get; init; } = [];
}
