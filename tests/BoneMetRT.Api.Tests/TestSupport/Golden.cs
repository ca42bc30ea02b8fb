using System.Xml.Linq;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;
using Newtonsoft.Json.Linq;

namespace BoneMetRT.Api.Tests.TestSupport;

/// <summary>
/// The FHIR layer's golden files (examples/*/__snapshots__/*.snap, written by the pipeline's snapshot tests through
/// Snapshooter). An answer is serialized to JSON by the service's serializer and compared with the golden file as a JSON
/// tree, the way Snapshooter compares: property order does not matter, and numbers are compared by value (Snapshooter
/// stores the pipeline's <c>11.00</c> as <c>11.0</c>).
/// </summary>
public static class Golden
{
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
        var expected = JObject.Parse(File.ReadAllText(path));
        var answer = JObject.Parse(FhirSerialization.ToText(actual, FhirFormat.Json));
        if (wire == FhirFormat.Xml)
        {
            NormalizeForXml(expected);
            NormalizeForXml(answer);
        }

        if (!JToken.DeepEquals(expected, answer))
        {
            // Show where they differ.
            Assert.Equal(expected.ToString(), answer.ToString());
            Assert.Fail($"{file}: the answer differs from {path}.");
        }
    }

    private static void NormalizeForXml(JContainer tree)
    {
        foreach (var value in tree.DescendantsAndSelf().OfType<JValue>().Where(v => v.Type == JTokenType.String).ToList())
        {
            var text = (string)value.Value!;
            value.Value = value.Parent is JProperty { Name: "div" }
                ? XElement.Parse(text).ToString(SaveOptions.DisableFormatting)
                : text.Trim();
        }
    }
}
