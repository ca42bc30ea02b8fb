using System.Diagnostics;
using System.Net;
using System.Text;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Tests.Infrastructure;

/// <summary>
/// Hostile and careless inputs: each is refused with a 4xx OperationOutcome (never a 5xx, never a hang), and the
/// service still answers a valid example right after. Times are measured with the validation warm.
/// </summary>
public sealed class HostileInputTests(WarmApiFactory api) : IClassFixture<WarmApiFactory>
{
    /// <summary>Any single request: they take milliseconds, so this only catches a hang.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>
    /// 10 000 entries under a raised limit: validation is linear in the entries, about 16 s alone on 2 cores, but more
    /// than 60 s was seen while the other test assemblies (run in parallel by <c>dotnet test</c>) shared those cores.
    /// This bound guards against a hang or a quadratic cost (which would take many minutes), not a speed target: speed
    /// lives in bench/BENCHMARKS.md.
    /// </summary>
    private static readonly TimeSpan LargeBound = TimeSpan.FromSeconds(180);
    private readonly HttpClient _client = CreateClient(api);

    private static HttpClient CreateClient(ApiFactory factory)
    {
        var client = factory.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(60);
        return client;
    }

    /// <summary>A hostile body: name, bytes, Content-Type, the status it must get.</summary>
    public sealed record Case(string Name, Func<byte[]> Body, string? ContentType, HttpStatusCode Status)
    {
        public override string ToString() => Name;
    }

    /// <summary>Every small hostile body (the large ones have their own tests).</summary>
    public static readonly IReadOnlyList<Case> Cases =
    [
        new("truncated JSON", () => Wire.ValidExample(HostileBodies.Probe)[..5000], Wire.Json, HttpStatusCode.BadRequest),
        new("truncated XML", () => FhirSerialization.Serialize(Wire.ParseValidExample(HostileBodies.Probe), FhirFormat.Xml)[..5000], Wire.Xml, HttpStatusCode.BadRequest),
        new("unknown resourceType", () => Encoding.UTF8.GetBytes("""{"resourceType":"Banana","id":"b1"}"""), Wire.Json, HttpStatusCode.BadRequest),
        new("no resourceType", () => Encoding.UTF8.GetBytes("""{"id":"b1","parameter":[]}"""), Wire.Json, HttpStatusCode.BadRequest),
        new("resource not an assess input", () => Encoding.UTF8.GetBytes("""{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"}}"""), Wire.Json, HttpStatusCode.UnprocessableEntity),
        new("JSON nested 10 000 deep", () => HostileBodies.DeepJson(10_000), Wire.Json, HttpStatusCode.BadRequest),
        new("XML nested 10 000 deep", () => HostileBodies.DeepXml(10_000), Wire.Xml, HttpStatusCode.BadRequest),
        new("unknown elements", () => Encoding.UTF8.GetBytes("""{"resourceType":"Parameters","parameter":[{"name":"language","valueCode":"en"}],"hack":{"a":1},"_evil":true}"""), Wire.Json, HttpStatusCode.BadRequest),
        new("non-UTF-8 bytes", () => Encoding.Latin1.GetBytes("""{"resourceType":"Parameters","parameter":[{"name":"x","valueString":"Noël Hélène"}]}"""), Wire.Json, HttpStatusCode.BadRequest),
        new("non-UTF-8 XML", () => Encoding.Latin1.GetBytes("""<Parameters xmlns="http://hl7.org/fhir"><parameter><name value="Noël"/></parameter></Parameters>"""), Wire.Xml, HttpStatusCode.BadRequest),
        new("XML external entity", () => HostileBodies.ExternalEntity, Wire.Xml, HttpStatusCode.BadRequest),
        new("XML billion laughs", () => HostileBodies.BillionLaughs, Wire.Xml, HttpStatusCode.BadRequest),
        new("empty body", () => [], Wire.Json, HttpStatusCode.BadRequest),
        new("empty XML body", () => [], Wire.Xml, HttpStatusCode.BadRequest),
        new("whitespace only", () => Encoding.UTF8.GetBytes("  \r\n\t "), Wire.Json, HttpStatusCode.BadRequest),
        new("JSON null", () => Encoding.UTF8.GetBytes("null"), Wire.Json, HttpStatusCode.BadRequest),
        new("JSON array", () => Encoding.UTF8.GetBytes("""[{"resourceType":"Parameters"}]"""), Wire.Json, HttpStatusCode.BadRequest),
        new("JSON number", () => Encoding.UTF8.GetBytes("42"), Wire.Json, HttpStatusCode.BadRequest),
        new("JSON string", () => Encoding.UTF8.GetBytes("\"Parameters\""), Wire.Json, HttpStatusCode.BadRequest),
        new("JSON true", () => Encoding.UTF8.GetBytes("true"), Wire.Json, HttpStatusCode.BadRequest),
        new("two JSON documents", () => Encoding.UTF8.GetBytes("""{"resourceType":"Patient","id":"a"}{"resourceType":"Patient","id":"b"}"""), Wire.Json, HttpStatusCode.BadRequest),
        new("JSON with comments", () => Encoding.UTF8.GetBytes("""/* x */ {"resourceType":"Patient","id":"a"}"""), Wire.Json, HttpStatusCode.BadRequest),
        new("garbage binary as JSON", () => HostileBodies.Garbage(64 * 1024), Wire.Json, HttpStatusCode.BadRequest),
        new("garbage binary as XML", () => HostileBodies.Garbage(64 * 1024), Wire.Xml, HttpStatusCode.BadRequest),
        new("JSON sent as XML", () => Wire.ValidExample(HostileBodies.Probe), Wire.Xml, HttpStatusCode.BadRequest),
        new("XML sent as JSON", () => FhirSerialization.Serialize(Wire.ParseValidExample(HostileBodies.Probe), FhirFormat.Xml), Wire.Json, HttpStatusCode.BadRequest),
        new("XML in another namespace", () => Encoding.UTF8.GetBytes("""<Parameters xmlns="http://example.org/not-fhir"><parameter/></Parameters>"""), Wire.Xml, HttpStatusCode.BadRequest),
        new("id of 900 KB", () => Encoding.UTF8.GetBytes($$"""{"resourceType":"Parameters","id":"{{new string('a', 900 * 1024)}}","parameter":[{"name":"language","valueCode":"en"}]}"""), Wire.Json, HttpStatusCode.BadRequest),
        new("NUL characters", () => Encoding.UTF8.GetBytes("{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"a\u0000b\",\"valueString\":\"\u0000\"}]}"), Wire.Json, HttpStatusCode.BadRequest),
        new("reference to nowhere", () => Wire.InvalidExample("reference-to-nothing.json"), Wire.Json, HttpStatusCode.UnprocessableEntity),
    ];

