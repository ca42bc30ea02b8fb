using System.Collections;
using System.Collections.Concurrent;
using System.Text.Json;
using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir;

/// <summary>
/// Reads FHIR JSON into Firely's POCOs, object for object as Firely's <c>FhirJsonDeserializer</c> (Hl7.Fhir 6.8,
/// validator off) reads it, for JSON in the plain form serializers write; anything else it refuses (null), and the
/// caller parses with Firely. The counterpart of <see cref="FhirJsonWriter"/>: Firely's deserializer spends most of
/// its time around the values (a set of the names seen per object, a path stack, a mapping looked up by a
/// case-insensitive choice search for every element), where this one looks each name up once per type and name.
/// </summary>
/// <remarks>
/// What it does as Firely does: the same element found for a name (Firely's own lookups: by name, then the longest choice
/// element the name starts with, the suffix a FHIR type); instances and lists made by the same class mappings; values set
/// through the POCO's <c>SetValue</c>; a primitive's JSON value stored as is in <c>JsonValue</c> (a string, an int or a
/// decimal read as Firely reads numbers, a bool). What it refuses, because Firely reports it or reads it some other
/// way: <c>resourceType</c> anywhere but first in a resource, a name spelled otherwise than the model spells it (case,
/// choice suffix, escapes), an unknown name, a <c>_name</c> (a primitive's id and extensions), an element given twice,
/// null, empty objects and arrays, nested arrays, an array for a single element or the reverse, a value of the wrong
/// JSON kind for its type, a number that does not fit. Whatever it accepts, <see cref="DeserializerChecks"/> then checks
/// as after Firely's parse. tests/…/Serialization/FhirJsonReaderTests.cs compares it with Firely's deserializer on every
/// example and on thousands of broken variants.
/// </remarks>
public static class FhirJsonReader
{
    private const int MaxNameLength = 64;
    private static readonly ConcurrentDictionary<Type, TypeNames> Types = new();
    private static readonly ClassMapping ResourceMapping = ModelInfo.ModelInspector.FindOrImportClassMapping(typeof(Resource))!;

