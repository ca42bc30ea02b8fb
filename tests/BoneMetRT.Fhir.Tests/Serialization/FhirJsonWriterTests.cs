using System.Buffers;
using System.Collections;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BoneMetRT.Domain;
using BoneMetRT.Fhir.Pipeline;
using BoneMetRT.Fhir.Tests.Examples;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace BoneMetRT.Fhir.Tests.Serialization;

/// <summary>
/// <see cref="FhirJsonWriter"/> must write exactly the bytes Firely's <c>FhirJsonSerializer</c> writes, compact and
/// indented, since every answer, golden file and id seed is made of them. Checked on every type of Firely's model with
/// every element set and on random subsets of them (which leave empty objects, empty primitives and null placeholders
/// to prune), on every example, every answer in both languages and every package resource; and the resources it
/// refuses (overflow, base64Binary) still come out as Firely writes them.
/// </summary>
public sealed class FhirJsonWriterTests
{
    private static readonly AssessPipeline Pipeline = new(FhirValidation.Default, EngineSettings.Default, new FixedClock(ExampleCatalog.DefaultDate));

    [Fact]
    public void Every_model_type_with_every_element_set_is_written_as_Firely_writes_it()
    {
        var types = ModelTypes();
        Assert.True(types.Count > 500, $"only {types.Count} model types found");
        var failures = new List<string>();
        var compared = 0;
        foreach (var type in types)
        {
            // Variants choose different types for choice elements (valueString, valueQuantity, …) and primitive values.
            for (var variant = 0; variant < 3; variant++)
            {
                compared += Compare(new Populator(new Random(variant), keep: 1.0, variant).Make(type, 0), $"{type.Name} variant {variant}", failures) ? 1 : 0;
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} differences, the first ones:\n{string.Join("\n\n", failures.Take(5))}");
        Assert.True(compared >= types.Count * 3 * 0.95, $"Firely could write only {compared} of the {types.Count * 3} instances made");
    }

    [Fact]
    public void The_elements_of_every_primitive_type_are_its_id_and_extensions()
    {
        // FhirJsonWriter asks a primitive for these two by name to know whether it needs a "_name" object.
        var primitives = new[] { typeof(Base).Assembly, typeof(Patient).Assembly, typeof(StructureDefinition).Assembly }.Distinct()
            .SelectMany(a => a.GetTypes())
            .Where(t => typeof(PrimitiveType).IsAssignableFrom(t) && !t.IsAbstract && !typeof(IDynamicType).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => t.ContainsGenericParameters ? t.MakeGenericType(typeof(Bundle.BundleType)) : t)
            .ToList();
        Assert.True(primitives.Count > 15, $"only {primitives.Count} primitive types");
        Assert.All(primitives, t => Assert.Equal(["id", "extension"], PocoElements.Of((Base)Activator.CreateInstance(t)!)!.Select(m => m.Key)));
    }

    [Fact]
    public void Random_subsets_with_empty_objects_and_null_placeholders_are_written_as_Firely_writes_them()
    {
        var types = ModelTypes();
        var failures = new List<string>();
        var pruned = 0;
        var compared = 0;
        for (var seed = 0; seed < 6; seed++)
        {
            foreach (var type in types)
            {
                var populator = new Populator(new Random(seed * 7919 + type.Name.Length), keep: 0.5, seed);
                var instance = populator.Make(type, 0);
                compared += Compare(instance, $"{type.Name} seed {seed}", failures) ? 1 : 0;
                pruned += populator.EmptyMade;
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} differences, the first ones:\n{string.Join("\n\n", failures.Take(5))}");
        Assert.True(compared >= types.Count * 6 * 0.95, $"Firely could write only {compared} of the {types.Count * 6} instances made");
        Assert.True(pruned > 1000, $"only {pruned} empty objects or primitives were made: the pruning is hardly exercised");
    }

    [Fact]
    public void Every_example_answer_and_package_resource_is_written_as_Firely_writes_it()
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var (label, resource) in Corpus())
        {
            Assert.True(Compare(resource, label, failures), $"Firely cannot write {label}");
            count++;
        }

        Assert.True(count > 150, $"only {count} resources in the corpus");
        Assert.True(failures.Count == 0, $"{failures.Count} differences, the first ones:\n{string.Join("\n\n", failures.Take(5))}");
    }

