using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;

namespace BoneMetRT.TestSupport;

/// <summary>
/// The FHIR layer's golden files (examples/*/__snapshots__/*.snap, written by the pipeline's snapshot tests through
/// Snapshooter). An answer is serialized to JSON by the service's serializer and compared with the golden file as a JSON
/// tree, the way Snapshooter compares: property order does not matter, and numbers are compared by value (Snapshooter
/// stores the pipeline's <c>11.00</c> as <c>11.0</c>). Shared by the API and CLI tests.
/// </summary>
public static class Golden
{
    private static readonly JsonSerializerOptions Readable = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Path of the golden file of an example.</summary>
    public static string PathOf(string examplesFolder, string file) =>
        Path.Combine(examplesFolder, "__snapshots__", Path.GetFileNameWithoutExtension(file) + ".snap");

    /// <summary>
    /// Asserts that <paramref name="actual"/>, received in <paramref name="wire"/>, is the golden resource of the example.
    /// An answer that travelled as XML is compared modulo what FHIR XML cannot carry or spells differently: leading and
    /// trailing whitespace of string values (removed in XML, FHIR R4 datatypes §string) and the escaping of the XHTML
    /// narrative (<c>&amp;quot;</c> or <c>"</c> in a text node), compared as parsed XHTML.
    /// </summary>
    public static void AssertMatches(string examplesFolder, string file, Resource actual, FhirFormat wire = FhirFormat.Json)
    {
        var path = PathOf(examplesFolder, file);
        Assert.True(File.Exists(path), $"No golden file {path}");
        var expected = JsonNode.Parse(File.ReadAllText(path))!;
        var answer = JsonNode.Parse(FhirSerialization.ToText(actual, FhirFormat.Json))!;
        NormalizeNow(expected, answer);
        if (wire == FhirFormat.Xml)
        {
            expected = NormalizeForXml(expected, null);
            answer = NormalizeForXml(answer, null);
        }

        if (!JsonNode.DeepEquals(expected, answer))
        {
            // Show where they differ.
            Assert.Equal(expected.ToJsonString(Readable), answer.ToJsonString(Readable));
            Assert.Fail($"{file}: the answer differs from {path}.");
        }
    }

    /// <summary>
    /// Bundle.timestamp and Provenance.recorded say when the answer was made: the golden files hold the fixed clock of
    /// the pipeline tests, a service or CLI run holds its own time. Both must be instants; the answer's are then taken
    /// as the golden ones, and everything else is compared as is.
    /// </summary>
    private static void NormalizeNow(JsonNode expected, JsonNode answer)
    {
        if (expected["resourceType"]?.GetValue<string>() != "Bundle")
        {
            return;
        }

        Take(expected, answer, "timestamp");
        var provenance = (JsonNode? b) => b?["entry"]?.AsArray().Select(e => e?["resource"]).FirstOrDefault(r => r?["resourceType"]?.GetValue<string>() == "Provenance");
        if (provenance(expected) is { } p && provenance(answer) is { } q)
        {
            Take(p, q, "recorded");
        }
    }

    private static void Take(JsonNode expected, JsonNode answer, string name)
    {
        var value = answer[name]?.GetValue<string>();
        Assert.True(value is not null && DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _),
            $"{name} '{value}' is not an instant");
        answer[name] = expected[name]?.DeepClone();
    }

    private static JsonNode NormalizeForXml(JsonNode node, string? name)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    o[key] = value is null ? null : NormalizeForXml(value.DeepClone(), key);
                }

                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    a[i] = a[i] is { } item ? NormalizeForXml(item.DeepClone(), name) : null;
                }

                return a;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var text = v.GetValue<string>();
                return JsonValue.Create(name == "div" ? XElement.Parse(text).ToString(SaveOptions.DisableFormatting) : text.Trim());
            default:
                return node;
        }
    }
}
