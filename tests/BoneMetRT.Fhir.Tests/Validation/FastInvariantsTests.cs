using System.Text;
using System.Text.Json.Nodes;
using BoneMetRT.Domain;
using BoneMetRT.Fhir.Tests.Examples;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Tests.Validation;

/// <summary>
/// The C# shortcuts of the core FHIRPath invariants (<see cref="FhirValidation.UseFastInvariants"/>) must not change a
/// single issue. Every example that parses, and variants of the small example made to violate each invariant that has
/// a shortcut (the parser accepts all of them), are validated with the shortcuts off and on: the whole
/// OperationOutcome of <see cref="FhirValidation.Validate"/> (errors, warnings and information, of the Bundle, of the
/// Parameters around it and of every entry alone) and the errors of <see cref="FhirValidation.ValidateInput"/> in
/// English and French are compared as JSON.
/// </summary>
public sealed class FastInvariantsTests
{
    // An instance of its own, so that other tests running at the same time neither toggle nor count its shortcuts.
    private static readonly Lazy<FhirValidation> Validation = new(() => new FhirValidation(FhirValidation.LoadPackage(), new CoreDefinitions()) { ResultCacheSize = 0 });

    [Fact]
    public void Shortcuts_on_and_off_give_the_same_outcomes_and_every_shortcut_is_taken()
    {
        var validation = Validation.Value;
        var corpus = Corpus();
        Assert.True(corpus.Count >= 55, $"only {corpus.Count} inputs");

        validation.UseFastInvariants = false;
        var before = Sum(validation);
        var off = corpus.Select(c => Outcomes(validation, c)).ToList();
        Assert.Equal(before, Sum(validation)); // off means off: no shortcut was taken

        validation.UseFastInvariants = true;
        var on = corpus.Select(c => Outcomes(validation, c)).ToList();

        for (var i = 0; i < corpus.Count; i++)
        {
            Assert.True(off[i] == on[i], $"{corpus[i].Name}: the outcomes differ\noff {off[i]}\non  {on[i]}");
        }

        // Every shortcut was bound to one of Firely's invariants and used: the expressions still match Firely's.
        var taken = validation.FastInvariantStatistics;
        foreach (var key in FastInvariants.Covered.Select(c => c.Key).Distinct())
        {
            Assert.True(taken.GetValueOrDefault(key) > 0, $"the shortcut of {key} was never taken");
        }
    }

    [Fact]
    public void Each_variant_violates_the_invariant_it_was_made_for()
    {
        // Without this, the comparison above could pass on variants the shortcuts never had to refuse.
        var validation = Validation.Value;
        validation.UseFastInvariants = false;
        foreach (var (name, bundle, _) in Variants())
        {
            var key = name.Split(' ')[0];
            var text = FhirSerialization.ToText(validation.Validate(bundle), FhirFormat.Json, pretty: false);
            Assert.True(text.Contains($"constraint {key} ", StringComparison.Ordinal), $"{name}: no issue of {key} in {text}");
        }

        validation.UseFastInvariants = true;
    }

    [Fact]
    public void A_violation_of_dom_2_never_reaches_the_validator()
    {
        // dom-2 (no contained resource inside a contained resource) cannot be violated by a parsed request: the parser
        // refuses it first, so its shortcut is only ever taken on content where it holds.
        var json = JsonNode.Parse(File.ReadAllBytes(Path.Combine(ExampleCatalog.ValidFolder, "pain-uncomplicated-rib.json")))!["parameter"]!.AsArray()
            .Single(p => (string?)p!["name"] == "data")!["resource"]!.DeepClone().AsObject();
        Resource(json, "Condition")["contained"] = new JsonArray(Contained("c1", new JsonObject { ["contained"] = new JsonArray(Contained("c2", null)) }));

        var parsed = FhirSerialization.Parse(Encoding.UTF8.GetBytes(json.ToJsonString()), FhirFormat.Json);

        Assert.Equal(OutcomeKind.Malformed, parsed.Kind);
        Assert.Null(parsed.Value);
        Assert.Contains(parsed.Issues, i => i.Text.En.Contains("contain resources which themselves contain resources", StringComparison.Ordinal));
    }

