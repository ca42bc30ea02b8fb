using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace BoneMetRT.Fhir.Tests.Serialization;

/// <summary>
/// <see cref="FhirJsonReader"/> reads what it accepts into exactly the objects Firely's deserializer (validator off)
/// makes, and accepts nothing Firely's deserializer reports an issue on: on every example, on thousands of broken
/// variants of the valid ones and on bodies written for each thing it must leave to Firely.
/// </summary>
[Collection(ParseSwitchesCollection.Name)]
public sealed class FhirJsonReaderTests
{
    private static readonly FhirJsonDeserializer Firely = new(new DeserializerSettings { Validator = null });

    public static TheoryData<string> Files => [.. UncheckedParseTests.AllExampleFiles()];

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_example_read_is_read_as_Firely_reads_it(string file) =>
        AssertAsFirely(File.ReadAllBytes(Path.Combine(ExampleCatalog.Root, "examples", file)), file);

    [Fact]
    public void Every_valid_example_is_read_without_Firely()
    {
        var refused = ExampleCatalog.Valid.Where(f => FhirJsonReader.TryRead(File.ReadAllBytes(Path.Combine(ExampleCatalog.ValidFolder, f)), FhirSerialization.MaxDepth) is null).ToList();
        Assert.True(refused.Count == 0, "left to Firely: " + string.Join(", ", refused));
        Assert.All(ExampleCatalog.Valid, f => Assert.True(FhirSerialization.ReadsPlain(File.ReadAllBytes(Path.Combine(ExampleCatalog.ValidFolder, f))), f));
    }

    [Fact]
    public void Broken_variants_of_every_valid_example_are_read_as_Firely_reads_them()
    {
        var variants = 0;
        var read = 0;
        var readButRefusedByChecks = 0;
        foreach (var file in ExampleCatalog.Valid)
        {
            var original = JsonNode.Parse(File.ReadAllBytes(Path.Combine(ExampleCatalog.ValidFolder, file)))!;
            var random = new Random(file.Length * 104729 + file[^6]);
            foreach (var (what, body) in UncheckedParseTests.Variants(original, random).Concat(ReaderVariants(original, random)))
            {
                variants++;
                if (AssertAsFirely(body, $"{file} ({what})"))
                {
                    read++;
                    readButRefusedByChecks += FhirSerialization.ReadsPlain(body) ? 0 : 1;
                }
            }
        }

        // Both ways are exercised: bodies read, bodies left to Firely, and bodies read that the checks then refuse.
        Assert.True(variants > 4000, $"{variants} variants");
        Assert.True(read > 800, $"{read} variants read");
        Assert.True(variants - read > 2000, $"{variants - read} variants left to Firely");
        Assert.True(readButRefusedByChecks > 300, $"{readButRefusedByChecks} variants read then refused by the checks");
    }

