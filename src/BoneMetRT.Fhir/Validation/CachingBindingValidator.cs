#pragma warning disable ExperimentalApi // Firely's schema model (IValidatable, BindingValidator, ISchemaBuilder) is marked experimental.
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Firely.Fhir.Validation;
using Firely.Fhir.Validation.Compilation;
using Hl7.Fhir.ElementModel;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Navigation;
using Hl7.Fhir.Specification.Source;
using Newtonsoft.Json.Linq;

namespace BoneMetRT.Fhir.Validation;

/// <summary>
/// Firely's standard schema builders, except that every <see cref="BindingValidator"/> they build is wrapped in a
/// <see cref="CachingBindingValidator"/>, every FHIRPath invariant that has a C# shortcut in a
/// <see cref="FastInvariantValidator"/> (<see cref="FastInvariants.Wrap"/>), and every regular expression is
/// interpreted rather than compiled to IL (<see cref="InterpretedRegex"/>). Used through <see cref="StructureDefinitionToElementSchemaResolver.CreatedCached(IAsyncResourceResolver, IEnumerable{ISchemaBuilder})"/>,
/// which takes an instance of <see cref="StandardBuilders"/> (this class) in place of its own.
/// </summary>
internal sealed class CachingBindingBuilders(IAsyncResourceResolver source, FastInvariants invariants) : StandardBuilders(source), ISchemaBuilder
{
    // One instance per invariant (key, expression, description, severity, best practice: FhirPathValidator's own value
    // equality), shared by every schema element that declares it. Firely compiles an invariant's FHIRPath at its
    // first evaluation and keeps it in the instance, so each of the hundreds of elements declaring the same invariant
    // compiled it again, a parse each: a fifth of the first validated request's time (cold start, bench/BENCHMARKS.md).
    // Bounded by the invariants of the definitions the schemas are built from.
    private readonly ConcurrentDictionary<FhirPathValidator, FhirPathValidator> _sharedInvariants = new();

    IEnumerable<IAssertion> ISchemaBuilder.Build(ElementDefinitionNavigator nav, ElementConversionMode? conversionMode) =>
        Build(nav, conversionMode).Select(a => a switch
        {
            BindingValidator binding => new CachingBindingValidator(binding),
            FhirPathValidator invariant => invariants.Wrap(_sharedInvariants.GetOrAdd(invariant, invariant)),
            _ => invariants.Wrap(InterpretedRegex.Swap(a)),
        });
}

/// <summary>
/// A terminology binding that remembers which coded values it has already found valid without any remark.
/// Firely's <see cref="BindingValidator"/> asks the terminology service for every coded element through
/// <c>Task.Run(...).GetResult()</c>: a thread-pool hop and a blocked thread per code, which dominates the cost of
/// validating a small Bundle and starves the thread pool under load. The answer depends only on the binding (this
/// instance) and the coded value, and the value sets are fixed for the life of the process, so a value that passed
/// once without a single issue passes again: this validator then answers <see cref="ResultReport.SUCCESS"/> at once,
/// which Firely's report combination treats exactly like the original's success without details. Anything else (a
/// new value, a warning, an error, a type that is not cached) goes to the original validator.
/// </summary>
internal sealed class CachingBindingValidator(BindingValidator inner) : IValidatable
{
    /// <summary>Bound on remembered values per binding, so hostile input (free-text displays) cannot grow it forever.</summary>
    private const int MaxEntries = 4096;

    private readonly ConcurrentDictionary<string, bool> _passed = new(StringComparer.Ordinal);

    /// <summary>The wrapped Firely validator.</summary>
    public BindingValidator Inner { get; } = inner;

    public ResultReport Validate(PocoNode input, ValidationSettings vc, ValidationState state)
    {
        var key = Key(input);
        if (key is not null && _passed.ContainsKey(key))
        {
            return ResultReport.SUCCESS;
        }

        var result = ((IValidatable)Inner).Validate(input, vc, state);
        if (key is not null && result.IsSuccessful && result.Evidence.Count == 0 && _passed.Count < MaxEntries)
        {
            _passed.TryAdd(key, true);
        }

        return result;
    }

    public JToken ToJson() => Inner.ToJson();

    /// <summary>Everything of the coded value the binding check reads, or null for types not worth caching.</summary>
    internal static string? Key(PocoNode input)
    {
        var sb = new StringBuilder(input.Poco.TypeName).Append('\u001f');
        switch (input.Poco)
        {
            case PrimitiveType p:
                Append(sb, p.JsonValue is null ? null : Convert.ToString(p.JsonValue, CultureInfo.InvariantCulture));
                break;
            case Coding c:
                Append(sb, c);
                break;
            case CodeableConcept cc:
                Append(sb, cc.Text);
                foreach (var c in cc.Coding)
                {
                    Append(sb, c);
                }

                break;
            default:
                return null;
        }

        return sb.ToString();
    }

    private static void Append(StringBuilder sb, Coding c)
    {
        sb.Append('[');
        Append(sb, c.System);
        Append(sb, c.Version);
        Append(sb, c.Code);
        Append(sb, c.Display);
        Append(sb, c.UserSelected?.ToString());
        sb.Append(']');
    }

    // Length-prefixed, so that no two different values give the same key; null differs from "".
    private static void Append(StringBuilder sb, string? value) =>
        (value is null ? sb.Append('~') : sb.Append(value.Length).Append(':').Append(value)).Append('\u001f');
}
