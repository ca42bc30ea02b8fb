using System.Collections;
using System.Collections.Concurrent;
using System.Text.Json;
using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Validation;

namespace BoneMetRT.Fhir;

/// <summary>
/// What Firely's JSON deserializer checks with its validator on, checked after a parse with the validator off, which
/// is about twice as fast: the validator's own work is the smaller part of its cost, the contexts and delayed
/// validations the deserializer builds around every element for it the larger. A body passes when
/// <see cref="FhirAttributeValidator"/>, called here as the deserializer calls it, finds nothing on the parsed objects
/// (<see cref="Pass"/>); otherwise it is parsed again with the validator on, which reports exactly what it always did.
/// </summary>
/// <remarks>
/// Why the two parses give the same objects when the checks pass: Firely's deserializer consults its validator only
/// to report (it alters nothing) and to choose how to bind element names and resource types spelled in another case;
/// its default settings ignore case issues, which makes that binding lenient as it is with no validator. A name
/// outside the model leaves overflow on its object, which <see cref="Pass"/> refuses. tests/…/Serialization/
/// UncheckedParseTests.cs compares both parses on every example and thousands of broken variants.
/// </remarks>
public static class DeserializerChecks
{
    private static readonly NarrativeValidationKind Narratives = new DeserializerSettings().NarrativeValidation;
    private static readonly ConcurrentDictionary<Type, (ClassMapping Class, PropertyMapping?[] Properties, bool Plain)> Mappings = new();

    // Primitives without id or extension whose value passed ValidateObject: the outcome depends on the type and the
    // value alone, and the same codes, systems and urls come in every request. Short values only, and the first
    // MaxPassedPrimitives of them kept for good: a cache that kept taking new values (every request's ids and dates)
    // and dropping old ones would promote them to the oldest generation and grow the heap under load (20 MB of RSS
    // measured over HTTP on fresh bodies); this one holds at most about 2 MB and is full after a few dozen requests.
    private static readonly ConcurrentDictionary<(Type, object), bool> PassedPrimitives = new();
    private const int MaxPassedPrimitives = 4096;
    private const int MaxRememberedLength = 128;
    private static int _passedCount;

    /// <summary>
    /// What the parse without validator needs from the JSON text, read token by token in the well-formedness pass:
    /// that no object gives an element one way and its <c>_</c> companion the other (one an array, the other not).
    /// Given so for a single-valued element, Firely's deserializer validates the extra items of the array and then
    /// drops them: their errors exist only with its validator on, and the parsed objects no longer show them.
    /// </summary>
    public sealed class Pairs
    {
        private readonly List<(int Start, int Length, bool Array)> _names = [];
        private readonly Stack<int> _objects = new();
        private bool _valueNext;

        /// <summary>False once the body must go to Firely's validating parse.</summary>
        public bool Plain { get; private set; } = true;

        /// <summary>Reads the token <paramref name="reader"/> (over <paramref name="body"/>) is on.</summary>
        public void Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
        {
            if (!Plain)
            {
                return;
            }

            if (_valueNext)
            {
                _valueNext = false;
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    _names[^1] = _names[^1] with { Array = true };
                }
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    _objects.Push(_names.Count);
                    break;
                case JsonTokenType.PropertyName when reader.ValueIsEscaped:
                    Plain = false;
                    break;
                case JsonTokenType.PropertyName:
                    _names.Add(((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, false));
                    _valueNext = true;
                    break;
                case JsonTokenType.EndObject:
                    var first = _objects.Pop();
                    Plain = Matched(body, first);
                    _names.RemoveRange(first, _names.Count - first);
                    break;
            }
        }

        // Whether every "_x" of the object starting at first agrees with its "x" on being an array.
        private bool Matched(ReadOnlySpan<byte> body, int first)
        {
            for (var i = first; i < _names.Count; i++)
            {
                var underscored = body.Slice(_names[i].Start, _names[i].Length);
                if (underscored.Length < 2 || underscored[0] != (byte)'_')
                {
                    continue;
                }

                for (var j = first; j < _names.Count; j++)
                {
                    if (j != i && body.Slice(_names[j].Start, _names[j].Length).SequenceEqual(underscored[1..]) && _names[j].Array != _names[i].Array)
                    {
                        return false;
                    }
                }
            }

            return true;
        }
    }

    /// <summary>
    /// True when Firely's <see cref="FhirAttributeValidator"/> finds nothing in <paramref name="root"/>, called as the
    /// deserializer calls it: on each element value it set (a list as a whole) and on each object it made, primitives
    /// and resources included; false also for anything it cannot walk (overflow, dynamic types).
    /// </summary>
    public static bool Pass(Resource root) => Object(root, new PocoElements.Frames());

