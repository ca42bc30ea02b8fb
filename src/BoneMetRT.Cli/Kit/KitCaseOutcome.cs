namespace BoneMetRT.Cli.Kit;

/// <summary>How a kit case ended.</summary>
public enum KitCaseOutcome
{
    /// <summary>Every check held.</summary>
    Passed,

    /// <summary>At least one check did not hold, or the request could not be made.</summary>
    Failed,

    /// <summary>Not run: the case needs a token and none was given.</summary>
    Skipped,
}
