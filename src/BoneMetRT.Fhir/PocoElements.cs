using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using System.Text.Json;
using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir;

/// <summary>
/// The elements of a Firely POCO type, listed once per type in the order its generated <c>EnumerateElements</c>
/// yields them, with a reader of their values: the backing fields that its generated <c>TryGetValue</c> reads, under
/// the same conditions (absent, or an empty list, is no value), copied by one emitted method per type. Walking a resource this way allocates nothing, where
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
    private static readonly ConcurrentDictionary<Type, Layout?> Layouts = new();

    // Firely's model: the base types, the R4 resources, and the conformance types (StructureDefinition, RelatedArtifact…).
    private static readonly HashSet<System.Reflection.Assembly> ModelAssemblies =
        [typeof(Base).Assembly, typeof(Patient).Assembly, typeof(StructureDefinition).Assembly, typeof(RelatedArtifact).Assembly];

    /// <summary>The elements of <paramref name="element"/>'s type; null when it is not a plain model type or has overflow.</summary>
    public static Layout? Of(Base element) => element.HasOverflow ? null : Layouts.GetOrAdd(element.GetType(), Build);

    /// <summary>
    /// Whether a primitive has an id or extensions (its only elements, as every primitive type's layout says), read
    /// from Element's backing fields: the getter of Extension would make an empty list on each primitive asked. Null
    /// when the fields are not where Firely's generated code puts them (the caller then reads the layout).
    /// </summary>
    public static bool? IdOrExtensions(PrimitiveType value)
    {
        if (IdAndExtensions is not { } read)
        {
            return null;
        }

        var (id, extensions) = read(value);
        return id is not null || extensions is { Count: > 0 };
    }

    private static readonly Func<Element, (FhirString?, List<Extension>?)>? IdAndExtensions = FieldPair();

    private static Func<Element, (FhirString?, List<Extension>?)>? FieldPair()
    {
        const BindingFlags Fields = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        if (!System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported)
        {
            return null; // native AOT (bench/aot.sh) cannot emit code: the callers read the layout instead
        }

        if (typeof(Element).GetField("_ElementIdElement", Fields) is not { } id || id.FieldType != typeof(FhirString)
            || typeof(Element).GetField("_Extension", Fields) is not { } extensions || extensions.FieldType != typeof(List<Extension>))
        {
            return null;
        }

        var method = new DynamicMethod("IdAndExtensions", typeof((FhirString?, List<Extension>?)), [typeof(Element)], typeof(PocoElements).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, id);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, extensions);
        il.Emit(OpCodes.Newobj, typeof((FhirString?, List<Extension>?)).GetConstructor([typeof(FhirString), typeof(List<Extension>)])!);
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<Func<Element, (FhirString?, List<Extension>?)>>();
    }

    /// <summary>
    /// Calls <paramref name="visit"/> with each child of <paramref name="element"/> (a list's items one by one, nulls
    /// skipped), in element order; false, having visited nothing, when <see cref="Of"/> has no list for it.
    /// <paramref name="frames"/> holds the arrays the values are read into (one per level of a recursive walk).
    /// </summary>
    public static bool TryVisitChildren<TState>(Base element, Frames frames, TState state, Action<Base, TState> visit)
    {
        if (Of(element) is not { } layout)
        {
            return false;
        }

        var values = frames.Rent(layout.Members.Length);
        layout.Read(element, values);
        for (var m = 0; m < layout.Members.Length; m++)
        {
            switch (values[m])
            {
                case Base child:
                    visit(child, state);
                    break;
                case IList children:
                    for (var i = 0; i < children.Count; i++)
                    {
                        if (children[i] is Base item)
                        {
                            visit(item, state);
                        }
                    }

                    break;
            }
        }

        frames.Return(values, layout.Members.Length);
        return true;
    }

    /// <summary>
    /// Arrays to read element values into, reused last out first in, for one walk on one thread: a walk takes one per
    /// level and gives it back before its parent does.
    /// </summary>
    public sealed class Frames
    {
        private readonly Stack<object?[]> _free = new();

        /// <summary>An array of at least <paramref name="length"/> nulls.</summary>
        public object?[] Rent(int length) =>
            _free.TryPop(out var frame) && frame.Length >= length ? frame : new object?[Math.Max(length, 64)];

        /// <summary>Gives back an array from <see cref="Rent"/>, cleared of the <paramref name="used"/> values it held.</summary>
        public void Return(object?[] frame, int used)
        {
            Array.Clear(frame, 0, used);
            _free.Push(frame);
        }
    }

    // Those of the base types first, each type's in the order of its FhirElement attributes; a primitive's value is
    // not an element there.
    private static Layout? Build(Type type)
    {
        if (!ModelAssemblies.Contains(type.Assembly) || typeof(IDynamicType).IsAssignableFrom(type)
            || ModelInfo.ModelInspector.FindOrImportClassMapping(type) is not { } mapping || mapping.IsCustomMapping)
        {
            return null;
        }

        var members = new List<(int Depth, int Order, Member Member, PropertyInfo Native)>();
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

            members.Add((Depth(native.DeclaringType), order, new Member(property.Name, new Names(property.Name), property.Choice == ChoiceType.DatatypeChoice, KindOf(native.PropertyType)), native));
        }

        var ordered = members.OrderBy(m => m.Depth).ThenBy(m => m.Order).ToList();
        return new Layout([.. ordered.Select(m => m.Member)], FieldReader(type, [.. ordered.Select(m => m.Native)]));
    }

    // A method that copies the backing fields of the elements (by Firely's generated code, "_" + the property's name)
    // into an array, in element order: one call per object where TryGetValue was one string switch per element, most
    // of the time of writing the answer. Null when a backing field is not where the convention puts it: the layout then
    // reads with TryGetValue.
    private static Action<Base, object?[]>? FieldReader(Type type, PropertyInfo[] properties)
    {
        if (!System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported)
        {
            return null; // native AOT (bench/aot.sh) cannot emit code: the layout reads with TryGetValue
        }

        var fields = new FieldInfo[properties.Length];
        for (var i = 0; i < properties.Length; i++)
        {
            var field = properties[i].DeclaringType?.GetField("_" + properties[i].Name, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
            if (field is null || field.FieldType != properties[i].PropertyType || field.FieldType.IsValueType)
            {
                return null;
            }

            fields[i] = field;
        }

        var method = new DynamicMethod("Read" + type.Name, null, [typeof(Base), typeof(object?[])], typeof(PocoElements).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        var typed = il.DeclareLocal(type);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Castclass, type);
        il.Emit(OpCodes.Stloc, typed);
        for (var i = 0; i < fields.Length; i++)
        {
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldloc, typed);
            il.Emit(OpCodes.Ldfld, fields[i]);
            il.Emit(OpCodes.Stelem_Ref);
        }

        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<Action<Base, object?[]>>();
    }

    /// <summary>The elements of one type, and how to read their values.</summary>
    public sealed class Layout(Member[] members, Action<Base, object?[]>? fields)
    {
        /// <summary>The elements, in the order Firely's EnumerateElements yields them.</summary>
        public Member[] Members { get; } = members;

        /// <summary>True when values are read from the backing fields, false when with TryGetValue.</summary>
        public bool ReadsFields => fields is not null;

        /// <summary>
        /// Puts in <paramref name="values"/> (at least <see cref="Members"/> long) each element's value, or null where
        /// TryGetValue would find none: absent, or an empty list.
        /// </summary>
        public void Read(Base element, object?[] values)
        {
            if (fields is null)
            {
                for (var i = 0; i < Members.Length; i++)
                {
                    values[i] = element.TryGetValue(Members[i].Key, out var value) ? value : null;
                }

                return;
            }

            fields(element, values);
            for (var i = 0; i < Members.Length; i++)
            {
                if (Members[i].Kind is ValueKind.List or ValueKind.PrimitiveList && values[i] is ICollection { Count: 0 })
                {
                    values[i] = null;
                }
            }
        }
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
