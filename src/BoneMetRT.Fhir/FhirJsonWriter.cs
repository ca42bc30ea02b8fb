using System.Collections;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir;

/// <summary>
/// Writes a resource as FHIR JSON, token for token as Firely's <c>FhirJsonSerializer</c> (Hl7.Fhir 6.8) writes it,
/// at a fraction of its cost: the answer of <c>$assess</c> holds about a thousand elements, and Firely's serializer
/// spends most of its time per element in nested <c>EnumerateElements</c> iterators and dictionary look-ups
/// (bench/BENCHMARKS.md, "$assess without validation: b/a"). Here each type's elements are listed once
/// (<see cref="PocoElements"/>), in the order <c>EnumerateElements</c> yields them, and read with the POCOs' own
/// <c>TryGetValue</c>, which reads the same fields under the same conditions (absent, or an empty list, is skipped).
/// </summary>
/// <remarks>
/// What Firely's serializer does and this one repeats: <c>resourceType</c> first; elements in declaration order, base
/// types first; choice elements named with their type's suffix; a primitive as its value and, when it has an id or
/// extensions, a <c>_name</c> object; lists of primitives as two aligned arrays with <c>null</c> placeholders;
/// objects and arrays that end up empty left out (its <c>PruningJsonWriter</c>, reproduced below). What it does not
/// handle it refuses (<see cref="TryWrite(Base, Utf8JsonWriter)"/> returns false) and the caller writes with Firely instead: elements in a
/// POCO's overflow (dynamic or wrongly typed content), dynamic types, types outside Firely's model assemblies,
/// base64Binary values (which Firely re-encodes), primitive values of an unexpected .NET type. Equivalence is checked
/// byte for byte on every type of the model and on every example, answer and package resource
/// (tests/BoneMetRT.Fhir.Tests/Serialization/FhirJsonWriterTests.cs).
/// </remarks>
public static class FhirJsonWriter
{
    private static readonly JsonEncodedText ResourceType = JsonEncodedText.Encode("resourceType");

    /// <summary>
    /// Writes <paramref name="root"/> (a resource, or any other non-primitive element) into <paramref name="writer"/>.
    /// False when it holds something only Firely's serializer handles: the writer then holds part of the output, which
    /// the caller must discard.
    /// </summary>
    public static bool TryWrite(Base root, Utf8JsonWriter writer) => TryWrite(root, writer, null);

    /// <summary>
    /// As <see cref="TryWrite(Base, Utf8JsonWriter)"/>, telling <paramref name="resourceWritten"/> where each resource
    /// (the root and those inside it) starts and ends in the output, in bytes from the writer's start. In compact JSON
    /// those bytes are exactly the resource's own serialization, so that one serialization of a request gives the
    /// hashes of the resources inside it too; with an indented writer nothing is reported.
    /// </summary>
    public static bool TryWrite(Base root, Utf8JsonWriter writer, Action<Resource, long, long>? resourceWritten)
    {
        if (root is PrimitiveType)
        {
            return false; // Firely writes a primitive root as {"value": …}; nothing here needs it
        }

        // One Pruning per thread, reused: its lists and frames would otherwise be made again for every resource.
        var output = t_output ?? new Pruning();
        t_output = null; // taken; a TryWrite nested in this one (none is) would make its own
        try
        {
            output.Start(writer, writer.Options.Indented ? null : resourceWritten, raw: !writer.Options.Indented && writer.Options.Encoder == Encoder);
            WriteObject(root, null, output, OnEmpty.Keep);
            return true;
        }
        catch (Exception e) when (e is Unsupported or InvalidCastException or KeyNotFoundException or InvalidOperationException)
        {
            // Unsupported is ours; the others would mean a POCO broke an assumption above (an overflow sentinel left
            // behind, a list of an unexpected type): Firely's serializer then answers, exactly as before.
            return false;
        }
        finally
        {
            output.Finish();
            t_output = output;
        }
    }

    [ThreadStatic]
    private static Pruning? t_output;