    private static long Sum(FhirValidation validation) => validation.FastInvariantStatistics.Values.Sum();

    private static string Outcomes(FhirValidation validation, (string Name, Resource Input, Bundle Bundle, string Prefix) c)
    {
        var sb = new StringBuilder();
        sb.Append(FhirSerialization.ToText(validation.Validate(c.Input), FhirFormat.Json, pretty: false));
        if (!ReferenceEquals(c.Input, c.Bundle))
        {
            sb.Append(FhirSerialization.ToText(validation.Validate(c.Bundle), FhirFormat.Json, pretty: false));
        }

        foreach (var entry in c.Bundle.Entry.Where(e => e.Resource is not null))
        {
            sb.Append(FhirSerialization.ToText(validation.Validate(entry.Resource!), FhirFormat.Json, pretty: false));
        }

        var issues = validation.ValidateInput(c.Bundle, c.Prefix);
        sb.Append(FhirSerialization.ToText(OperationOutcomes.From(issues, Language.En), FhirFormat.Json, pretty: false));
        sb.Append(FhirSerialization.ToText(OperationOutcomes.From(issues, Language.Fr), FhirFormat.Json, pretty: false));
        return sb.ToString();
    }

    /// <summary>Every example that parses (the request as sent, and the Bundle it holds), then the variants.</summary>
    private static List<(string Name, Resource Input, Bundle Bundle, string Prefix)> Corpus()
    {
        var corpus = new List<(string, Resource, Bundle, string)>();
        foreach (var file in ExampleCatalog.Valid.Select(f => Path.Combine(ExampleCatalog.ValidFolder, f))
                     .Concat(ExampleCatalog.Invalid.Select(f => Path.Combine(ExampleCatalog.InvalidFolder, f))))
        {
            switch (FhirSerialization.Parse(File.ReadAllBytes(file), FhirFormat.Json).Value)
            {
                case Bundle b:
                    corpus.Add((Path.GetFileName(file), b, b, "Bundle"));
                    break;
                case Parameters p:
                    for (var i = 0; i < p.Parameter.Count; i++)
                    {
                        if (p.Parameter[i].Name == "data" && p.Parameter[i].Resource is Bundle data)
                        {
                            corpus.Add((Path.GetFileName(file), p, data, $"Parameters.parameter[{i}].resource"));
                        }
                    }

                    break;
            }
        }

        corpus.AddRange(Variants().Select(v => (v.Name, (Resource)v.Bundle, v.Bundle, v.Prefix)));
        return corpus;
    }

