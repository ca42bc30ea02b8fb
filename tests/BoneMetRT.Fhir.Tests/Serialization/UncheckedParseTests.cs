using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace BoneMetRT.Fhir.Tests.Serialization;

/// <summary>
/// The parse without Firely's validator followed by <see cref="DeserializerChecks"/> answers exactly what Firely's
/// validating parse answers: the same resource (the same JSON written back) or the same issues, on every example and
/// on thousands of variants of them broken the ways EHR data and hostile callers break JSON (wrong-cased names and
/// resource types, unknown elements, bad primitive values, missing mandatory elements, choice types not allowed).
/// </summary>
[Collection(ParseSwitchesCollection.Name)]
public sealed class UncheckedParseTests
{
    private static readonly FhirJsonDeserializer WithoutValidator = new(new DeserializerSettings { Validator = null });

    public static TheoryData<string> Files => [.. AllExampleFiles()];

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_example_parses_the_same_with_and_without_the_shortcut(string file)
    {
        var body = File.ReadAllBytes(Path.Combine(ExampleCatalog.Root, "examples", file));
        AssertSameParse(body, file);
    }

    [Fact]
    public void Every_valid_example_takes_the_shortcut()
    {
        var refused = ExampleCatalog.Valid.Where(f => !FhirSerialization.ParsesUnchecked(File.ReadAllBytes(Path.Combine(ExampleCatalog.ValidFolder, f)))).ToList();
        Assert.True(refused.Count == 0, "parsed with the validator: " + string.Join(", ", refused));
    }

    [Fact]
    public void Broken_variants_of_every_valid_example_parse_the_same_with_and_without_the_shortcut()
    {
        var variants = 0;
        var shortcut = 0;
        var refusedByFirely = 0;
        var acceptedWithoutValidator = 0; // refused by the validating parse, accepted by the parse without validator alone
        foreach (var file in ExampleCatalog.Valid)
        {
            var original = JsonNode.Parse(File.ReadAllBytes(Path.Combine(ExampleCatalog.ValidFolder, file)))!;
            var random = new Random(file.Length * 7919 + file[0]);
            foreach (var (what, body) in Variants(original, random))
            {
                variants++;
                var firely = AssertSameParse(body, $"{file} ({what})");
                shortcut += FhirSerialization.ParsesUnchecked(body) ? 1 : 0;
                if (!firely.IsSuccess)
                {
                    refusedByFirely++;
                    var reader = new Utf8JsonReader(body);
                    acceptedWithoutValidator += WithoutValidator.TryDeserializeResource(ref reader, out _, out _) ? 1 : 0;
                }
            }
        }

        // The variants exercise both ways, and the checks are needed: without them the shortcut would accept bodies Firely refuses.
        Assert.True(variants > 3000, $"{variants} variants");
        Assert.True(shortcut > 300, $"{shortcut} variants took the shortcut");
        Assert.True(refusedByFirely > 1000, $"{refusedByFirely} variants refused");
        Assert.True(acceptedWithoutValidator > 300, $"{acceptedWithoutValidator} refused variants the parse without validator accepts");
    }