    /// <summary>Names of <see cref="Cases"/> as xUnit data.</summary>
    public static TheoryData<string> CaseNames => [.. Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Hostile_body_is_refused_with_an_outcome_and_the_service_goes_on(string name)
    {
        var hostile = Cases.Single(c => c.Name == name);

        await AssertRefusedAsync(hostile);

        await AssertStillServesAsync();
    }

    [Fact]
    public async Task External_entity_is_never_resolved()
    {
        using var response = await Wire.PostAsync(_client, "/fhir/$assess", Wire.Body(HostileBodies.ExternalEntity, Wire.Xml));

        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("root:", text, StringComparison.Ordinal);
        Assert.Contains("DTD", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_string_of_900_KB_is_answered_in_bounded_time_without_a_5xx()
    {
        // A 900 KB family name is legal FHIR (a string may hold up to 1 MB): 200 or 4xx, never 5xx, never slow.
        var data = HostileBodies.DataOf(HostileBodies.Probe);
        var patient = data.Entry.Select(e => e.Resource).OfType<Patient>().Single();
        patient.Name[0].Family = new string('x', 900 * 1024);
        var body = HostileBodies.Assess(data);
        Assert.InRange(body.Length, 900 * 1024, 1024 * 1024);

        var watch = Stopwatch.StartNew();
        using var response = await Wire.PostAsync(_client, "/fhir/$assess", Wire.Body(body)).WaitAsync(Bound);

        Assert.True(watch.Elapsed < Bound, $"took {watch.Elapsed}");
        Assert.True((int)response.StatusCode is 200 or (>= 400 and < 500), $"HTTP {(int)response.StatusCode}");
        Assert.IsType(response.StatusCode == HttpStatusCode.OK ? typeof(Bundle) : typeof(OperationOutcome),
            await Wire.ReadAsync(response, response.StatusCode, FhirFormat.Json));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_string_of_900_KB_in_an_input_item_is_422()
    {
        var data = HostileBodies.DataOf(HostileBodies.Probe);
        var size = data.Entry.Select(e => e.Resource).OfType<Observation>().First(o => o.Code?.Coding.Any(c => c.Code == "mirels-size") == true);
        size.Value = new FhirString(new string('9', 900 * 1024));

        using var response = await Wire.PostAsync(_client, "/fhir/$assess", Wire.Body(HostileBodies.Assess(data))).WaitAsync(Bound);

        await Wire.AssertOutcomeAsync(response, HttpStatusCode.UnprocessableEntity);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Duplicate_entries_with_the_same_full_url_and_id_are_422()
    {
        var data = HostileBodies.DataOf(HostileBodies.WithIds);
        var lesion = data.Entry.First(e => e.Resource is Condition { Id: "cond-met-femur" });
        data.Entry.Add((Bundle.EntryComponent)lesion.DeepCopy());

        using var response = await Wire.PostAsync(_client, "/fhir/$assess", Wire.Body(HostileBodies.Assess(data)));

        await Wire.AssertOutcomeAsync(response, HttpStatusCode.UnprocessableEntity);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Duplicate_resource_ids_under_different_full_urls_are_422()
    {
        // Two different lesions both claim to be Condition/cond-met-femur: which one does a reference mean?
        var data = HostileBodies.DataOf(HostileBodies.WithIds);
        var lesion = data.Entry.First(e => e.Resource is Condition { Id: "cond-met-femur" });
        var twin = (Bundle.EntryComponent)lesion.DeepCopy();
        twin.FullUrl = "urn:uuid:6f1c7a4e-9d1b-4a57-8a43-0c2b1f7d9e11";
        ((Condition)twin.Resource!).BodySite = [new CodeableConcept("http://snomed.info/sct", "71341001", "Bone structure of femur")];
        data.Entry.Add(twin);

        using var response = await Wire.PostAsync(_client, "/fhir/$assess", Wire.Body(HostileBodies.Assess(data)));

        var errors = await Wire.AssertOutcomeAsync(response, HttpStatusCode.UnprocessableEntity);
        var first = data.Entry.IndexOf(lesion);
        Assert.Contains(errors, i => i.Expression.SequenceEqual([$"Parameters.parameter[0].resource.entry[{first}].resource", $"Parameters.parameter[0].resource.entry[{data.Entry.Count - 1}].resource"]));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Subject_reference_to_nowhere_is_422_with_its_expression()
    {
        var data = HostileBodies.DataOf(HostileBodies.WithIds);
        var index = data.Entry.FindIndex(e => e.Resource is Condition { Id: "cond-met-femur" });
        ((Condition)data.Entry[index].Resource!).Subject = new ResourceReference("Patient/nobody");

        using var response = await Wire.PostAsync(_client, "/fhir/$assess", Wire.Body(HostileBodies.Assess(data)));

        var errors = await Wire.AssertOutcomeAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(errors, i => i.Expression.Any(e => e?.StartsWith($"Parameters.parameter[0].resource.entry[{index}].resource", StringComparison.Ordinal) == true));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_bundle_of_10_000_entries_is_413_under_the_default_limit()
    {
        var body = HostileBodies.Assess(HostileBodies.ManyEntries(9_999));
        Assert.True(body.Length > 1024 * 1024, $"{body.Length} bytes");

        using var response = await Wire.PostAsync(_client, "/fhir/$assess", Wire.Body(body)).WaitAsync(Bound);

        await Wire.AssertOutcomeAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_bundle_of_10_000_entries_under_a_raised_limit_is_answered_in_bounded_time()
    {
        // Validation is linear in the entries (about 1.6 ms each): under the default limit (about 2 000 such entries),
        // that bounds a request to a few seconds; an operator who raises the limit accepts proportionally longer.
        const FhirFormat format = FhirFormat.Json;
        using var factory = new LargeLimitApiFactory();
        using var client = CreateClient(factory);
        client.Timeout = LargeBound + TimeSpan.FromSeconds(30);
        var body = HostileBodies.Assess(HostileBodies.ManyEntries(9_999), format);

        var watch = Stopwatch.StartNew();
        using var response = await Wire.PostAsync(client, "/fhir/$assess", Wire.Body(body, FhirSerialization.MediaType(format))).WaitAsync(LargeBound);
        var elapsed = watch.Elapsed;

        Assert.True(elapsed < LargeBound, $"took {elapsed}");
        Assert.True((int)response.StatusCode is 200 or (>= 400 and < 500), $"HTTP {(int)response.StatusCode}");
        Assert.IsType(response.StatusCode == HttpStatusCode.OK ? typeof(Bundle) : typeof(OperationOutcome),
            await Wire.ReadAsync(response, response.StatusCode, format));
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task Hostile_and_valid_requests_at_the_same_time_each_get_their_own_answer()
    {
        var hostile = Cases.Where(c => c.Name is "truncated JSON" or "JSON nested 10 000 deep" or "XML external entity" or "XML billion laughs"
            or "garbage binary as JSON" or "JSON null" or "non-UTF-8 bytes" or "reference to nowhere" or "id of 900 KB").ToList();

        var tasks = new List<Task>();
        for (var round = 0; round < 3; round++)
        {
            tasks.AddRange(hostile.Select(AssertRefusedAsync));
            tasks.Add(AssertStillServesAsync());
            tasks.Add(AssertStillServesAsync(file: "mscc-nsclc.json"));
        }

        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(120));
    }

    private async Task AssertRefusedAsync(Case hostile)
    {
        using var response = await Wire.PostAsync(_client, "/fhir/$assess", Wire.Body(hostile.Body(), hostile.ContentType)).WaitAsync(Bound);
        var format = hostile.ContentType == Wire.Xml ? FhirFormat.Xml : FhirFormat.Json;
        await Wire.AssertOutcomeAsync(response, hostile.Status, format);
    }

    private async Task AssertStillServesAsync(HttpClient? client = null, string file = HostileBodies.Probe)
    {
        using var response = await Wire.PostAsync(client ?? _client, "/fhir/$assess", Wire.Body(Wire.ValidExample(file))).WaitAsync(Bound);
        Golden.AssertMatches(ExampleCatalog.ValidFolder, file, await Wire.ReadAsync(response, HttpStatusCode.OK, FhirFormat.Json));
    }
}
