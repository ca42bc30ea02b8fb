namespace BoneMetRT.Domain.Facts;

/// <summary>Whether an input item is known, absent, or known twice with different values.</summary>
public enum FactState
{
    /// <summary>One value (after the most-recent-wins rule).</summary>
    Present,
    /// <summary>No usable value was sent.</summary>
    Missing,
    /// <summary>Two different values with the same, most recent date: the engine will not choose (guideline §8).</summary>
    Conflicting,
}

/// <summary>
/// One clinical input item as the engine sees it: a value with the references of the inputs it came from, or the
/// explicit statement that it is missing or conflicting. The engine never invents a value for a missing item.
/// </summary>
/// <remarks>Sources are opaque strings (e.g. <c>Observation/obs-1</c>) owned by the caller's layer.</remarks>
public readonly record struct Fact<T>
{
    private readonly T? _value;

    private Fact(FactState state, T? value, IReadOnlyList<string>? sources)
    {
        State = state;
        _value = value;
        Sources = sources ?? [];
    }

    /// <summary>Present, missing or conflicting.</summary>
    public FactState State { get; }

    /// <summary>References of the inputs that gave (or contradicted) the value.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>True when the value can be used.</summary>
    public bool IsPresent => State == FactState.Present;

    /// <summary>The value; only valid when <see cref="IsPresent"/>.</summary>
    public T Value => IsPresent ? _value! : throw new InvalidOperationException($"Fact is {State}, it has no value.");

    /// <summary>A known value.</summary>
    public static Fact<T> Of(T value, params string[] sources) => new(FactState.Present, value, sources);

    /// <summary>No value was sent.</summary>
    public static Fact<T> Missing { get; } = new(FactState.Missing, default, []);

    /// <summary>Different values tie for most recent.</summary>
    public static Fact<T> Conflict(params string[] sources) => new(FactState.Conflicting, default, sources);

    /// <summary>Maps the value, keeping state and sources.</summary>
    public Fact<TOut> Select<TOut>(Func<T, TOut> map) => State switch
    {
        FactState.Present => Fact<TOut>.Of(map(Value), [.. Sources]),
        FactState.Conflicting => Fact<TOut>.Conflict([.. Sources]),
        _ => Fact<TOut>.Missing,
    };

    /// <summary>The value when present, otherwise <paramref name="fallback"/>; for display and non-scoring logic only.</summary>
    public T? OrDefault(T? fallback = default) => IsPresent ? _value : fallback;

    /// <inheritdoc/>
    public override string ToString() => IsPresent ? $"{_value}" : State.ToString();
}
