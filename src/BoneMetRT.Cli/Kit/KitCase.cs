namespace BoneMetRT.Cli.Kit;

/// <summary>One request of the kit and what its answer must hold.</summary>
public sealed record KitCase
{
    /// <summary>Stable name, e.g. <c>valid/fracture-femur-mirels-8</c>; used in reports and to pick cases.</summary>
    public string Id { get; init; } = "";

    /// <summary>What the case shows, in a tester's words.</summary>
    public string Title { get; init; } = "";

    /// <summary>The body file, relative to the manifest's folder; none for a request without a body.</summary>
    public string? Body { get; init; }

    /// <summary>How to send it.</summary>
    public KitRequest Request { get; init; } = new();

    /// <summary>What the answer must hold.</summary>
    public KitExpectation Expect { get; init; } = new();

    /// <summary>
    /// What the deployment must offer for the case to make sense, said in words (e.g. a FHIR server holding the
    /// sandbox patients); the runner only reports it.
    /// </summary>
    public string? Requires { get; init; }

    /// <summary>Whether a header holds the <see cref="KitRequest.TokenPlaceholder"/>: the case needs <c>--token</c>.</summary>
    public bool NeedsToken => Request.Headers.Values.Any(v => v.Contains(KitRequest.TokenPlaceholder, StringComparison.Ordinal));
}