    private static bool Object(Base instance, PocoElements.Frames frames)
    {
        if (PocoElements.Of(instance) is not { } layout)
        {
            return false;
        }

        var primitive = instance as PrimitiveType;
        // ElementIdElement, not ElementId: an id without value (extensions only) is still a child to check, and the
        // ElementId getter throws on an id that is not a string. Base64Binary's check rewrites its value, so it is always run.
        var remembered = primitive is { JsonValue: string { Length: <= MaxRememberedLength } or bool or int or long or decimal, ElementIdElement: null }
                         and not Base64Binary && PocoElements.IdOrExtensions(primitive) == false
            ? (instance.GetType(), primitive.JsonValue)
            : default;
        if (remembered.Item1 is not null && PassedPrimitives.ContainsKey(remembered))
        {
            return true;
        }

        var (mapping, properties, plain) = Mappings.GetOrAdd(instance.GetType(), static (type, members) => MappingsOf(type, members), layout.Members);
        var any = false;
        var context = new PocoValidationContext(instance, ModelInfo.ModelInspector, static () => "", null, null, Narratives);
        var values = frames.Rent(layout.Members.Length);
        try
        {
            layout.Read(instance, values);
            for (var m = 0; m < layout.Members.Length; m++)
            {
                if (values[m] is not { } child)
                {
                    continue;
                }

                any = true;

                if (properties[m] is not { } property
                    || (!Plain(property, child) && FhirAttributeValidator.Default.ValidateProperty(property.Name, child, property, context).Count > 0))
                {
                    return false;
                }

                if (child is Base one ? !Object(one, frames) : child is IList list && !Items(list, frames))
                {
                    return false;
                }
            }
        }
        finally
        {
            frames.Return(values, layout.Members.Length);
        }

        if (!(plain && any) && FhirAttributeValidator.Default.ValidateObject(instance, mapping, context).Count > 0)
        {
            return false;
        }

        // ConcurrentDictionary.Count takes every lock: a count of our own, which may pass the bound by a few under races.
        if (remembered.Item1 is not null && Volatile.Read(ref _passedCount) < MaxPassedPrimitives && PassedPrimitives.TryAdd(remembered, true))
        {
            Interlocked.Increment(ref _passedCount);
        }

        return true;
    }

    // What ValidateProperty answers without calling it: nothing, for a value of the element's declared type when the
    // element carries no validation attribute (most do not); its other branches (value elements, ad-hoc mappings, a
    // name spelled otherwise) cannot arise for the elements Object reads.
    private static bool Plain(PropertyMapping property, object value) =>
        property.ValidationAttributes.Length == 0 && !property.IsPrimitive && property.NativeProperty is not null && property.PropertyType.IsInstanceOfType(value);

    private static bool Items(IList list, PocoElements.Frames frames)
    {
        for (var i = 0; i < list.Count; i++)
        {
            // A null in a list comes from a primitive array's placeholder, which the deserializer refuses with the validator off too.
            if (list[i] is not Base item || !Object(item, frames))
            {
                return false;
            }
        }

        return true;
    }

    private static (ClassMapping, PropertyMapping?[], bool) MappingsOf(Type type, PocoElements.Member[] members)
    {
        var mapping = ModelInfo.ModelInspector.FindOrImportClassMapping(type) ?? throw new InvalidOperationException($"{type} has no class mapping.");
        return (mapping, members.Select(m => mapping.FindMappedElementByName(m.Key)).ToArray(), PlainObjects(type, mapping));
    }

    // Types whose ValidateObject can find nothing in an object with at least one element: no mandatory element, no
    // validation attribute on the class, and Base's own invariant (an element is not empty) as the only one; primitives
    // (their value is checked there) and resources (DomainResource adds one; a dynamic one is reported) are not among them.
    private static bool PlainObjects(Type type, ClassMapping mapping) =>
        !typeof(PrimitiveType).IsAssignableFrom(type) && !typeof(Resource).IsAssignableFrom(type) && !typeof(IDynamicType).IsAssignableFrom(type)
        && mapping.PropertyMappings.All(p => !p.IsMandatoryElement && p.ValidationAttributes.OfType<CardinalityAttribute>().All(c => c.Min <= 0)) && mapping.ValidationAttributes.Length == 0
        && type.GetMethod("ValidateInvariants", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic) is { } invariants
        && invariants.DeclaringType == typeof(Base);
}
