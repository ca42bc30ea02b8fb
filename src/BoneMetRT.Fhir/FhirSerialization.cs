using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;
using BoneMetRT.Domain;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;

namespace BoneMetRT.Fhir;

/// <summary>Wire formats the service speaks.</summary>
public enum FhirFormat
{
    /// <summary>application/fhir+json.</summary>
    Json,
    /// <summary>application/fhir+xml.</summary>
    Xml,
}

/// <summary>
/// Parsing and writing FHIR R4 in JSON and XML, hardened for hostile input: bounded depth, no DTDs or external
/// entities, strict UTF-8; every failure is a <see cref="OutcomeKind.Malformed"/> result with its <see cref="Issue"/>s, never an exception.
/// </summary>
public static class FhirSerialization
{
    /// <summary>Deepest JSON/XML nesting accepted; real FHIR resources stay far below it.</summary>
    public const int MaxDepth = 64;

    private static readonly FhirJsonDeserializer JsonIn = new(new DeserializerSettings());
    private static readonly FhirJsonDeserializer JsonInUnchecked = new(new DeserializerSettings { Validator = null });
    private static readonly FhirXmlDeserializer XmlIn = new(new DeserializerSettings());
    private static readonly FhirJsonSerializer JsonOut = new();
    private static readonly FhirXmlSerializer XmlOut = new();
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>Parses a body: the resource, or a <see cref="OutcomeKind.Malformed"/> failure whose issues say why.</summary>
    public static Result<Resource> Parse(ReadOnlySpan<byte> body, FhirFormat format)
    {
        try
        {
            _ = StrictUtf8.GetCharCount(body);
        }
        catch (DecoderFallbackException)
        {
            return Malformed([Bad(new("The body is not valid UTF-8.", "Le corps de la requête n'est pas de l'UTF-8 valide."))]);
        }

        // A UTF-8 byte order mark is allowed before JSON (RFC 8259 §8.1: parsers may ignore it), but Utf8JsonReader
        // rejects it; XmlReader handles it itself.
        if (format == FhirFormat.Json && body.StartsWith(Utf8Bom))
        {
            body = body[Utf8Bom.Length..];
        }

        return format == FhirFormat.Json ? ParseJson(body) : ParseXml(body);
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static Result<Resource> ParseJson(ReadOnlySpan<byte> body)
    {
        // A body the reader read but the checks refused would be read into the same objects by Firely's deserializer
        // without its validator and refused again: it goes straight to the validating parse, whose report is the answer.
        var readButRefused = false;
        if (FastParse && FastRead && ReadPlain(body, out readButRefused) is { } plain)
        {
            return Result<Resource>.Success(plain);
        }

        try
        {
            // Check well-formedness and depth first so that the FHIR parser only sees sane JSON; on the way, whether
            // the body may be parsed without Firely's validator (see DeserializerChecks.Pairs).
            if (!readButRefused && WellFormed(body, FastParse) && ParseUnchecked(body) is { } parsed)
            {
                return Result<Resource>.Success(parsed);
            }

            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
            if (JsonIn.TryDeserializeResource(ref reader, out var resource, out var errors))
            {
                return Result<Resource>.Success(resource);
            }

            return Malformed(Describe(errors));
        }
        catch (JsonException e)
        {
            return Malformed([Bad(new($"The body is not well-formed JSON: {e.Message}", $"Le corps n'est pas du JSON bien formé : {e.Message}"),
                e.LineNumber is { } line ? $"line {line + 1}, position {e.BytePositionInLine + 1}" : null)]);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            return Malformed([Bad(new($"The body cannot be read as FHIR JSON: {e.Message}", $"Le corps ne peut être lu comme du JSON FHIR : {e.Message}"))]);
        }
    }

    /// <summary>
    /// JSON is parsed first without Firely's validator, then checked by <see cref="DeserializerChecks"/> (about half
    /// the time); a body that does not pass is parsed again with the validator, whose report is the answer. False
    /// always parses with the validator (the benchmarks compare the two side by side).
    /// </summary>
    public static bool FastParse { get; set; } = true;

    /// <summary>
    /// JSON in the plain form serializers write is read by <see cref="FhirJsonReader"/> instead of Firely's deserializer,
    /// then checked by <see cref="DeserializerChecks"/> as well; false leaves every body to Firely's deserializer (the
    /// benchmarks compare the two side by side). Only with <see cref="FastParse"/>.
    /// </summary>
    public static bool FastRead { get; set; } = true;

    /// <summary>Whether a well-formed JSON body is parsed without Firely's validator (the tests and benchmarks ask).</summary>
    public static bool ParsesUnchecked(ReadOnlySpan<byte> body) => WellFormed(body, plainOnly: true) && ParseUnchecked(body) is not null;

    /// <summary>Whether <see cref="FhirJsonReader"/> reads the body and the checks pass (the tests and benchmarks ask).</summary>
    public static bool ReadsPlain(ReadOnlySpan<byte> body) => ReadPlain(body, out _) is not null;

    // Reads the whole body (throwing JsonException where it is not well-formed or too deep); with plainOnly, true only
    // when it may be parsed without Firely's validator (see DeserializerChecks.Pairs).
    private static bool WellFormed(ReadOnlySpan<byte> body, bool plainOnly)
    {
        var check = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        var pairs = plainOnly ? new DeserializerChecks.Pairs() : null;
        while (check.Read())
        {
            pairs?.Read(ref check, body);
        }

        return pairs is { Plain: true };
    }

    /// <summary>
    /// The resource <see cref="FhirJsonReader"/> reads from JSON known to be valid FHIR (the embedded conformance
    /// resources): the objects Firely's deserializer builds without validator, without the checks; null where the
    /// reader leaves the JSON to Firely.
    /// </summary>
    internal static Resource? TryReadPlainForm(ReadOnlySpan<byte> json)
    {
        try
        {
            return FhirJsonReader.TryRead(json, MaxDepth);
        }
        catch (Exception e) when (FallsBack(e))
        {
            return null;
        }
    }

    // The resource when FhirJsonReader reads the body and the checks pass; null otherwise, on JSON that is not
    // well-formed too: the way through Firely then reports what it always reported. refused: read, but not passed.
    private static Resource? ReadPlain(ReadOnlySpan<byte> body, out bool refused)
    {
        refused = false;
        if (TryReadPlainForm(body) is not { } resource)
        {
            return null;
        }

        try
        {
            refused = !DeserializerChecks.Pass(resource);
        }
        catch (Exception e) when (FallsBack(e))
        {
            return null;
        }

        return refused ? null : resource;
    }

    // The resource when the parse without validator finds nothing and the checks pass; null sends the body to Firely's
    // validating parse.
    private static Resource? ParseUnchecked(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            return JsonInUnchecked.TryDeserializeResource(ref reader, out var resource, out _) && DeserializerChecks.Pass(resource) ? resource : null;
        }
        catch (Exception e) when (FallsBack(e))
        {
            return null;
        }
    }