    /// <summary>
    /// The resource in <paramref name="body"/> (a JSON object), or null when the body holds anything this reader leaves
    /// to Firely. Throws <see cref="JsonException"/> on JSON that is not well-formed (or nested deeper than
    /// <paramref name="maxDepth"/>), <see cref="InvalidOperationException"/> on a string .NET cannot read (a lone
    /// surrogate), and may throw what a POCO's setter throws.
    /// </summary>
    public static Resource? TryRead(ReadOnlySpan<byte> body, int maxDepth)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = maxDepth });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var resource = ReadResource(ref reader);
        // Nothing may follow the root (the reader throws on a second value).
        return resource is not null && !reader.Read() ? resource : null;
    }

    // On the '{' of a resource; leaves the reader on its '}'.
    private static Resource? ReadResource(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("resourceType"u8)
            || !reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.ValueSpan.Length > MaxNameLength)
        {
            return null;
        }

        Span<char> name = stackalloc char[MaxNameLength];
        if (!Ascii(reader.ValueSpan, name))
        {
            return null;
        }

        name = name[..reader.ValueSpan.Length];
        // Firely finds the type case-insensitively, and reports a case difference only with its validator on.
        if (ModelInfo.ModelInspector.FindClassMapping(name) is not { IsResource: true, IsCustomMapping: false } mapping
            || !name.SequenceEqual(mapping.Name) || mapping.NativeType.IsAbstract || typeof(IDynamicType).IsAssignableFrom(mapping.NativeType))
        {
            return null;
        }

        var resource = (Resource)mapping.CreateInstance();
        return ReadMembers(ref reader, resource, mapping) ? resource : null;
    }

    // Reads the properties up to the object's '}' (after resourceType in a resource): false for an object without any,
    // which Firely refuses.
    private static bool ReadMembers(ref Utf8JsonReader reader, Base target, ClassMapping mapping)
    {
        var names = Types.GetOrAdd(target.GetType(), static (_, m) => new TypeNames(m), mapping);
        var seen = 0UL;
        var empty = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped || names.Find(reader.ValueSpan) is not { } slot || (seen & slot.Bit) != 0)
            {
                return false;
            }

            seen |= slot.Bit;
            empty = false;
            if (!reader.Read())
            {
                return false;
            }

            object? value;
            if (slot.IsList)
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return false;
                }

                var list = slot.NewList();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (ReadValue(ref reader, slot) is not { } item)
                    {
                        return false;
                    }

                    list.Add(item);
                }

                if (list.Count == 0)
                {
                    return false;
                }

                value = list;
            }
            else if (ReadValue(ref reader, slot) is not { } single)
            {
                return false;
            }
            else
            {
                value = single;
            }

            target.SetValue(slot.Name, value);
        }

        return reader.TokenType == JsonTokenType.EndObject && !empty;
    }

    // One value of an element (an item of a list): null when refused.
    private static Base? ReadValue(ref Utf8JsonReader reader, Slot slot)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject when slot.IsResource:
                return ReadResource(ref reader);
            case JsonTokenType.StartObject when slot.Kind == Kind.Complex:
                var instance = slot.Type.CreateInstance();
                return ReadMembers(ref reader, instance, slot.Type) ? instance : null;
            case JsonTokenType.String when slot.Kind == Kind.String:
                return Primitive(slot, reader.GetString());
            case JsonTokenType.Number when slot.Kind == Kind.Integer && reader.TryGetInt32(out var integer):
                return Primitive(slot, integer);
            case JsonTokenType.Number when slot.Kind == Kind.Decimal && reader.TryGetDecimal(out var number):
                return Primitive(slot, number);
            case JsonTokenType.True or JsonTokenType.False when slot.Kind == Kind.Boolean:
                return Primitive(slot, reader.GetBoolean());
            default:
                return null;
        }
    }

    private static PrimitiveType Primitive(Slot slot, object? value)
    {
        var primitive = (PrimitiveType)slot.Type.CreateInstance();
        primitive.JsonValue = value;
        return primitive;
    }

    private static bool Ascii(ReadOnlySpan<byte> bytes, Span<char> chars)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] >= 0x80)
            {
                return false;
            }

            chars[i] = (char)bytes[i];
        }

        return true;
    }

    private enum Kind
    {
        Complex,
        String,
        Integer,
        Decimal,
        Boolean,
    }

    // An element as a JSON name gives it: its name in the model, the type of its values, whether it is a list.
    private sealed class Slot(PropertyMapping property, ClassMapping? type, int index)
    {
        public string Name { get; } = property.Name;

        public ulong Bit { get; } = 1UL << index;

        public bool IsList { get; } = property.IsCollection;

        // Null for a resource (its type comes from its own resourceType).
        public ClassMapping Type { get; } = type!;

        public bool IsResource { get; } = type is null;

        public Kind Kind { get; } = type is null ? Kind.Complex
            : !type.IsFhirPrimitive ? Kind.Complex
            : type.PrimitiveValueProperty?.ImplementingType is var value && value == typeof(int) ? Kind.Integer
            : value == typeof(decimal) ? Kind.Decimal
            : value == typeof(bool) ? Kind.Boolean
            : Kind.String;

        // As Firely makes it: a list of the element's declared type.
        private readonly ClassMapping? _listOf = property.IsCollection ? ModelInfo.ModelInspector.FindOrImportClassMapping(property.ImplementingType) : null;

        public IList NewList() => _listOf!.CreateList();
    }

    // The names of one type's elements, resolved once each by Firely's own lookups and kept: only names the model
    // gives the type are kept, so the table stays as small as the model whatever callers send.
    private sealed class TypeNames
    {
        private readonly ClassMapping _mapping;
        private readonly ConcurrentDictionary<string, Slot> _slots = new();
        private readonly ConcurrentDictionary<string, Slot>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private readonly List<PropertyMapping> _properties;

        public TypeNames(ClassMapping mapping)
        {
            _mapping = mapping;
            _properties = [.. mapping.PropertyMappings];
            _lookup = _slots.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public Slot? Find(ReadOnlySpan<byte> utf8)
        {
            if (utf8.Length is 0 or > MaxNameLength)
            {
                return null;
            }

            Span<char> name = stackalloc char[utf8.Length];
            if (!Ascii(utf8, name))
            {
                return null;
            }

            if (_lookup.TryGetValue(name, out var slot))
            {
                return slot;
            }

            var text = name.ToString();
            return Resolve(text) is { } resolved ? _slots.GetOrAdd(text, resolved) : null;
        }

        // Firely's lookup (ClassMapping.TryFindElement, then the type of a choice's suffix), kept only when the name is
        // spelled exactly as the model spells it.
        private Slot? Resolve(string name)
        {
            if (name[0] == '_')
            {
                return null; // a primitive's id and extensions: left to Firely
            }

            if (_mapping.FindMappedElementByName(name) is { } named)
            {
                return named.Name == name && named.Choice != ChoiceType.DatatypeChoice && !named.RepresentsValueElement ? SlotOf(named, null) : null;
            }

            // The longest choice element the name starts with, ignoring case, as Firely chooses it.
            PropertyMapping? choice = null;
            foreach (var p in _properties)
            {
                if (p.Choice == ChoiceType.DatatypeChoice && name.StartsWith(p.Name, StringComparison.OrdinalIgnoreCase)
                    && (choice is null || choice.Name.Length <= p.Name.Length))
                {
                    choice = p;
                }
            }

            if (choice is null || !name.StartsWith(choice.Name, StringComparison.Ordinal) || name.Length == choice.Name.Length)
            {
                return null;
            }

            var suffix = name[choice.Name.Length..];
            return ModelInfo.ModelInspector.FindClassMapping(suffix) is { IsResource: false, IsCustomMapping: false } type
                   && suffix == char.ToUpperInvariant(type.Name[0]) + type.Name[1..]
                   && !type.NativeType.IsAbstract && typeof(Base).IsAssignableFrom(type.NativeType)
                   && !typeof(IDynamicType).IsAssignableFrom(type.NativeType)
                ? SlotOf(choice, type)
                : null;
        }

        private Slot? SlotOf(PropertyMapping property, ClassMapping? choiceType)
        {
            var index = _properties.IndexOf(property);
            if (index is < 0 or >= 64)
            {
                return null;
            }

            if (choiceType is not null)
            {
                return new Slot(property, choiceType, index);
            }

            if (property.Choice == ChoiceType.ResourceChoice || typeof(Resource).IsAssignableFrom(property.ImplementingType))
            {
                return new Slot(property, null, index);
            }

            // As Firely: the declared type, or its one concrete type when it is abstract.
            var declared = property.ImplementingType.IsAbstract && property.FhirType.Length == 1 ? property.FhirType[0] : property.ImplementingType;
            return ModelInfo.ModelInspector.FindOrImportClassMapping(declared) is { IsCustomMapping: false } type && !type.NativeType.IsAbstract
                   && !typeof(IDynamicType).IsAssignableFrom(type.NativeType)
                ? new Slot(property, type, index)
                : null;
        }
    }
}
