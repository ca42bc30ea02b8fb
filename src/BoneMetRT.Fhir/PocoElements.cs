using System.Collections.Concurrent;
using System.Text.Json;
using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir;

/// <summary>
/// The elements of a Firely POCO type, listed once per type in the order its generated <c>EnumerateElements</c>
/// yields them, to be read with the POCO's own <c>TryGetValue</c> (which reads the same fields under the same
/// conditions: absent, or an empty list, is no value). Walking a resource this way allocates nothing, where
/// <c>EnumerateElements</c> allocates an iterator per type level and an empty dictionary per element it visits, which
/// was most of the cost of writing and walking the answer of <c>$assess</c> (bench/BENCHMARKS.md).
/// </summary>
/// <remarks>
/// Only Firely's own model types with nothing in their overflow (dynamic or wrongly typed content) have a list:
/// <see cref="Of"/> answers null otherwise, and the caller falls back on <c>EnumerateElements</c> or Firely itself.
/// That the order and the set are those of <c>EnumerateElements</c> is checked on every model type
/// (tests/BoneMetRT.Fhir.Tests/Serialization/FhirJsonWriterTests.cs).
/// </remarks>
public static class PocoElements
{
    private static readonly ConcurrentDictionary<Type, Member[]?> Layouts = new();

    // Firely's model: the base types, the R4 resources, and the conformance types (StructureDefinition, RelatedArtifact…).
    private static readonly HashSet<System.Reflection.Assembly> ModelAssemblies =
        [typeof(Base).Assembly, typeof(Patient).Assembly, typeof(StructureDefinition).Assembly, typeof(RelatedArtifact).Assembly];

    /// <summary>The elements of <paramref name="element"/>'s type; null when it is not a plain model type or has overflow.</summary>
    public static Member[]? Of(Base element) => element.HasOverflow ? null : Layouts.GetOrAdd(element.GetType(), Build);

    /// <summary>
    /// Calls <paramref name="visit"/> with each child of <paramref name="element"/> (a list's items one by one, nulls
    /// skipped), in element order; false, having visited nothing, when <see cref="Of"/> has no list for it.
    /// </summary>
    public static bool TryVisitChildren<TState>(Base element, TState state, Action<Base, TState> visit)
    {
        if (Of(element) is not { } members)
        {
            return false;
        }

        foreach (var member in members)
        {
            if (!element.TryGetValue(member.Key, out var value))
            {
                continue;
            }

            if (value is Base child)
            {
                visit(child, state);
            }
            else if (value is IReadOnlyList<Base?> children)
            {
                for (var i = 0; i < children.Count; i++)
                {
                    if (children[i] is { } item)
                    {
                        visit(item, state);
                    }
                }
            }
        }

        return true;
    }

    // Those of the base types first, each type's in the order of its FhirElement attributes; a primitive's value is
    // not an element there.
    private static Member[]? Build(Type type)
    {
        if (!ModelAssemblies.Contains(type.Assembly) || typeof(IDynamicType).IsAssignableFrom(type)
            || ModelInfo.ModelInspector.FindOrImportClassMapping(type) is not { } mapping || mapping.IsCustomMapping)
        {
            return null;
        }

        var members = new List<(int Depth, int Order, Member Member)>();
        foreach (var property in mapping.PropertyMappings)
        {
            if (property.RepresentsValueElement)
            {
                continue;
            }

            if (property.NativeProperty is not { } native || property.Choice is not (ChoiceType.None or ChoiceType.DatatypeChoice or ChoiceType.ResourceChoice)
                || property.Order is not { } order)
            {
                return null;
            }

            members.Add((Depth(native.DeclaringType), order, new Member(property.Name, new Names(property.Name), property.Choice == ChoiceType.DatatypeChoice, KindOf(native.PropertyType))));
        }

        return [.. members.OrderBy(m => m.Depth).ThenBy(m => m.Order).Select(m => m.Member)];
    }

    // What a value of the element is, from the property's declared type: a value read by TryGetValue from a POCO without
    // overflow has that type.
    private static ValueKind KindOf(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>)
            ? typeof(PrimitiveType).IsAssignableFrom(type.GetGenericArguments()[0]) ? ValueKind.PrimitiveList : ValueKind.List
            : typeof(PrimitiveType).IsAssignableFrom(type) ? ValueKind.Primitive
            : type.IsSealed && typeof(Base).IsAssignableFrom(type) ? ValueKind.Complex
            : ValueKind.Any;

    private static int Depth(Type? type)
    {
        var depth = 0;
        for (; type is not null; type = type.BaseType)
        {
            depth++;
        }

        return depth;
    }

    /// <summary>An element of a type: its name, its JSON property names, whether it is a choice (value[x]), what its values are.</summary>
    public sealed record Member(string Key, Names Names, bool IsChoice, ValueKind Kind)
    {
        // A choice's names by the value's type (valueString, valueQuantity…), made once per type.
        private readonly ConcurrentDictionary<Type, Names> _choices = new();

        /// <summary>
        /// The names of a choice for a value: the element's name with the value's FHIR type as suffix (for a list, its
        /// first item's), as Firely names it; the plain names when there is no type to add.
        /// </summary>
        public Names NamesFor(object value)
        {
            var typed = value switch
            {
                Base b => b,
                IEnumerable<Base> list => list.FirstOrDefault(),
                _ => null,
            };
            return typed is null ? Names : _choices.GetOrAdd(typed.GetType(), static (_, a) => new Names(a.Key + char.ToUpperInvariant(a.Type[0]) + a.Type[1..]), (Key, Type: typed.TypeName));
        }
    }

    /// <summary>What the values of an element are, known from its declared type.</summary>
    public enum ValueKind
    {
        /// <summary>Known only from the value (a choice, an abstract type such as Resource or DataType).</summary>
        Any,

        /// <summary>A primitive (string, code, dateTime…).</summary>
        Primitive,

        /// <summary>A list of primitives.</summary>
        PrimitiveList,

        /// <summary>A list of complex elements or resources.</summary>
        List,

        /// <summary>A complex element of a sealed type.</summary>
        Complex,
    }

    /// <summary>An element's JSON property names, encoded once: <c>name</c> and <c>_name</c>.</summary>
    public sealed class Names(string name)
    {
        /// <summary>The property of the value.</summary>
        public JsonEncodedText Name { get; } = JsonEncodedText.Encode(name);

        /// <summary>The property of a primitive's id and extensions.</summary>
        public JsonEncodedText Underscore { get; } = JsonEncodedText.Encode("_" + name);
    }
}