    // What a parse without Firely's validator may throw on a body it cannot take (a value of the wrong JSON type read
    // through a POCO's getter, say): the body then goes on to Firely's validating parse, which reports it.
    private static bool FallsBack(Exception e) =>
        e is JsonException or FormatException or InvalidOperationException or ArgumentException or InvalidCastException or NotSupportedException or CodedException;

    private static Result<Resource> ParseXml(ReadOnlySpan<byte> body)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 0,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        try
        {
            using (var check = XmlReader.Create(new MemoryStream(body.ToArray()), settings))
            {
                while (check.Read())
                {
                    if (check.Depth > MaxDepth)
                    {
                        return Malformed([Bad(new($"The XML is nested deeper than {MaxDepth} levels.", $"Le XML est imbriqué sur plus de {MaxDepth} niveaux."))]);
                    }
                }
            }

            using var reader = XmlReader.Create(new MemoryStream(body.ToArray()), settings);
            if (XmlIn.TryDeserializeResource(reader, out var resource, out var errors))
            {
                return Result<Resource>.Success(resource);
            }

            return Malformed(Describe(errors));
        }
        catch (XmlException e)
        {
            return Malformed([Bad(new($"The body is not acceptable XML: {e.Message}", $"Le corps n'est pas un XML acceptable : {e.Message}"), $"line {e.LineNumber}, position {e.LinePosition}")]);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            return Malformed([Bad(new($"The body cannot be read as FHIR XML: {e.Message}", $"Le corps ne peut être lu comme du XML FHIR : {e.Message}"))]);
        }
    }

    private static List<Issue> Describe(IEnumerable<CodedException>? errors)
    {
        var list = (errors ?? []).Take(20).Select(e =>
        {
            var location = e switch
            {
                ExtendedCodedException x => x.InstancePath ?? "",
                _ => "",
            };
            return new Issue(OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueType.Structure,
                new($"Not valid FHIR R4: {e.Message}", $"FHIR R4 invalide : {e.Message}"), null, location.Length > 0 ? [location] : []);
        }).ToList();
        return list.Count > 0 ? list : [Bad(new("The body is not a FHIR R4 resource.", "Le corps n'est pas une ressource FHIR R4."))];
    }

    private static Result<Resource> Malformed(IReadOnlyList<Issue> issues) => Result<Resource>.Failure(OutcomeKind.Malformed, issues);

    private static Issue Bad(LocalizedText text, string? location = null) =>
        new(OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueType.Structure, text, null, []) { Location = location };

    /// <summary>
    /// JSON is written by <see cref="FhirJsonWriter"/>, which gives Firely's bytes faster, and by Firely's serializer for
    /// what it refuses; false sends everything to Firely's serializer (the benchmarks compare the two side by side).
    /// </summary>
    public static bool FastJson { get; set; } = true;

    /// <summary>Serializes a resource.</summary>
    public static byte[] Serialize(Resource resource, FhirFormat format, bool pretty = false)
    {
        if (format == FhirFormat.Json)
        {
            using var json = new PooledBuffer();
            WriteJson(resource, json, pretty);
            return json.Written.ToArray();
        }

        using var buffer = new MemoryStream();
        Write(resource, format, buffer, pretty);
        return buffer.ToArray();
    }

    /// <summary>Writes a resource straight to a stream (the HTTP response body).</summary>
    public static void Write(Resource resource, FhirFormat format, Stream stream, bool pretty = false)
    {
        if (format == FhirFormat.Json)
        {
            using var json = new PooledBuffer();
            WriteJson(resource, json, pretty);
            stream.Write(json.Written);
        }
        else
        {
            using var writer = XmlWriter.Create(stream, new XmlWriterSettings { Indent = pretty, Encoding = new UTF8Encoding(false) });
            XmlOut.Serialize(resource, writer);
            writer.Flush();
        }
    }

    /// <summary>Writes a resource as JSON into a buffer writer (such as the HTTP response's PipeWriter).</summary>
    public static void WriteJson(Resource resource, IBufferWriter<byte> output, bool pretty = false)
    {
        using var json = new PooledBuffer();
        WriteJson(resource, json, pretty);
        output.Write(json.Written);
    }

    /// <summary>SHA-256 of the compact JSON serialization (the same bytes as <see cref="Serialize"/>).</summary>
    public static byte[] JsonSha256(Resource resource)
    {
        using var json = new PooledBuffer();
        WriteJson(resource, json, pretty: false);
        return SHA256.HashData(json.Written);
    }

    /// <summary>
    /// The SHA-256 of the compact JSON of <paramref name="root"/> (as <see cref="JsonSha256"/>) and of each of
    /// <paramref name="parts"/> (as if each were serialized alone), from one serialization of <paramref name="root"/>
    /// when the parts are inside it: the request's hash seeds the answer's ids, its used inputs' hashes its identifiers.
    /// </summary>
    public static (byte[] Root, Dictionary<Resource, byte[]> Parts) JsonSha256Within(Resource root, IEnumerable<Resource> parts)
    {
        var wanted = new HashSet<Resource>(parts, ReferenceEqualityComparer.Instance);
        var spans = new Dictionary<Resource, (long Start, long End)>(ReferenceEqualityComparer.Instance);
        using var json = new PooledBuffer();
        WriteJson(root, json, pretty: false, (resource, start, end) =>
        {
            if (wanted.Contains(resource))
            {
                spans.TryAdd(resource, (start, end));
            }
        });
        var rootHash = SHA256.HashData(json.Written);
        var hashes = new Dictionary<Resource, byte[]>(ReferenceEqualityComparer.Instance);
        foreach (var part in wanted)
        {
            // A part outside the root, or a root that only Firely's serializer wrote, is hashed alone.
            hashes[part] = spans.TryGetValue(part, out var span) ? SHA256.HashData(json.Written[(int)span.Start..(int)span.End])
                : ReferenceEquals(part, root) ? rootHash
                : JsonSha256(part);
        }

        return (rootHash, hashes);
    }

    // Every JSON output is made here, in a pooled buffer: by FhirJsonWriter, or by Firely's serializer when
    // FhirJsonWriter refuses the resource (what it had written is dropped) or FastJson is off.
    private static void WriteJson(Resource resource, PooledBuffer buffer, bool pretty, Action<Resource, long, long>? resourceWritten = null)
    {
        if (FastJson)
        {
            using var fast = new Utf8JsonWriter(buffer, JsonOptions(pretty));
            if (FhirJsonWriter.TryWrite(resource, fast, resourceWritten))
            {
                fast.Flush();
                return;
            }
        }

        buffer.Clear();
        using var writer = new Utf8JsonWriter(buffer, JsonOptions(pretty));
        JsonOut.Serialize(resource, writer);
        writer.Flush();
    }

    // Relaxed escaping keeps accents and XHTML narratives readable; the output is UTF-8 JSON, not HTML.
    private static JsonWriterOptions JsonOptions(bool pretty) => new() { Indented = pretty, Encoder = FhirJsonWriter.Encoder };

    /// <summary>Serializes a resource to text.</summary>
    public static string ToText(Resource resource, FhirFormat format, bool pretty = true) =>
        Encoding.UTF8.GetString(Serialize(resource, format, pretty));

    /// <summary>Media type of a format.</summary>
    public static string MediaType(FhirFormat format) => format == FhirFormat.Json ? "application/fhir+json" : "application/fhir+xml";
}