    [Theory]
    [InlineData("\"status\": \"final\"", "\"Status\": \"final\"")]
    [InlineData("\"resourceType\": \"Observation\"", "\"resourceType\": \"observation\"")]
    [InlineData("\"status\": \"final\"", "\"status\": \"finished\"")]
    [InlineData("\"status\": \"final\"", "\"status\": \" final\"")]
    [InlineData("\"status\": \"final\"", "\"status\": \"final\", \"foo\": 1")]
    [InlineData("\"status\": \"final\"", "\"st\\u0061tus\": \"final\"")]
    [InlineData("\"effectiveDateTime\": \"2026-03-12\"", "\"effectiveDateTime\": \"2026-13-12\"")]
    [InlineData("\"effectiveDateTime\": \"2026-03-12\"", "\"effectiveString\": \"2026-03-12\"")]
    [InlineData("\"effectiveDateTime\": \"2026-03-12\"", "\"effectivedateTime\": \"2026-03-12\"")]
    [InlineData("\"effectiveDateTime\": \"2026-03-12\"", "\"effectiveDatetime\": \"2026-03-12\"")]
    [InlineData("\"id\": \"o1\"", "\"id\": \"o 1\"")]
    [InlineData("\"id\": \"o1\"", "\"id\": \"\"")]
    [InlineData("\"code\": {\"text\": \"pain\"}", "\"code\": {}")]
    [InlineData("\"code\": {\"text\": \"pain\"}", "\"code\": {\"text\": \"pain\", \"coding\": []}")]
    [InlineData("\"status\": \"final\",", "")]
    [InlineData("\"valueInteger\": 6", "\"valueInteger\": 6.5")]
    [InlineData("\"valueInteger\": 6", "\"valueInteger\": \"6\"")]
    [InlineData("\"valueInteger\": 6", "\"valueInteger\": 99999999999")]
    [InlineData("\"valueInteger\": 6", "\"valueInteger\": 6, \"_valueInteger\": {\"id\": \"x\"}")]
    [InlineData("\"valueInteger\": 6", "\"valueInteger\": 6, \"_valueInteger\": {\"id\": \"x y\"}")]
    [InlineData("\"valueInteger\": 6", "\"valueInteger\": 6, \"_status\": {\"extension\": [{\"url\": \"http://e.org/x\", \"valueBoolean\": true}]}")]
    [InlineData("\"valueInteger\": 6", "\"valueInteger\": 6, \"contained\": [{\"resourceType\": \"Patient\", \"contained\": [{\"resourceType\": \"Patient\"}]}]")]
    [InlineData("\"valueInteger\": 6", "\"valueInteger\": 6, \"text\": {\"status\": \"generated\", \"div\": \"<div>no namespace</div>\"}")]
    [InlineData("\"valueInteger\": 6", "\"valueInteger\": 6, \"text\": {\"status\": \"generated\", \"div\": \"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\"><script>x</script></div>\"}")]
    [InlineData("\"valueInteger\": 6", "\"valueInteger\": 6, \"issued\": \"2026-03-12\"")]
    [InlineData("\"valueInteger\": 6", "\"valueInteger\": 6, \"extension\": [{\"url\": \"http://e.org/x\", \"valueFoo\": true}]")]
    [InlineData("\"valueInteger\": 6", "\"valueInteger\": 6, \"extension\": [{\"valueBoolean\": true}]")]
    [InlineData("\"valueInteger\": 6", "\"valueInteger\": 6, \"meta\": {\"profile\": [\"not a uri\"]}")]
    [InlineData("\"valueInteger\": 6", "\"valueInteger\": 6, \"valueString\": \"x\"")]
    public void Observation_broken_one_way_parses_the_same_with_and_without_the_shortcut(string from, string to)
    {
        const string observation = """
            {"resourceType": "Observation", "id": "o1", "status": "final", "code": {"text": "pain"}, "effectiveDateTime": "2026-03-12", "valueInteger": 6}
            """;
        Assert.Contains(from, observation);
        var body = Encoding.UTF8.GetBytes(observation.Replace(from, to, StringComparison.Ordinal));
        AssertSameParse(body, to);
        Assert.True(FhirSerialization.ParsesUnchecked(Encoding.UTF8.GetBytes(observation)));
    }

    // ChargeItem spells bodysite where every other type spells bodySite: Firely's default settings bind either spelling
    // to either element (case issues are ignored), and so does the parse without validator.
    [Theory]
    [InlineData("""{"resourceType": "ChargeItem", "status": "billed", "code": {"text": "x"}, "subject": {"reference": "Patient/p"}, "bodySite": [{"text": "rib"}]}""")]
    [InlineData("""{"resourceType": "ChargeItem", "status": "billed", "code": {"text": "x"}, "subject": {"reference": "Patient/p"}, "bodysite": [{"text": "rib"}]}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "bodysite": {"text": "rib"}}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "bodySite": {"text": "rib"}}""")]
    [InlineData("""{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "bodySite": {"text": "rib"}}}, {"resource": {"resourceType": "ChargeItem", "status": "billed", "code": {"text": "x"}, "subject": {"reference": "Patient/p"}, "bodySite": [{"text": "rib"}]}}]}""")]
    [InlineData("""{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "bodysite": {"text": "rib"}}}, {"resource": {"resourceType": "ChargeItem", "status": "billed", "code": {"text": "x"}, "subject": {"reference": "Patient/p"}, "bodysite": [{"text": "rib"}]}}]}""")]
    public void Element_names_spelled_two_ways_in_the_model_parse_the_same_with_and_without_the_shortcut(string json)
    {
        var firely = AssertSameParse(Encoding.UTF8.GetBytes(json), json);
        Assert.True(firely.IsSuccess);
        Assert.True(FhirSerialization.ParsesUnchecked(Encoding.UTF8.GetBytes(json)));
    }

