namespace BoneMetRT.Fhir.Tests.Examples;

/// <summary>A clock stopped at a given date, so that "now" in the pipeline is deterministic.</summary>
public sealed class FixedClock(DateOnly date) : TimeProvider
{
    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => new(date.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
}
