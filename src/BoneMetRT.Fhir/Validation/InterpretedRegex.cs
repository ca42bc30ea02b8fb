#pragma warning disable ExperimentalApi // Firely's schema model (RegExValidator) is marked experimental.
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;
using Firely.Fhir.Validation;

namespace BoneMetRT.Fhir.Validation;

/// <summary>
/// Gives Firely's <see cref="RegExValidator"/>s an interpreted <see cref="Regex"/> of the same pattern in place of the
/// one they compile to IL (<see cref="RegexOptions.Compiled"/>), shared by every validator of that pattern.
/// </summary>
/// <remarks>
/// A compiled regex is generated as IL when it is made and compiled by the JIT, fully optimised, the first time it
/// matches: for the some thirty primitive-type patterns a validated request meets, about 0.12 s of CPU at start-up,
/// on the path of the first request (bench/BENCHMARKS.md, "Cold start"), where interpreting them costs about 0.01 s.
/// What a regex matches does not depend on how it runs (<see cref="RegexOptions.Compiled"/> changes the engine's
/// speed, not its semantics), and a FHIR primitive is short, so the interpreter's slower matching is a few
/// microseconds per Firely run, which the validation-result and shape caches make rare.
/// tests/BoneMetRT.Fhir.Tests/Validation/InterpretedRegexTests.cs checks that every regex of the compiled schemas is
/// interpreted and keeps its pattern; should a Firely release rename the field, the validators keep their own regex.
/// </remarks>
public static class InterpretedRegex
{
    private static readonly FieldInfo? RegexField =
        typeof(RegExValidator).GetField("_regex", BindingFlags.Instance | BindingFlags.NonPublic) is { FieldType: var t } f && t == typeof(Regex) ? f : null;

    private static readonly ConcurrentDictionary<(string Pattern, RegexOptions Options), Regex> Shared = new();

    /// <summary>The same assertion; a <see cref="RegExValidator"/> now matching with an interpreted regex.</summary>
    public static IAssertion Swap(IAssertion assertion)
    {
        if (assertion is RegExValidator validator && RegexField?.GetValue(validator) is Regex own && (own.Options & RegexOptions.Compiled) != 0)
        {
            var options = own.Options & ~RegexOptions.Compiled;
            RegexField.SetValue(validator, Shared.GetOrAdd((own.ToString(), options), k => new Regex(k.Pattern, k.Options, own.MatchTimeout)));
        }

        return assertion;
    }

    /// <summary>
    /// The interpreted regex matching the whole of a value against <paramref name="pattern"/>, as Firely anchors a
    /// primitive type's pattern: the instance the swapped validators of that pattern share (the shape rules use it).
    /// </summary>
    public static Regex Anchored(string pattern) =>
        Shared.GetOrAdd(("^" + pattern + "$", RegexOptions.None), k => new Regex(k.Pattern, k.Options));

    /// <summary>The regex a validator matches with (for the tests), or null if it cannot be read.</summary>
    public static Regex? Of(RegExValidator validator) => RegexField?.GetValue(validator) as Regex;
}
