namespace BoneMetRT.Domain.Scoring;

/// <summary>What kind of finding it is.</summary>
public enum FindingKind
{
    /// <summary>A score item is missing; the score is withheld (guideline §8).</summary>
    MissingItem,
    /// <summary>A score item has two different values of the same date; the score is withheld (guideline §8).</summary>
    ConflictingItem,
    /// <summary>A value outside the range the rule accepts.</summary>
    InvalidItem,
    /// <summary>A clinical caveat the guideline insists on (e.g. NSCLC in Rades).</summary>
    Caveat,
    /// <summary>A point where the seed and the literature disagree (guideline §7).</summary>
    Discrepancy,
    /// <summary>A rule that does not apply to this input (e.g. Mirels on a vertebra).</summary>
    NotApplicable,
    /// <summary>Anything else worth telling.</summary>
    Note,
}
