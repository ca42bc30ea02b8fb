namespace BoneMetRT.Cli.Kit;

/// <summary>The result of one kit case.</summary>
/// <param name="Case">The case.</param>
/// <param name="Outcome">Passed, failed or skipped.</param>
/// <param name="Checks">Each check in order (status, resource type, assertions); empty when skipped.</param>
/// <param name="Note">Why the case was skipped or could not be run; empty otherwise.</param>
public sealed record KitCaseResult(KitCase Case, KitCaseOutcome Outcome, IReadOnlyList<KitCheck> Checks, string Note);