    // Each is well-formed JSON that Firely's deserializer reads with an issue, or reads otherwise than the plain form
    // says: the reader must leave every one to it.
    [Theory]
    [InlineData("""{"status": "final", "resourceType": "Observation", "code": {"text": "pain"}}""")] // resourceType not first
    [InlineData("""{"resourceType": "Observation", "status": "final", "status": "final", "code": {"text": "pain"}}""")] // twice
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "valueString": "a", "valueInteger": 1}""")] // one choice twice
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "value": "a"}""")] // choice without suffix
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "valuestring": "a"}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "valueDatetime": "2026"}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "valueFoo": "a"}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "valuePatient": {"resourceType": "Patient"}}""")]
    [InlineData("""{"resourceType": "Observation", "Status": "final", "code": {"text": "pain"}}""")]
    [InlineData("""{"resourceType": "observation", "status": "final", "code": {"text": "pain"}}""")]
    [InlineData("""{"resourceType": "Foo", "status": "final"}""")]
    [InlineData("""{"resourceType": "Quantity", "value": 1}""")] // a type that is not a resource
    [InlineData("""{"resourceType": 5, "status": "final"}""")]
    [InlineData("""{"resourceType": "Observation", "st\u0061tus": "final", "code": {"text": "pain"}}""")]
    [InlineData("""{"resourceType": "Observation", "status": null, "code": {"text": "pain"}}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {}}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "category": []}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "category": [null]}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "category": [[{"text": "x"}]]}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "category": {"text": "x"}}""")] // single for a list
    [InlineData("""{"resourceType": "Observation", "status": ["final"], "code": {"text": "pain"}}""")] // list for a single
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": "pain"}""")] // primitive for an object
    [InlineData("""{"resourceType": "Observation", "status": {"text": "final"}, "code": {"text": "pain"}}""")] // object for a primitive
    [InlineData("""{"resourceType": "Observation", "status": 5, "code": {"text": "pain"}}""")] // number for a code
    [InlineData("""{"resourceType": "Observation", "status": true, "code": {"text": "pain"}}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "valueInteger": "6"}""")] // string for an integer
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "valueInteger": 6.5}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "valueInteger": 3000000000}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "valueBoolean": "true"}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "valueQuantity": {"value": "1.5"}}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "valueQuantity": {"value": 1e400}}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "_status": {"id": "s"}, "code": {"text": "pain"}}""")] // a primitive's id and extensions
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "resourceType": "Observation"}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain", "resourceType": "Observation"}}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "foo": 1}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "fhir_comments": ["x"]}""")]
    [InlineData("""{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"status": "final"}}]}""")] // a resource without type
    [InlineData("""{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": "Patient/1"}]}""")]
    [InlineData("""{"resourceType": "Patient", "contained": [{"resourceType": "Observation", "status": "final", "code": {"text": "x"}}, 5]}""")]
    [InlineData("""{"resourceType": "Patient", "name": [{"given": ["Ann", null]}]}""")]
    [InlineData("""{"resourceType": "Patient"}""")] // an empty resource
    [InlineData("""{"resourceType": "Patient", "active": true} {"resourceType": "Patient"}""")]
    [InlineData("""{"resourceType": "Patient", "active": true}, 5""")]
    [InlineData("""[{"resourceType": "Patient", "active": true}]""")]
    [InlineData("""{"resourceType": "Patient", "name": [{"text": "\ud800"}]}""")]
    public void Bodies_Firely_reads_with_issues_or_otherwise_are_left_to_it(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        Assert.False(AssertAsFirely(body, json), json);
    }

    [Theory]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "valueQuantity": {"value": 1.50, "unit": "mm"}}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "valueInteger": -7}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "valueBoolean": false}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain \u00e9t\u00e9 \"x\""}, "effectivePeriod": {"start": "2026"}}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "1"}]}}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "extension": [{"url": "http://e.org/x", "valueDecimal": 0.10}]}""")]
    [InlineData("""{"resourceType": "Patient", "contained": [{"resourceType": "Observation", "status": "final", "code": {"text": "x"}}], "text": {"status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>"}}""")]
    [InlineData("""{"resourceType": "Parameters", "parameter": [{"name": "data", "resource": {"resourceType": "Bundle", "type": "collection", "entry": [{"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Patient", "birthDate": "1950"}}]}}, {"name": "language", "valueCode": "fr"}]}""")]
    [InlineData("""{"resourceType": "Binary", "contentType": "text/plain", "data": "QUJD"}""")]
    [InlineData("""{"resourceType": "Observation", "meta": {"lastUpdated": "2026-03-12T10:00:00Z"}, "status": "final", "code": {"text": "pain"}, "issued": "2026-03-12T10:00:00.123+01:00"}""")]
    public void Plain_bodies_are_read_as_Firely_reads_them(string json)
    {
        Assert.True(AssertAsFirely(Encoding.UTF8.GetBytes(json), json), json);
    }

    // Found in review: an abstract type as a resource type or a choice suffix, which Firely's deserializer cannot make
    // (NotSupportedException): a 400 with an OperationOutcome, not an exception, whichever way the body is read.
    [Theory]
    [InlineData("""{"resourceType": "DomainResource", "id": "a"}""")]
    [InlineData("""{"resourceType": "Resource", "id": "a"}""")]
    [InlineData("""{"resourceType": "Patient", "contained": [{"resourceType": "DomainResource", "id": "a"}]}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "valueElement": {"id": "a"}}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "valueDataType": {"id": "a"}}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "valueBackboneElement": {"id": "a"}}""")]
    public void Abstract_types_are_refused_as_malformed(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        Assert.False(AssertAsFirely(body, json));
        foreach (var read in new[] { true, false })
        {
            FhirSerialization.FastRead = read;
            try
            {
                var result = FhirSerialization.Parse(body, FhirFormat.Json);
                Assert.False(result.IsSuccess, json);
                Assert.Equal(OutcomeKind.Malformed, result.Kind);
                Assert.NotEmpty(result.Issues);
            }
            finally
            {
                FhirSerialization.FastRead = true;
            }
        }
    }

    [Fact]
    public void An_abstract_resource_type_in_xml_is_refused_as_malformed()
    {
        var result = FhirSerialization.Parse(Encoding.UTF8.GetBytes("""<DomainResource xmlns="http://hl7.org/fhir"><id value="a"/></DomainResource>"""), FhirFormat.Xml);
        Assert.False(result.IsSuccess);
        Assert.Equal(OutcomeKind.Malformed, result.Kind);
    }

    [Fact]
    public void Json_that_is_not_well_formed_is_reported_as_before()
    {
        // The reader throws where the JSON breaks; the parse then goes the way it always went and reports it.
        foreach (var json in new[] { """{"resourceType": "Patient", "active": tru}""", """{"resourceType": "Patient", """, "{" + new string('[', 100) })
        {
            var body = Encoding.UTF8.GetBytes(json);
            Assert.ThrowsAny<JsonException>(() => FhirJsonReader.TryRead(body, FhirSerialization.MaxDepth));
            var before = ParsedWithoutReader(body);
            var now = FhirSerialization.Parse(body, FhirFormat.Json);
            Assert.False(now.IsSuccess);
            Assert.Equal(before.Issues.Select(Whole), now.Issues.Select(Whole));
        }
    }

    // A body the reader reads but the checks refuse goes straight to Firely's validating parse: the answer is the one
    // the way through Firely's deserializer gives.
    [Theory]
    [InlineData("""{"resourceType": "Patient", "birthDate": "2020-13-45"}""")]
    [InlineData("""{"resourceType": "Observation", "code": {"text": "x"}}""")]
    [InlineData("""{"resourceType": "Patient", "id": "not an id!"}""")]
    [InlineData("""{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Condition", "subject": {"reference": "Patient/p"}, "onsetDateTime": "yesterday"}}]}""")]
    public void Bodies_read_but_refused_by_the_checks_are_reported_as_before(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        Assert.NotNull(FhirJsonReader.TryRead(body, FhirSerialization.MaxDepth));
        Assert.False(FhirSerialization.ReadsPlain(body));
        var before = ParsedWithoutReader(body);
        var now = FhirSerialization.Parse(body, FhirFormat.Json);
        Assert.False(now.IsSuccess, json);
        Assert.Equal(before.Kind, now.Kind);
        Assert.NotEmpty(now.Issues);
        Assert.Equal(before.Issues.Select(Whole), now.Issues.Select(Whole));
    }

    // The parse as it goes without the reader: Firely's deserializer, then the checks or Firely's validating parse.
    private static Result<Resource> ParsedWithoutReader(byte[] body)
    {
        FhirSerialization.FastRead = false;
        try
        {
            return FhirSerialization.Parse(body, FhirFormat.Json);
        }
        finally
        {
            FhirSerialization.FastRead = true;
        }
    }

    // Everything an issue says, its expressions included (a record's equality would compare the list by reference).
    private static string Whole(Issue i) =>
        $"{i.Severity}|{i.Type}|{i.Code}|{i.Text.En}|{i.Text.Fr}|{i.Location}|{string.Join(",", i.Expressions)}";

    // True when the reader read the body; then Firely's deserializer must read it without issue into the same objects.
    private static bool AssertAsFirely(byte[] body, string what)
    {
        Resource? read;
        try
        {
            read = FhirJsonReader.TryRead(body, FhirSerialization.MaxDepth);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false; // not well-formed, or a string .NET cannot read (a lone surrogate): the parse leaves it to Firely
        }

        if (read is null)
        {
            return false;
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = FhirSerialization.MaxDepth });
        var ok = Firely.TryDeserializeResource(ref reader, out var firely, out var issues);
        Assert.True(ok, $"{what}: read, but Firely reports {string.Join("; ", issues.Select(i => i.Message))}");
        Assert.True(read.IsExactly(firely!), $"{what}: read otherwise than Firely reads it");
        Assert.Equal(Shape(firely!), Shape(read));
        return true;
    }

    // Every object's .NET type and every primitive's JSON value with its .NET type, in element order: IsExactly compares
    // values, not how they are held.
    private static string Shape(Base root)
    {
        var text = new StringBuilder();
        void Walk(Base node, string path)
        {
            text.Append(path).Append(':').Append(node.GetType().FullName);
            if (node is PrimitiveType p)
            {
                text.Append('=').Append(p.JsonValue?.GetType().Name).Append(' ').Append(Convert.ToString(p.JsonValue, System.Globalization.CultureInfo.InvariantCulture));
            }

            text.Append('\n');
            foreach (var (name, value) in node.EnumerateElements())
            {
                switch (value)
                {
                    case Base child:
                        Walk(child, path + "/" + name);
                        break;
                    case IEnumerable<Base> items:
                        var i = 0;
                        foreach (var item in items)
                        {
                            Walk(item, $"{path}/{name}[{i++}]");
                        }

                        break;
                }
            }
        }

        Walk(root, "");
        return text.ToString();
    }

    // Variants aimed at the reader: a property moved before resourceType, given twice, set to null, an item nested in
    // an array, a number written with a fraction or an exponent, a choice's suffix lower-cased.
    private static IEnumerable<(string What, byte[] Body)> ReaderVariants(JsonNode original, Random random)
    {
        var text = original.ToJsonString();
        var names = System.Text.RegularExpressions.Regex.Matches(text, "\"([A-Za-z]+)\":").Select(m => m.Index).ToList();
        foreach (var at in names.OrderBy(_ => random.Next()).Take(30))
        {
            var name = text[(at + 1)..text.IndexOf('"', at + 1)];
            var rest = text[at..];
            yield return ($"{name} null", Encoding.UTF8.GetBytes(text[..at] + $"\"{name}\":null," + rest));
            yield return ($"{name} twice", Encoding.UTF8.GetBytes(text[..at] + $"\"{name}\":\"x\"," + rest));
            yield return ($"{name} suffix", Encoding.UTF8.GetBytes(text[..at] + $"\"{name}String\":\"x\"," + rest));
            yield return ($"{name} lower", Encoding.UTF8.GetBytes(text[..at] + $"\"{name.ToLowerInvariant()}\"" + rest[(name.Length + 2)..]));
            yield return ($"{name} first", Encoding.UTF8.GetBytes("{\"" + name + "\":\"x\"," + text[1..]));
        }

        foreach (var number in System.Text.RegularExpressions.Regex.Matches(text, ":(-?[0-9]+(\\.[0-9]+)?)[,}]").Take(10))
        {
            var value = number.Groups[1];
            foreach (var other in new[] { value.Value + ".0", value.Value + "e0", "\"" + value.Value + "\"", "[" + value.Value + "]", "-0", "99999999999" })
            {
                yield return ($"{value.Value} as {other}", Encoding.UTF8.GetBytes(text[..value.Index] + other + text[(value.Index + value.Length)..]));
            }
        }

        yield return ("nested", Encoding.UTF8.GetBytes(text.Replace("\"coding\":[", "\"coding\":[[", StringComparison.Ordinal).Replace("}],\"text\"", "}]],\"text\"", StringComparison.Ordinal)));
    }
}
