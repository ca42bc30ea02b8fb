using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BoneMetRT.Benchmarks;

/// <summary>The request bodies the benchmarks and the load script use: the small example and a generated large one.</summary>
public static partial class BenchData
{
    /// <summary>The kinds of request bodies the in-process comparisons measure, in the order they report them.</summary>
    public static readonly string[] BodyKinds = ["repeated", "fresh", "freshtexts", "freshcodes", "declared", "newshape"];

    /// <summary>
    /// Makes request bodies of <paramref name="kind"/> (one of <see cref="BodyKinds"/>) from <paramref name="original"/>:
    /// the original itself, or a new variant for every call (<see cref="Fresh"/>, <see cref="FreshTexts"/>,
    /// <see cref="FreshCodes"/>, <see cref="Declared"/>, <see cref="NewShape"/>), numbered from <paramref name="serial"/>, which each call
    /// advances, so that variants never repeat within a process.
    /// </summary>
    public static Func<byte[]> Bodies(string kind, byte[] original, System.Runtime.CompilerServices.StrongBox<int> serial) => kind switch
    {
        "repeated" => () => original,
        "fresh" => () => Fresh(original, serial.Value++),
        "freshtexts" => () => FreshTexts(original, serial.Value++),
        "freshcodes" => () => FreshCodes(original, serial.Value++),
        "declared" => () => Declared(original, serial.Value++),
        "newshape" => () => NewShape(original, serial.Value++),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a kind of body"),
    };

    /// <summary>The small request: examples/valid/pain-uncomplicated-rib.json (8 resources).</summary>
    public const string SmallFile = "pain-uncomplicated-rib.json";

    /// <summary>Number of resources in the large Bundle.</summary>
    public const int LargeResourceCount = 500;

    /// <summary>Folder of the examples/valid files copied next to the binary.</summary>
    public static string DataDir => Path.Combine(AppContext.BaseDirectory, "data");

    /// <summary>The small request body (UTF-8 JSON).</summary>
    public static byte[] Small() => File.ReadAllBytes(Path.Combine(DataDir, SmallFile));

