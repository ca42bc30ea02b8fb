namespace BoneMetRT.Cli.Kit;

/// <summary>The result of one check of a case: the status, the resource type, or one assertion.</summary>
/// <param name="Description">What was checked.</param>
/// <param name="Passed">Whether it held.</param>
/// <param name="Detail">What was found when it did not hold (or the expression checked).</param>
public sealed record KitCheck(string Description, bool Passed, string Detail);
