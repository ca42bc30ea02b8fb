using System.Diagnostics.CodeAnalysis;

namespace BoneMetRT.Fhir;

/// <summary>
/// The result of a step of the library (parsing, Normalize, an operation) as a value: what it produced, the issues met
/// on the way and the <see cref="OutcomeKind"/>. Problems of the input travel in it; exceptions are kept for the
/// programmer's errors.
/// </summary>
/// <typeparam name="T">What the step produces.</typeparam>
public sealed record Result<T>
    where T : class
{
    private Result(OutcomeKind kind, T? value, IReadOnlyList<Issue> issues)
    {
        Kind = kind;
        Value = value;
        Issues = issues;
    }

    /// <summary>What became of the step.</summary>
    public OutcomeKind Kind { get; }

    /// <summary>
    /// What the step produced; on failure, what it made of its problems when it made something (an operation's
    /// OperationOutcome in the request's language), else null.
    /// </summary>
    public T? Value { get; }

    /// <summary>The issues met: the errors of a failure, or the warnings and notes of a success.</summary>
    public IReadOnlyList<Issue> Issues { get; }

    /// <summary>True when the step produced its result (<see cref="OutcomeKind.Success"/>).</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    public bool IsSuccess => Kind == OutcomeKind.Success && Value is not null;

    /// <summary>A success with its value and the issues worth telling beside it.</summary>
    public static Result<T> Success(T value, IReadOnlyList<Issue>? issues = null) =>
        new(OutcomeKind.Success, value ?? throw new ArgumentNullException(nameof(value)), issues ?? []);

    /// <summary>A failure of the given kind, with the issues saying why and, optionally, what the step made of them.</summary>
    public static Result<T> Failure(OutcomeKind kind, IReadOnlyList<Issue> issues, T? value = null) =>
        kind == OutcomeKind.Success
            ? throw new ArgumentException("A failure needs a failure kind.", nameof(kind))
            : new(kind, value, issues);
}