    [Fact]
    public void The_serialization_entry_points_give_Firelys_bytes()
    {
        foreach (var (label, resource) in Corpus().Take(60))
        {
            var compact = Firely(resource, pretty: false);
            Assert.Equal(compact, Encoding.UTF8.GetString(FhirSerialization.Serialize(resource, FhirFormat.Json)));
            Assert.Equal(Firely(resource, pretty: true), FhirSerialization.ToText(resource, FhirFormat.Json));
            using var stream = new MemoryStream();
            FhirSerialization.Write(resource, FhirFormat.Json, stream);
            Assert.Equal(compact, Encoding.UTF8.GetString(stream.ToArray()));
            var pipe = new ArrayBufferWriter<byte>();
            FhirSerialization.WriteJson(resource, pipe);
            Assert.Equal(compact, Encoding.UTF8.GetString(pipe.WrittenSpan));
            Assert.True(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(compact)).AsSpan().SequenceEqual(FhirSerialization.JsonSha256(resource)), label);
        }
    }

    [Fact]
    public void The_hashes_of_the_resources_inside_a_request_are_those_of_each_alone()
    {
        var checkedParts = 0;
        foreach (var (label, request) in Corpus().Where(x => !x.Label.Contains(" answer ", StringComparison.Ordinal)).Take(80))
        {
            var data = request as Bundle ?? (request as Parameters)?.Parameter.FirstOrDefault(p => p.Name == "data")?.Resource as Bundle;
            var parts = data?.Entry.Select(e => e.Resource).OfType<Resource>().Append(data).ToList() ?? [];
            var outside = new Patient { Id = "not-inside" };
            var (root, hashes) = FhirSerialization.JsonSha256Within(request, parts.Append(outside));

            Assert.Equal(FhirSerialization.JsonSha256(request), root);
            foreach (var part in parts.Append(outside))
            {
                Assert.True(FhirSerialization.JsonSha256(part).AsSpan().SequenceEqual(hashes[part]), $"{label}: {part.TypeName}/{part.Id}");
                checkedParts++;
            }
        }

        // A request only Firely's serializer writes (overflow in an entry): every part is hashed alone, with the same result.
        var example = (Parameters)FhirSerialization.Parse(File.ReadAllBytes(Path.Combine(ExampleCatalog.ValidFolder, "pain-uncomplicated-rib.json")), FhirFormat.Json).Value!;
        var overflow = (Bundle)example.Parameter.Single(p => p.Name == "data").Resource!;
        overflow.Entry[0].Resource!["notAnElement"] = new FhirString("x");
        var all = overflow.Entry.Select(e => e.Resource!).ToList();
        var (whole, each) = FhirSerialization.JsonSha256Within(overflow, all);
        Assert.Equal(FhirSerialization.JsonSha256(overflow), whole);
        Assert.All(all, r => Assert.Equal(FhirSerialization.JsonSha256(r), each[r]));
        Assert.True(checkedParts > 300, $"only {checkedParts} parts checked");
    }

    [Fact]
    public void What_the_writer_refuses_is_written_by_Firely()
    {
        var overflow = new Patient { Id = "p" };
        overflow["notAnElement"] = new FhirString("kept in the overflow");
        var deepOverflow = new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept("http://loinc.org", "1-8") };
        deepOverflow.Code.Coding[0]["unknown"] = new FhirBoolean(true);
        var base64 = new DocumentReference
        {
            Status = DocumentReferenceStatus.Current,
            Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { Data = [1, 2, 3, 250] } }],
        };

        foreach (var resource in new Resource[] { overflow, deepOverflow, base64 })
        {
            Assert.False(TryFast(resource, pretty: false, out _), resource.TypeName);
            Assert.Equal(Firely(resource, pretty: false), Encoding.UTF8.GetString(FhirSerialization.Serialize(resource, FhirFormat.Json)));
            Assert.Equal(Firely(resource, pretty: true), FhirSerialization.ToText(resource, FhirFormat.Json));
        }
    }

    [Fact]
    public void Empty_structures_and_primitive_arrays_follow_Firelys_rules()
    {
        // Hand-made cases of each pruning rule, beside the random ones: an empty Meta and an empty Coding disappear with
        // their property, a list of primitives keeps its nulls between values and drops them at the end, an element
        // with only an id becomes "_name", an empty primitive item is a null in "_given" only where a later one has content.
        var name = new HumanName { Family = "Doe" };
        name.GivenElement = [new FhirString(null), new FhirString("A"), new FhirString(null) { ElementId = "g3" }, new FhirString("B"), new FhirString(null)];
        name.GivenElement[1].Extension.Add(new Extension("http://example.org/x", new FhirBoolean(false)));
        var patient = new Patient
        {
            Id = "p",
            Meta = new Meta(),
            Name = [name, new HumanName()],
            MaritalStatus = new CodeableConcept { Coding = [new Coding(), new Coding("http://s", null)] },
            BirthDateElement = new Date { ElementId = "only-an-id" },
            Active = null,
        };
        patient.Meta.Tag.Add(new Coding());
        patient.Identifier.Add(new Identifier());
        patient.Telecom.Add(new ContactPoint { Value = "" });

        Assert.True(TryFast(patient, pretty: false, out var compact));
        Assert.Equal(Firely(patient, pretty: false), compact);
        Assert.True(TryFast(patient, pretty: true, out var indented));
        Assert.Equal(Firely(patient, pretty: true), indented);
        Assert.Contains("\"_birthDate\":{\"id\":\"only-an-id\"}", compact, StringComparison.Ordinal);
        Assert.DoesNotContain("\"meta\"", compact, StringComparison.Ordinal);
    }

    // Compares compact and indented output; false when Firely itself cannot write the instance (a made-up value it
    // refuses), so that the callers can check that almost everything was compared.
    private static bool Compare(Base instance, string label, List<string> failures)
    {
        foreach (var pretty in new[] { false, true })
        {
            string expected;
            try
            {
                expected = Firely(instance, pretty);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
            {
                return false;
            }

            if (!TryFast(instance, pretty, out var actual))
            {
                failures.Add($"{label} (pretty {pretty}): FhirJsonWriter refused it\n{expected}");
            }
            else if (actual != expected)
            {
                var at = Enumerable.Range(0, Math.Min(actual.Length, expected.Length)).FirstOrDefault(i => actual[i] != expected[i], Math.Min(actual.Length, expected.Length));
                failures.Add($"{label} (pretty {pretty}): differs at {at}\nFirely: …{Slice(expected, at)}…\nours:   …{Slice(actual, at)}…");
            }
        }

        return true;
    }

    private static string Slice(string s, int at) => s[Math.Max(0, at - 80)..Math.Min(s.Length, at + 80)];

    private static JsonWriterOptions Options(bool pretty) => new() { Indented = pretty, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Firely(Base instance, bool pretty)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options(pretty)))
        {
            new FhirJsonSerializer().Serialize(instance, writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static bool TryFast(Base instance, bool pretty, out string json)
    {
        var buffer = new ArrayBufferWriter<byte>();
        bool done;
        using (var writer = new Utf8JsonWriter(buffer, Options(pretty)))
        {
            done = FhirJsonWriter.TryWrite(instance, writer);
        }

        json = Encoding.UTF8.GetString(buffer.WrittenSpan);
        return done;
    }

    // Every example request that parses, its answer in English and in French (or its OperationOutcome), the
    // OperationOutcome of every example that does not parse, every resource of the package, and the embedded core
    // definitions (91 conformance resources: narratives, nested backbone elements, extensions on primitives).
    private static IEnumerable<(string Label, Resource Resource)> Corpus()
    {
        foreach (var (folder, files) in new[] { (ExampleCatalog.ValidFolder, ExampleCatalog.Valid), (ExampleCatalog.InvalidFolder, ExampleCatalog.Invalid) })
        {
            foreach (var file in files)
            {
                var parsed = FhirSerialization.Parse(File.ReadAllBytes(Path.Combine(folder, file)), FhirFormat.Json);
                if (!parsed.IsSuccess)
                {
                    yield return (file + " parse errors", OperationOutcomes.From(parsed.Issues, Language.Fr));
                    continue;
                }

                yield return (file, parsed.Value);
                foreach (var language in new[] { Language.En, Language.Fr })
                {
                    yield return ($"{file} answer {language}", Pipeline.Assess(parsed.Value, new AssessOptions(Language: language)).Value!);
                }
            }
        }

        foreach (var file in Directory.GetFiles(Path.Combine(ExampleCatalog.Root, "fhir-profiles"), "*.json").Order(StringComparer.Ordinal))
        {
            // package.json is the NPM manifest, not a resource.
            if (FhirSerialization.Parse(File.ReadAllBytes(file), FhirFormat.Json).Value is { } resource)
            {
                yield return (Path.GetFileName(file), resource);
            }
        }

        var core = FhirSerialization.Parse(File.ReadAllBytes(Path.Combine(ExampleCatalog.Root, "src", "BoneMetRT.Fhir", "core-subset", "core-definitions.json")), FhirFormat.Json);
        foreach (var entry in ((Bundle)core.Value!).Entry)
        {
            yield return ("core " + entry.Resource!.TypeName + "/" + entry.Resource.Id, entry.Resource);
        }
    }

    private static List<Type> ModelTypes() =>
        [.. new[] { typeof(Base).Assembly, typeof(Patient).Assembly, typeof(StructureDefinition).Assembly, typeof(RelatedArtifact).Assembly }
            .Distinct()
            .SelectMany(a => a.GetTypes())
            .Where(t => typeof(Base).IsAssignableFrom(t) && !t.IsAbstract && !t.ContainsGenericParameters && !typeof(PrimitiveType).IsAssignableFrom(t)
                && !typeof(IDynamicType).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null
                && ModelInfo.ModelInspector.FindOrImportClassMapping(t) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)];

    /// <summary>
    /// Makes an instance of a model type with its elements set (each kept with probability <c>keep</c>), three levels
    /// deep: lists of one or two items, choice elements of one of their allowed types, primitives with values that need
    /// escaping, ids and extensions on some primitives, and, when elements are dropped, empty objects and primitives.
    /// base64Binary is left out (the writer hands it to Firely, see the test above).
    /// </summary>
    private sealed class Populator(Random random, double keep, int variant)
    {
        private const int MaxDepth = 3;

        public int EmptyMade { get; private set; }

        public Base Make(Type type, int depth)
        {
            var instance = (Base)Activator.CreateInstance(type)!;
            var mapping = ModelInfo.ModelInspector.FindOrImportClassMapping(type)!;
            if (instance is PrimitiveType primitive)
            {
                primitive.JsonValue = random.NextDouble() < keep ? Value(type) : null;
            }

            var empty = true;
            foreach (var property in mapping.PropertyMappings.OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                if (property.RepresentsValueElement || property.NativeProperty is not { CanWrite: true } native || random.NextDouble() >= keep)
                {
                    continue;
                }

                // Primitives get an id or extensions only now and then, so most are written as plain values.
                if (instance is PrimitiveType && (depth >= MaxDepth || random.Next(4) != 0))
                {
                    continue;
                }

                var itemType = property.IsCollection ? native.PropertyType.GetGenericArguments()[0] : native.PropertyType;
                if (Concrete(property.FhirType, itemType) is not { } concrete || (depth >= MaxDepth && !typeof(PrimitiveType).IsAssignableFrom(concrete)))
                {
                    continue;
                }

                if (property.IsCollection)
                {
                    var list = (IList)Activator.CreateInstance(native.PropertyType)!;
                    for (var i = 0; i < 1 + random.Next(2); i++)
                    {
                        list.Add(Make(Concrete(property.FhirType, itemType, i)!, depth + 1));
                    }

                    native.SetValue(instance, list);
                }
                else
                {
                    native.SetValue(instance, Make(concrete, depth + 1));
                }

                empty = false;
            }

            if (empty && (instance is not PrimitiveType p || p.JsonValue is null))
            {
                EmptyMade++;
            }

            return instance;
        }

        // A concrete type for an element: one of the choice's allowed types (turning with the variant), else the
        // element's own type, a Basic for an abstract Resource; never base64Binary.
        private Type? Concrete(Type[] allowed, Type declared, int offset = 0)
        {
            var candidates = allowed.Where(t => !t.IsAbstract && !t.ContainsGenericParameters && t != typeof(Base64Binary) && typeof(Base).IsAssignableFrom(t)
                && declared.IsAssignableFrom(t) && !typeof(IDynamicType).IsAssignableFrom(t)).ToList();
            if (candidates.Count == 0)
            {
                return declared == typeof(Resource) || declared == typeof(DomainResource) ? typeof(Basic)
                    : !declared.IsAbstract && declared != typeof(Base64Binary) ? declared : null;
            }

            return candidates[(variant + offset + random.Next(candidates.Count)) % candidates.Count];
        }

        private object Value(Type type) => type switch
        {
            _ when type == typeof(FhirBoolean) => random.Next(2) == 0,
            _ when type == typeof(Integer) || type == typeof(PositiveInt) || type == typeof(UnsignedInt) => random.Next(-5, 100000),
            _ when type == typeof(FhirDecimal) => new[] { 1.50m, 0m, -3.25m, 1e-7m, 123456789.000m }[random.Next(5)],
            _ => new[] { "x", "quote \" backslash \\ tab \t", "é à ç 疼痛 😀", "<div xmlns=\"http://www.w3.org/1999/xhtml\">a &amp; b</div>", "line\nbreak\u2028", "" }[random.Next(6)],
        };
    }
}