    // Elements shared by every answer that holds them (SharedElements: translations, notes, concepts, the outputs'
    // meta), with their compact JSON as this writer writes it with the service's encoder: written again as those bytes.
    // Never removed: what is frozen lives as long as the memo that shares it.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Base, byte[]> Frozen = new(ReferenceEqualityComparer.Instance);

    /// <summary>The encoder of the service's JSON (relaxed escaping keeps accents and XHTML narratives readable).</summary>
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>
    /// Keeps <paramref name="element"/>'s compact JSON, written with <see cref="Encoder"/>, and writes those bytes
    /// wherever the element is met again in compact output with that encoder (an Extension, CodeableConcept, Annotation
    /// or Meta; another type is written as usual). For elements that are shared and never changed
    /// (<see cref="FrozenUnchanged"/> checks it); nothing happens for one this writer would leave to Firely.
    /// </summary>
    public static void Freeze(Base element)
    {
        if (CompactJson(element, useFrozen: true) is { } json)
        {
            Frozen.TryAdd(element, json);
        }
    }

    /// <summary>
    /// True when every frozen element still writes the bytes kept for it, that is, nothing changed a shared element
    /// (the tests and the benchmarks' smoke run check it after running every example).
    /// </summary>
    public static bool FrozenUnchanged() => Frozen.All(kept => CompactJson(kept.Key, useFrozen: false) is { } json && json.AsSpan().SequenceEqual(kept.Value));