    // Found in review: array items Firely validates and then drops (an element given one way and its _ companion the
    // other), an id without value on a primitive whose value was seen before, ids of the wrong JSON type, base64.
    [Theory]
    [InlineData("""{"resourceType": "Observation", "status": "final", "_status": [{"extension": [{"url": "http://e.org/x", "valueBoolean": true}]}, {"extension": [{"valueBoolean": true}]}], "code": {"text": "pain"}}""")]
    [InlineData("""{"resourceType": "Observation", "_status": {"extension": [{"url": "http://e.org/x", "valueBoolean": true}]}, "status": ["final", "bogus"], "code": {"text": "pain"}}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "_status": [{"extension": [{"url": "http://e.org/x", "valueBoolean": true}]}], "code": {"text": "pain"}}""")]
    [InlineData("""{"resourceType": "Observation", "status": ["final"], "_status": [{"id": "a"}], "code": {"text": "pain"}}""")]
    [InlineData("""{"resourceType": "Observation", "status": ["final", "bogus"], "code": {"text": "pain"}}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": [{"text": "pain"}]}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "_status": {"_id": {"extension": [{"valueBoolean": true}]}}}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "_status": {"_id": {"extension": [{"url": "http://e.org/x", "valueBoolean": true}]}}}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "_status": {"id": 5}}""")]
    [InlineData("""{"resourceType": "Observation", "id": "o1", "_id": {"id": true}, "status": "final", "code": {"text": "pain"}}""")]
    [InlineData("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "category": [{"text": "x"}], "_category": [{"id": "a"}]}""")]
    [InlineData("""{"resourceType": "Binary", "contentType": "text/plain", "data": "QUJD REVG"}""")]
    [InlineData("""{"resourceType": "Patient", "name": [{"given": ["Ann", "Marie"], "_given": [null, {"extension": [{"url": "http://e.org/x", "valueBoolean": true}]}]}]}""")]
    [InlineData("""{"resourceType": "Patient", "name": [{"given": ["Ann"], "_given": [null, {"extension": [{"valueBoolean": true}]}]}]}""")]
    [InlineData("""{"resourceType": "Patient", "name": [{"given": ["Ann"], "_given": {"id": "a"}}]}""")]
    public void Bodies_found_in_review_parse_the_same_with_and_without_the_shortcut(string json)
    {
        // Twice: the second time the plain values are remembered from the first.
        FhirSerialization.Parse(Encoding.UTF8.GetBytes("""{"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "id": "o1"}"""), FhirFormat.Json);
        var firely = AssertSameParse(Encoding.UTF8.GetBytes(json), json);
        var fast = FhirSerialization.Parse(Encoding.UTF8.GetBytes(json), FhirFormat.Json);
        AssertSameParse(Encoding.UTF8.GetBytes(json), json);
        if (firely.Value is Binary binary)
        {
            // base64Binary's check rewrites the value it holds (whitespace dropped): the objects agree, not only their JSON.
            Assert.Equal(binary.DataElement!.JsonValue, ((Binary)fast.Value!).DataElement!.JsonValue);
        }
    }

    private static Result<Resource> AssertSameParse(byte[] body, string what)
    {
        Result<Resource> fast, firely;
        try
        {
            FhirSerialization.FastParse = false;
            firely = FhirSerialization.Parse(body, FhirFormat.Json);
        }
        finally
        {
            FhirSerialization.FastParse = true;
        }

        fast = FhirSerialization.Parse(body, FhirFormat.Json);
        Assert.True(firely.IsSuccess == fast.IsSuccess, $"{what}: Firely {firely.IsSuccess}, shortcut {fast.IsSuccess}");
        if (firely.IsSuccess)
        {
            Assert.Equal(FhirSerialization.ToText(firely.Value!, FhirFormat.Json, pretty: false), FhirSerialization.ToText(fast.Value!, FhirFormat.Json, pretty: false));
        }
        else
        {
            Assert.Equal(Describe(firely), Describe(fast));
        }

        return firely;
    }