    /// <summary>
    /// The large request body: the small patient plus pain-score and ECOG Observations going back in time and unrelated
    /// Conditions, up to <see cref="LargeResourceCount"/> resources. Deterministic: no clock, no randomness.
    /// </summary>
    public static byte[] Large()
    {
        var root = JsonNode.Parse(Small())!.AsObject();
        var bundle = root["parameter"]!.AsArray().Select(p => p!.AsObject()).Single(p => (string?)p["name"] == "data")["resource"]!.AsObject();
        var entries = bundle["entry"]!.AsArray();
        var patientUrl = (string)entries[0]!["fullUrl"]!;
        var latest = new DateOnly(2026, 3, 11); // the example's own pain score and ECOG are on 2026-03-12: they stay the latest
        string[][] unrelated =
        [
            ["38341003", "Hypertensive disorder"],
            ["44054006", "Diabetes mellitus type 2"],
            ["195967001", "Asthma"],
            ["13645005", "Chronic obstructive lung disease"],
            ["49436004", "Atrial fibrillation"],
            ["35489007", "Depressive disorder"],
            ["396275006", "Osteoarthritis"],
            ["55822004", "Hyperlipidemia"],
        ];

        var n = 0;
        while (entries.Count < LargeResourceCount)
        {
            var kind = n % 11; // per 11 added: 6 pain scores, 4 ECOG, 1 unrelated Condition
            var url = $"urn:uuid:00000001-0000-4000-8001-{n:D12}";
            var date = latest.AddDays(-(n / 2)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            JsonObject resource = kind switch
            {
                < 6 => Observation("survey", "Survey", "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported", patientUrl, date, n % 11),
                < 10 => Observation("survey", "Survey", "89247-1", "ECOG Performance Status score", patientUrl, date, n % 3),
                _ => Condition(unrelated[n / 11 % unrelated.Length], patientUrl, date),
            };
            entries.Add(new JsonObject { ["fullUrl"] = url, ["resource"] = resource });
            n++;
        }

        return Encoding.UTF8.GetBytes(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>
    /// <paramref name="body"/> with every resource made new, as a request about a patient never seen before: the same
    /// shape, but other ids and values, so that no resource (and no Bundle) has the JSON of an earlier one. Changes, for
    /// variant <paramref name="n"/>: every <c>urn:uuid:00000001-…</c> fullUrl and reference (consistently, so references
    /// still resolve) takes <paramref name="n"/> as its first group; every resource gets an id; the patient's MRN and
    /// birth year, every <c>valueInteger</c> (0–4, valid for pain scores and ECOG alike) and every
    /// <c>effectiveDateTime</c> of March 2026 (day 1–12) change with <paramref name="n"/>. bench/load.lua --fresh does the same
    /// to the load test's bodies. The answer stays a 200.
    /// </summary>
    public static byte[] Fresh(byte[] body, int n)
    {
        var text = Encoding.UTF8.GetString(body).Replace("urn:uuid:00000001-", $"urn:uuid:{n:x8}-", StringComparison.Ordinal);
        var k = 0;
        text = ResourceType().Replace(text, m => $"{m.Value} \"id\": \"r{n:x}-{k++}\",");
        text = Mrn().Replace(text, $"\"value\": \"EX-{n}\"");
        text = BirthDate().Replace(text, $"\"birthDate\": \"19{40 + (n % 50)}-");
        text = ValueInteger().Replace(text, $"\"valueInteger\": {n % 5}");
        text = Effective().Replace(text, $"\"effectiveDateTime\": \"2026-03-{1 + (n % 12):D2}\"");
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>
    /// <see cref="Fresh"/>, and also new texts: every <c>"text"</c> (a CodeableConcept's text or a note, the
    /// clinician's words beside the codes) gets <paramref name="n"/> appended, as another patient's record of the same
    /// form would have. Validation by shape leaves those texts out (ValidationShapeRules), so the shape cache answers
    /// as for <see cref="Fresh"/>. bench/load.lua --fresh-texts does the same to the load test's bodies.
    /// </summary>
    public static byte[] FreshTexts(byte[] body, int n)
    {
        var text = Encoding.UTF8.GetString(Fresh(body, n));
        text = ConceptText().Replace(text, m => $"{m.Value[..^1]} #{n}\"");
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>
    /// <see cref="FreshTexts"/>, and also new codes: every <c>bodySite</c> gets a second coding, from a local code
    /// system, whose code (<c>site-N</c>) changes with <paramref name="n"/>, as another patient's bone sites would.
    /// Validation by shape leaves the codes and systems of <c>Condition.bodySite</c> out (an example binding, which
    /// Firely checks for nothing: ValidationShapeRules.OnlyAt), so the shape cache answers as for <see cref="Fresh"/>;
    /// the answer does not change (the assessment reads the SNOMED CT coding, the local one is only carried).
    /// </summary>
    public static byte[] FreshCodes(byte[] body, int n)
    {
        var text = Encoding.UTF8.GetString(FreshTexts(body, n));
        text = BodySiteCoding().Replace(text, m => $"{m.Value}{{\"system\": \"https://example.org/fhir/CodeSystem/local-site\", \"code\": \"site-{n}\"}}, ");
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>
    /// <see cref="FreshTexts"/>, with every resource (the Bundle and its entries) declaring a US Core profile in
    /// <c>meta.profile</c>, as records from a US EHR do. The service does not know those profiles: it validates
    /// without them and warns about each (FhirValidation.IsKnownProfile), and the shape keeps them as they are, so the
    /// shape cache answers as for <see cref="FreshTexts"/>; the answer gains one warning per declared profile.
    /// </summary>
    public static byte[] Declared(byte[] body, int n)
    {
        var text = Encoding.UTF8.GetString(FreshTexts(body, n));
        text = ResourceType().Replace(text, m => m.Value.Contains("\"Parameters\"", StringComparison.Ordinal)
            ? m.Value
            : $"{m.Value} \"meta\": {{\"profile\": [\"http://hl7.org/fhir/us/core/StructureDefinition/us-core-{m.Value.Split('"')[3].ToLowerInvariant()}\"]}},");
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>
    /// <see cref="FreshCodes"/>, and also a shape never seen before: the local coding of every <c>bodySite</c> carries
    /// a version (<c>v-N</c>) that changes with <paramref name="n"/>. <c>Coding.version</c> is kept in a shape, so the
    /// shape cache cannot answer and the Bundle's run validates with Firely every time, as for a record of a new form;
    /// the answer does not change.
    /// </summary>
    public static byte[] NewShape(byte[] body, int n)
    {
        var text = Encoding.UTF8.GetString(FreshTexts(body, n));
        text = BodySiteCoding().Replace(text, m => $"{m.Value}{{\"system\": \"https://example.org/fhir/CodeSystem/local-site\", \"version\": \"v-{n}\", \"code\": \"site-{n}\"}}, ");
        return Encoding.UTF8.GetBytes(text);
    }

    [GeneratedRegex(@"""bodySite"":\s*\[\s*\{\s*""coding"":\s*\[\s*")]
    private static partial Regex BodySiteCoding();

    [GeneratedRegex("\"text\": *\"[^\"<]*\"")]
    private static partial Regex ConceptText();

    [GeneratedRegex("\"resourceType\": *\"[A-Za-z]+\",")]
    private static partial Regex ResourceType();

    [GeneratedRegex("\"value\": *\"EX-[0-9]+\"")]
    private static partial Regex Mrn();

    [GeneratedRegex("\"birthDate\": *\"[0-9]{4}-")]
    private static partial Regex BirthDate();

    [GeneratedRegex("\"valueInteger\": *[0-9]+")]
    private static partial Regex ValueInteger();

    [GeneratedRegex("\"effectiveDateTime\": *\"2026-03-[0-9]{2}\"")]
    private static partial Regex Effective();

    private static JsonObject Observation(string category, string categoryDisplay, string loinc, string display, string patient, string date, int value) => new()
    {
        ["resourceType"] = "Observation",
        ["status"] = "final",
        ["category"] = new JsonArray(Concept("http://terminology.hl7.org/CodeSystem/observation-category", category, categoryDisplay)),
        ["code"] = Concept("http://loinc.org", loinc, display),
        ["subject"] = new JsonObject { ["reference"] = patient },
        ["effectiveDateTime"] = date,
        ["valueInteger"] = value,
    };

    private static JsonObject Condition(string[] code, string patient, string date) => new()
    {
        ["resourceType"] = "Condition",
        ["clinicalStatus"] = Concept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active"),
        ["verificationStatus"] = Concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "Confirmed"),
        ["category"] = new JsonArray(Concept("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item", "Problem List Item")),
        ["code"] = Concept("http://snomed.info/sct", code[0], code[1]),
        ["subject"] = new JsonObject { ["reference"] = patient },
        ["onsetDateTime"] = date,
        ["recordedDate"] = date,
    };

    private static JsonObject Concept(string system, string code, string display) => new()
    {
        ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code, ["display"] = display }),
    };
}