    // The element's compact JSON with the service's encoder; useFrozen writes the kept bytes of frozen elements inside
    // it (as answers are written), otherwise every element is walked again. Null where this writer leaves it to Firely.
    private static byte[]? CompactJson(Base element, bool useFrozen)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Encoder });
        if (useFrozen)
        {
            if (!TryWrite(element, writer))
            {
                return null;
            }
        }
        else
        {
            var output = new Pruning();
            output.Start(writer, null, raw: false);
            WriteObject(element, null, output, OnEmpty.Keep);
        }

        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    // The types SharedElements shares, exactly (a type test of each against every object written cost more than the
    // lookup it saves).
    private static bool Freezable(Type type) => type == typeof(Extension) || type == typeof(CodeableConcept) || type == typeof(Annotation) || type == typeof(Meta);

    /// <summary>How many elements are frozen (the tests ask).</summary>
    public static int FrozenCount => Frozen.Count;

    private static void WriteObject(Base element, JsonEncodedText? name, Pruning output, OnEmpty onEmpty)
    {
        if (output.Raw && Freezable(element.GetType()) && Frozen.TryGetValue(element, out var json))
        {
            var to = output.Content();
            if (name is { } property)
            {
                to.WritePropertyName(property);
            }

            to.WriteRawValue(json, skipInputValidation: true);
            return;
        }

        var layout = LayoutOf(element);
        output.WriteStartObject(name, onEmpty);
        var start = -1L;
        if (element is Resource resource)
        {
            // A resource is never empty (resourceType), so its '{' is written here, as the last byte so far.
            var writer = output.Content();
            start = writer.BytesCommitted + writer.BytesPending - 1;
            writer.WriteString(ResourceType, resource.TypeName);
        }

        var values = output.Rent(layout.Members.Length);
        layout.Read(element, values);
        for (var m = 0; m < layout.Members.Length; m++)
        {
            if (values[m] is not { } value)
            {
                continue;
            }

            var member = layout.Members[m];
            var names = member.IsChoice ? member.NamesFor(value) : member.Names;
            switch (member.Kind)
            {
                // The declared type says what the value is; the casts only check it.
                case PocoElements.ValueKind.Primitive:
                    WritePrimitive(names, (PrimitiveType)value, output);
                    break;
                case PocoElements.ValueKind.PrimitiveList:
                    WritePrimitiveList(names, (IList)value, output);
                    break;
                case PocoElements.ValueKind.List:
                    WriteList(names, (IList)value, output);
                    break;
                case PocoElements.ValueKind.Complex:
                    WriteObject((Base)value, names.Name, output, OnEmpty.Omit);
                    break;
                default:
                    // As Firely's serializer tells them apart.
                    switch (value)
                    {
                        case PrimitiveType primitive:
                            WritePrimitive(names, primitive, output);
                            break;
                        case IReadOnlyList<PrimitiveType?> primitives:
                            WritePrimitiveList(names, (IList)primitives, output);
                            break;
                        case IReadOnlyList<Base?> children:
                            WriteList(names, (IList)children, output);
                            break;
                        case Base child:
                            WriteObject(child, names.Name, output, OnEmpty.Omit);
                            break;
                        default:
                            throw new Unsupported();
                    }

                    break;
            }
        }

        output.Return(values, layout.Members.Length);
        output.WriteEndObject();
        if (start >= 0 && output.ResourceWritten is { } written)
        {
            var writer = output.Content();
            written((Resource)element, start, writer.BytesCommitted + writer.BytesPending);
        }
    }

    private static void WriteList(PocoElements.Names names, IList children, Pruning output)
    {
        output.WriteStartArray(names.Name);
        for (var i = 0; i < children.Count; i++)
        {
            if (children[i] is Base child)
            {
                WriteObject(child, null, output, OnEmpty.Omit);
            }
            else
            {
                output.Content().WriteNullValue();
            }
        }

        output.WriteEndArray();
    }

    private static void WritePrimitive(PocoElements.Names names, PrimitiveType value, Pruning output)
    {
        if (value.JsonValue is { } json)
        {
            output.Content().WritePropertyName(names.Name);
            WriteValue(value, json, output.Content());
        }

        if (HasElements(value, output))
        {
            WriteObject(value, names.Underscore, output, OnEmpty.Omit);
        }
    }

    private static void WritePrimitiveList(PocoElements.Names names, IList values, Pruning output)
    {
        output.WriteStartArray(names.Name);
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is PrimitiveType { JsonValue: { } json } value)
            {
                WriteValue(value, json, output.Content());
            }
            else
            {
                output.WriteNullPlaceholder();
            }
        }

        output.WriteEndArray();
        output.WriteStartArray(names.Underscore);
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is PrimitiveType value && HasElements(value, output))
            {
                WriteObject(value, null, output, OnEmpty.NullPlaceholder);
            }
            else
            {
                output.WriteNullPlaceholder();
            }
        }

        output.WriteEndArray();
    }

    // Firely's test is EnumerateElements().Any(): an id or extensions (the elements of every primitive type, which
    // FhirJsonWriterTests checks on the whole model). Read from the two fields directly: this runs for every primitive
    // of the answer.
    private static bool HasElements(PrimitiveType value, Pruning output)
    {
        if (value.HasOverflow)
        {
            throw new Unsupported();
        }

        if (PocoElements.IdOrExtensions(value) is { } fields)
        {
            return fields;
        }

        var layout = LayoutOf(value);
        var values = output.Rent(layout.Members.Length);
        layout.Read(value, values);
        var any = false;
        for (var m = 0; m < layout.Members.Length && !any; m++)
        {
            any = values[m] is not null;
        }

        output.Return(values, layout.Members.Length);
        return any;
    }

    // The values Firely writes itself (int, decimal, string, bool); base64Binary, which Firely decodes and encodes
    // again, and anything else go to Firely.
    private static void WriteValue(PrimitiveType primitive, object json, Utf8JsonWriter writer)
    {
        if (primitive is Base64Binary)
        {
            throw new Unsupported();
        }

        switch (json)
        {
            case int i:
                writer.WriteNumberValue(i);
                break;
            case decimal d:
                writer.WriteNumberValue(d);
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            default:
                throw new Unsupported();
        }
    }

    private static PocoElements.Layout LayoutOf(Base element) => PocoElements.Of(element) ?? throw new Unsupported();

    private sealed class Unsupported : Exception;

    private enum OnEmpty
    {
        Omit,
        NullPlaceholder,
        Keep,
    }

    /// <summary>
    /// Firely's PruningJsonWriter: the tokens that open an object or an array (with their property name) and the
    /// null placeholders of primitive arrays wait until content arrives, and are dropped when the structure closes
    /// empty, so that no empty object or array is written (FHIR forbids them).
    /// </summary>
    private sealed class Pruning
    {
        private readonly List<Pending> _pending = [];

        // Arrays for the element values of the objects being written, one per level (always given back cleared, so
        // that a reused Pruning holds on to no value; those of a failed write are simply dropped).
        private readonly PocoElements.Frames _frames = new();
        private Utf8JsonWriter _writer = null!;

        /// <summary>Told where each resource starts and ends (compact output only).</summary>
        public Action<Resource, long, long>? ResourceWritten { get; private set; }

        /// <summary>Whether frozen elements are written as their kept bytes (compact output with the service's encoder).</summary>
        public bool Raw { get; private set; }

        /// <summary>Starts writing into <paramref name="to"/>.</summary>
        public void Start(Utf8JsonWriter to, Action<Resource, long, long>? resourceWritten, bool raw)
        {
            _writer = to;
            ResourceWritten = resourceWritten;
            Raw = raw;
        }

        /// <summary>Forgets the writer and what a failed write left pending.</summary>
        public void Finish()
        {
            _writer = null!;
            ResourceWritten = null;
            _pending.Clear();
        }

        public Utf8JsonWriter Content()
        {
            if (_pending.Count > 0)
            {
                Commit();
            }

            return _writer;
        }

        /// <summary>An array of at least <paramref name="length"/> nulls, for an object's element values.</summary>
        public object?[] Rent(int length) => _frames.Rent(length);

        /// <summary>Gives back an array from <see cref="Rent"/>, cleared of the values it held.</summary>
        public void Return(object?[] frame, int used) => _frames.Return(frame, used);

        public void WriteStartObject(JsonEncodedText? name, OnEmpty onEmpty) => _pending.Add(new Pending(Kind.Object, name, onEmpty));

        public void WriteStartArray(JsonEncodedText name) => _pending.Add(new Pending(Kind.Array, name, OnEmpty.Omit));

        public void WriteNullPlaceholder() => _pending.Add(new Pending(Kind.Null, null, OnEmpty.Omit));

        public void WriteEndObject()
        {
            if (!ResolveEmpty(Kind.Object))
            {
                Content().WriteEndObject();
            }
        }

        public void WriteEndArray()
        {
            if (!ResolveEmpty(Kind.Array))
            {
                Content().WriteEndArray();
            }
        }

        private bool ResolveEmpty(Kind kind)
        {
            var index = _pending.Count - 1;
            while (index >= 0 && _pending[index].Kind == Kind.Null)
            {
                index--;
            }

            if (index < 0 || _pending[index].Kind != kind || _pending[index].OnEmpty == OnEmpty.Keep)
            {
                return false;
            }

            var onEmpty = _pending[index].OnEmpty;
            _pending.RemoveRange(index, _pending.Count - index);
            if (onEmpty == OnEmpty.NullPlaceholder)
            {
                _pending.Add(new Pending(Kind.Null, null, OnEmpty.Omit));
            }

            return true;
        }

        private void Commit()
        {
            foreach (var (kind, name, _) in _pending)
            {
                switch (kind)
                {
                    case Kind.Object when name is { } n:
                        _writer.WriteStartObject(n);
                        break;
                    case Kind.Object:
                        _writer.WriteStartObject();
                        break;
                    case Kind.Array when name is { } n:
                        _writer.WriteStartArray(n);
                        break;
                    case Kind.Array:
                        _writer.WriteStartArray();
                        break;
                    default:
                        _writer.WriteNullValue();
                        break;
                }
            }

            _pending.Clear();
        }

        private enum Kind
        {
            Object,
            Array,
            Null,
        }

        private readonly record struct Pending(Kind Kind, JsonEncodedText? Name, OnEmpty OnEmpty);
    }
}
