namespace BoneMetRT.Cli.Kit;

/// <summary>
/// One expectation on an answer: a FHIRPath expression evaluated on the answer resource, which passes when it gives
/// exactly one <c>true</c> (as a TestScript <c>assert.expression</c>). It never names a generated id.
/// </summary>
public sealed record KitAssertion
{
    /// <summary>The expectation in words, as a clinician or tester states it.</summary>
    public string Description { get; init; } = "";

    /// <summary>The FHIRPath expression.</summary>
    public string Expression { get; init; } = "";
}