    /// <summary>
    /// The Bundle of examples/valid/pain-uncomplicated-rib.json (a Patient, 3 Conditions, 4 Observations) changed to
    /// violate one invariant each; the name starts with the invariant's key. Variants the shortcuts must let through to
    /// Firely although the invariant holds end in "holds".
    /// </summary>
    private static IEnumerable<(string Name, Bundle Bundle, string Prefix)> Variants()
    {
        var made = new (string Name, Action<JsonObject> Change)[]
        {
            ("obs-6 value and dataAbsentReason", b => Resource(b, "Observation")["dataAbsentReason"] = Concept("http://terminology.hl7.org/CodeSystem/data-absent-reason", "unknown")),
            ("obs-7 component with the Observation's code", b =>
            {
                var o = Resource(b, "Observation");
                o["component"] = new JsonArray(new JsonObject { ["code"] = o["code"]!.DeepClone(), ["valueInteger"] = 1 });
            }),
            ("dom-3 contained never referenced", b => Resource(b, "Condition")["contained"] = new JsonArray(Contained("c1", null))),
            ("dom-4 contained with a versionId", b => Resource(b, "Condition")["contained"] = new JsonArray(Contained("c1", new JsonObject { ["meta"] = new JsonObject { ["versionId"] = "2" } }))),
            ("dom-5 contained with a security label", b => Resource(b, "Condition")["contained"] = new JsonArray(Contained("c1", new JsonObject
            {
                ["meta"] = new JsonObject { ["security"] = new JsonArray(new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", ["code"] = "R" }) },
            }))),
            ("ref-1 local reference to nothing", b => Resource(b, "Observation")["subject"] = new JsonObject { ["reference"] = "#nothing" }),
            ("con-3 no clinicalStatus on a problem-list item", b => Resource(b, "Condition").Remove("clinicalStatus")),
            ("con-4 abatement while active", b => Resource(b, "Condition")["abatementDateTime"] = "2026-03-01"),
            ("con-5 clinicalStatus on an entered-in-error Condition", b =>
                Resource(b, "Condition")["verificationStatus"] = Concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "entered-in-error")),
            ("bdl-1 total in a collection", b => b["total"] = 8),
            ("bdl-2 search in a collection", b => Entry(b)["search"] = new JsonObject { ["mode"] = "match" }),
            ("bdl-3 request in a collection", b => Entry(b)["request"] = new JsonObject { ["method"] = "POST", ["url"] = "Patient" }),
            ("bdl-4 response in a collection", b => Entry(b)["response"] = new JsonObject { ["status"] = "201" }),
            ("bdl-3b history without request or response", b => b["type"] = "history"),
            ("bdl-3c transaction without requests", b => b["type"] = "transaction"),
            ("bdl-3d batch-response without responses", b => b["type"] = "batch-response"),
            ("bdl-7 two entries with one fullUrl", b => b["entry"]![1]!["fullUrl"] = b["entry"]![0]!["fullUrl"]!.DeepClone()),
            ("bdl-8 fullUrl with a version", b => Entry(b)["fullUrl"] = "http://example.org/fhir/Patient/1/_history/2"),
            ("bdl-9 document without identifier", b => b["type"] = "document"),
            ("bdl-12 message without MessageHeader", b => b["type"] = "message"),
            ("bdl-15 entry without fullUrl", b => b["entry"]![7]!.AsObject().Remove("fullUrl")),
            ("bdl-5 entry without resource", b => b["entry"]!.AsArray().Add(new JsonObject { ["fullUrl"] = "urn:uuid:00000001-0000-4000-8000-000000000099" })),
        };

        var file = Path.Combine(ExampleCatalog.ValidFolder, "pain-uncomplicated-rib.json");
        var original = JsonNode.Parse(File.ReadAllBytes(file))!["parameter"]!.AsArray().Single(p => (string?)p!["name"] == "data")!["resource"]!;
        foreach (var (name, change) in made)
        {
            var json = original.DeepClone().AsObject();
            change(json);
            var parsed = FhirSerialization.Parse(Encoding.UTF8.GetBytes(json.ToJsonString()), FhirFormat.Json);
            var bundle = parsed.Value as Bundle ?? throw new InvalidOperationException($"{name}: {string.Join("; ", parsed.Issues.Select(i => i.Text.En))}");
            yield return (name, bundle, "Bundle");
        }
    }

    private static JsonObject Resource(JsonObject bundle, string type) =>
        bundle["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject()).First(r => (string?)r["resourceType"] == type);

    private static JsonObject Entry(JsonObject bundle) => bundle["entry"]![0]!.AsObject();

    private static JsonObject Concept(string system, string code) =>
        new() { ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code }) };

    private static JsonObject Contained(string id, JsonObject? more)
    {
        var r = new JsonObject { ["resourceType"] = "Basic", ["id"] = id, ["code"] = new JsonObject { ["text"] = "note" } };
        foreach (var (k, v) in more ?? [])
        {
            r[k] = v?.DeepClone();
        }

        return r;
    }
}