    private static string Describe(Result<Resource> result) =>
        string.Join("\n", result.Issues.Select(i => $"{i.Severity} {i.Type} {i.Code} {i.Text} @{i.Location} {string.Join(",", i.Expressions)}"));

    internal static IEnumerable<string> AllExampleFiles() =>
        Directory.EnumerateFiles(Path.Combine(ExampleCatalog.Root, "examples"), "*.json", SearchOption.AllDirectories)
            .Where(f => !f.Contains("__snapshots__", StringComparison.Ordinal) && !f.EndsWith("manifest.json", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Path.Combine(ExampleCatalog.Root, "examples"), f))
            .Order(StringComparer.Ordinal);

    // Variants of a request: for a sample of its properties, the name wrong-cased or unknown, the value emptied, padded,
    // turned into another JSON type or into an invalid date, the property removed, a resourceType lower-cased.
    internal static IEnumerable<(string What, byte[] Body)> Variants(JsonNode original, Random random)
    {
        var paths = new List<(string Path, int Index)>();
        Collect(original, "$", paths);
        foreach (var (path, index) in paths.OrderBy(_ => random.Next()).Take(40))
        {
            for (var kind = 0; kind < 3; kind++)
            {
                var copy = original.DeepClone();
                var (parent, name) = Locate(copy, path, index);
                var value = parent[name];
                var what = $"{path}.{name} #{kind}";
                var mutated = (kind, value) switch
                {
                    (0, _) when name == "resourceType" => Set(parent, name, JsonValue.Create(((string)value!).ToLowerInvariant())),
                    (0, _) => Rename(parent, name, char.ToUpperInvariant(name[0]) + name[1..]),
                    (1, JsonValue v) when v.GetValueKind() == JsonValueKind.String => Set(parent, name, JsonValue.Create(random.Next(4) switch
                    {
                        0 => "",
                        1 => " " + (string)v!,
                        2 => (string)v! + "\u0001",
                        _ => "2026-02-30T25:00:00Z",
                    })),
                    (1, JsonValue v) => Set(parent, name, JsonValue.Create(v.ToJsonString())),
                    (1, JsonArray) => Set(parent, name, new JsonArray()),
                    (1, JsonObject) => Set(parent, name, new JsonObject()),
                    (2, _) when random.Next(2) == 0 => Rename(parent, name, name + "x"),
                    _ => Remove(parent, name),
                };
                if (mutated)
                {
                    yield return (what, Encoding.UTF8.GetBytes(copy.ToJsonString()));
                }
            }
        }
    }

    private static void Collect(JsonNode node, string path, List<(string, int)> paths)
    {
        switch (node)
        {
            case JsonObject o:
                var i = 0;
                foreach (var (name, child) in o.ToList())
                {
                    paths.Add((path, i++));
                    if (child is not null)
                    {
                        Collect(child, $"{path}.{name}", paths);
                    }
                }

                break;
            case JsonArray a:
                for (var j = 0; j < a.Count; j++)
                {
                    if (a[j] is { } item)
                    {
                        Collect(item, $"{path}[{j}]", paths);
                    }
                }

                break;
        }
    }

    private static (JsonObject Parent, string Name) Locate(JsonNode root, string path, int index)
    {
        JsonNode node = root;
        foreach (var step in path[1..].Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = step.Split('[')[0];
            node = node[name]!;
            foreach (var bracket in step.Split('[').Skip(1))
            {
                node = node[int.Parse(bracket.TrimEnd(']'), System.Globalization.CultureInfo.InvariantCulture)]!;
            }
        }

        var parent = node.AsObject();
        return (parent, parent.ElementAt(index).Key);
    }

    private static bool Set(JsonObject parent, string name, JsonNode? value)
    {
        parent[name] = value;
        return true;
    }

    private static bool Remove(JsonObject parent, string name) => parent.Remove(name);

    private static bool Rename(JsonObject parent, string name, string newName)
    {
        if (parent.ContainsKey(newName))
        {
            return false;
        }

        var value = parent[name];
        parent.Remove(name);
        parent[newName] = value?.DeepClone();
        return true;
    }
}
