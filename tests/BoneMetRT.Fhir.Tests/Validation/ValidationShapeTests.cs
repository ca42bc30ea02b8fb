using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BoneMetRT.Domain;
using BoneMetRT.Fhir.Tests.Examples;
using BoneMetRT.Fhir.Validation;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;

#pragma warning disable ExperimentalApi // Firely's schema model is marked experimental.

namespace BoneMetRT.Fhir.Tests.Validation;

/// <summary>
/// The shape cache of <see cref="FhirValidation.ValidateInput"/> (<see cref="ValidationShape"/>) must not change a
/// single OperationOutcome. Two kinds of proof: the compiled schemas read the left-out leaves only for their presence
/// and their type's checks; and every example, remade with new identifiers and values and then broken in the ways a
/// shape could hide (references moved to another entry, made dangling, fullUrls duplicated, ids added or removed,
/// identifiers reused), is validated with the shape cache warmed by the original and with no cache at all, and the
/// OperationOutcomes compared as JSON.
/// </summary>
public sealed class ValidationShapeTests
{
    // Instances of their own, so that other tests running at the same time neither warm nor reset their caches.
    private static readonly Lazy<FhirValidation> Cached = new(() => new FhirValidation(FhirValidation.LoadPackage(), new CoreDefinitions()));
    private static readonly Lazy<FhirValidation> Uncached = new(() => new FhirValidation(FhirValidation.LoadPackage(), new CoreDefinitions()) { ResultCacheSize = 0 });

    [Fact]
    public void A_remade_example_has_the_shape_of_the_original_and_a_broken_one_does_not()
    {
        var rules = Cached.Value.ShapeRules;
        var checkedCount = 0;
        foreach (var (name, bundle, _) in Examples())
        {
            var shape = ValidationShape.Of(Remade(bundle, 7), rules);
            Assert.True(shape is not null, $"{name}: no shape");
            Assert.Equal(shape, ValidationShape.Of(Remade(bundle, 8), rules));
            foreach (var (how, broken) in Broken(Remade(bundle, 9)))
            {
                Assert.True(!shape.SequenceEqual(ValidationShape.Of(broken, rules) ?? []), $"{name}, {how}: same shape");
            }

            foreach (var (how, changed, _) in TextsBroken(Remade(bundle, 9)).Where(c => c.ShapeDiffers))
            {
                Assert.True(!shape.SequenceEqual(ValidationShape.Of(changed, rules) ?? []), $"{name}, {how}: same shape");
            }

            checkedCount++;
        }

        Assert.True(checkedCount >= 30, $"only {checkedCount} examples");
    }

    [Fact]
    public void Shapes_keep_codes_texts_order_and_the_type_of_choice_elements()
    {
        var rules = Cached.Value.ShapeRules;
        var bundle = Examples().First(e => e.Name == "pain-uncomplicated-rib.json").Bundle;
        var shape = ValidationShape.Of(bundle, rules)!;

        Bundle Changed(Action<Bundle> change)
        {
            var copy = (Bundle)bundle.DeepCopy();
            change(copy);
            return copy;
        }

        var condition = bundle.Entry.FindIndex(e => e.Resource is Condition);
        var observation = bundle.Entry.FindIndex(e => e.Resource is Observation { Note.Count: > 0 });
        Bundle[] different =
        [
            Changed(b => ((Condition)b.Entry[condition].Resource!).ClinicalStatus!.Coding[0].Code = "inactive"), // a code under a required binding
            Changed(b => ((Observation)b.Entry[observation].Resource!).Code!.Coding[0].Code = "another-code"), // obs-7 compares whole codings
            Changed(b => ((Condition)b.Entry[condition].Resource!).Code!.Coding[0].Code = "two  spaces"), // not a code
            Changed(b => ((Condition)b.Entry[condition].Resource!).Code!.Coding[0].System = "http://example.org/a b"), // not a uri
            Changed(b => ((Condition)b.Entry[condition].Resource!).ClinicalStatus!.Coding[0].Display = "another display"), // under a required binding
            Changed(b => ((Observation)b.Entry[observation].Resource!).Code!.Coding[0].Display = "another display"), // obs-7 compares whole codings
            Changed(b => ((Condition)b.Entry[condition].Resource!).Code!.Extension.Add(new Extension("http://example.org/x", new CodeableConcept { Text = "a" }))),
            Changed(b => b.Entry.Reverse()),
            Changed(b => ((Condition)b.Entry[condition].Resource!).Onset = new FhirString("2021")),
            Changed(b => ((Observation)b.Entry[observation].Resource!).Status = ObservationStatus.Preliminary),
            Changed(b => ((Patient)b.Entry[0].Resource!).BirthDateElement!.Extension.Add(new Extension("http://example.org/x", new FhirBoolean(true)))),
            Changed(b => ((Patient)b.Entry[0].Resource!).Meta = new Meta { Profile = ["http://example.org/StructureDefinition/p"] }),
        ];
        foreach (var other in different)
        {
            Assert.False(shape.SequenceEqual(ValidationShape.Of(other, rules) ?? []));
        }

        // Left out: the birth date (a valid date of another precision), the MRN, the texts beside the codes, a note, a
        // display where no binding checks it.
        Assert.Equal(shape, ValidationShape.Of(Changed(b => ((Patient)b.Entry[0].Resource!).BirthDateElement = new Date("1950")), rules));
        Assert.Equal(shape, ValidationShape.Of(Changed(b => ((Patient)b.Entry[0].Resource!).Identifier[0].Value = "another-mrn"), rules));
        Assert.Equal(shape, ValidationShape.Of(Changed(b => ((Condition)b.Entry[condition].Resource!).Code!.Text = "another text"), rules));
        Assert.Equal(shape, ValidationShape.Of(Changed(b => ((Condition)b.Entry[condition].Resource!).Code!.Coding[0].Display = "another display"), rules));
        Assert.Equal(shape, ValidationShape.Of(Changed(b => ((Observation)b.Entry[observation].Resource!).Note[0].Text = "another note"), rules));

        // Left out too: the code and system of the primary cancer, where the base resource binds it with example strength.
        Assert.Equal(shape, ValidationShape.Of(Changed(b => ((Condition)b.Entry[condition].Resource!).Code!.Coding[0].Code = "94222008x"), rules));
        Assert.Equal(shape, ValidationShape.Of(Changed(b => ((Condition)b.Entry[condition].Resource!).Code!.Coding[0].System = "https://example.org/local-codes"), rules));

        // A left-out system that is a URN or ends with a token of the shape, and there is no shape (as for canonicals).
        Assert.Null(ValidationShape.Of(Changed(b => ((Condition)b.Entry[condition].Resource!).Code!.Coding[0].System = b.Entry[0].FullUrl), rules));
        Assert.Null(ValidationShape.Of(Changed(b => ((Condition)b.Entry[condition].Resource!).Code!.Coding[0].System = "urn:oid:1.2.3"), rules));

        // A text in an extension, or in a resource type the shape tests do not scan, is kept.
        var inExtension = Changed(b => ((Condition)b.Entry[condition].Resource!).Code!.Extension.Add(new Extension("http://example.org/x", new CodeableConcept { Text = "a" })));
        Assert.False(ValidationShape.Of(inExtension, rules)!.SequenceEqual(ValidationShape.Of(Changed(b =>
            ((Condition)b.Entry[condition].Resource!).Code!.Extension.Add(new Extension("http://example.org/x", new CodeableConcept { Text = "b" }))), rules)!));
        Bundle Medication(string text) => Json(Entry("urn:uuid:" + Uuid1, $$$"""{"resourceType":"MedicationStatement","status":"active","medicationCodeableConcept":{"text":"{{{text}}}"},"subject":{"reference":"Patient/p1"}}"""));
        Assert.False(ValidationShape.Of(Medication("a"), rules)!.SequenceEqual(ValidationShape.Of(Medication("b"), rules)!));

        // A reference in none of the forms, or a contained resource, and there is no shape.
        Assert.Null(ValidationShape.Of(Changed(b => ((Condition)b.Entry[condition].Resource!).Subject!.Reference = "#p"), rules));
        Assert.Null(ValidationShape.Of(Changed(b => ((Condition)b.Entry[condition].Resource!).Contained.Add(new Patient())), rules));
        Assert.Null(ValidationShape.Of(Changed(b => b.Entry[0].FullUrl = "urn:uuid:NOT-A-UUID"), rules));

        // A canonical that could name an entry (Firely resolves canonicals in the Bundle too), and there is no shape.
        Assert.Null(ValidationShape.Of(Changed(b => ((Patient)b.Entry[0].Resource!).Meta = new Meta { Profile = [b.Entry[1].FullUrl] }), rules));
        var withIds = Remade(bundle, 3);
        Assert.NotNull(ValidationShape.Of(withIds, rules));
        ((Patient)withIds.Entry[0].Resource!).Meta = new Meta { Profile = ["http://example.org/fhir/Condition/" + withIds.Entry[1].Resource!.Id] };
        Assert.Null(ValidationShape.Of(withIds, rules));
    }

    [Fact]
    public void With_the_shape_cache_every_remade_and_broken_example_gets_the_outcome_of_an_uncached_run()
    {
        var cached = Cached.Value;
        var uncached = Uncached.Value;
        var before = cached.ShapeCacheHits;
        var compared = 0;
        var withErrors = 0;
        foreach (var (name, bundle, prefix) in Examples())
        {
            cached.ValidateInput(Remade(bundle, 10), prefix); // warms the shape when it has no error
            var inputs = new List<(string How, Bundle Bundle)> { ("remade", Remade(bundle, 11)), ("remade again", Remade(bundle, 12)) };
            inputs.AddRange(Broken(Remade(bundle, 13)));
            inputs.AddRange(TextsBroken(Remade(bundle, 13)).Select(c => (c.How, c.Bundle)));
            cached.ValidateInput(Restful(Remade(bundle, 14)), prefix);
            inputs.Add(("RESTful", Restful(Remade(bundle, 15))));
            inputs.AddRange(Broken(Restful(Remade(bundle, 16))).Select(b => ("RESTful, " + b.How, b.Bundle)));
            inputs.AddRange(TextsBroken(Restful(Remade(bundle, 16))).Select(c => ("RESTful, " + c.How, c.Bundle)));
            cached.ValidateInput(Declared(Remade(bundle, 17), UnknownProfiles), prefix);
            inputs.Add(("declaring unknown profiles", Declared(Remade(bundle, 18), UnknownProfiles)));
            inputs.AddRange(Broken(Declared(Remade(bundle, 19), UnknownProfiles)).Select(b => ("declaring unknown profiles, " + b.How, b.Bundle)));
            inputs.Add(("declaring other unknown profiles", Declared(Remade(bundle, 18), [UnknownProfiles[0]])));
            cached.ValidateInput(WithElementIds(Remade(bundle, 20), "c"), prefix);
            inputs.Add(("with element ids", WithElementIds(Remade(bundle, 21), "c")));
            inputs.Add(("with other element ids", WithElementIds(Remade(bundle, 21), "d")));
            inputs.AddRange(Broken(WithElementIds(Remade(bundle, 22), "c")).Select(b => ("with element ids, " + b.How, b.Bundle)));
            foreach (var (how, input) in inputs)
            {
                var expected = OutcomeText.Of(uncached.ValidateInput(input, prefix));
                var actual = OutcomeText.Of(cached.ValidateInput(input, prefix));
                Assert.True(expected == actual, $"{name}, {how}:\nexpected {expected}\nactual   {actual}");
                compared++;
                withErrors += expected.Contains("\"error\"", StringComparison.Ordinal) ? 1 : 0;
            }
        }

        Assert.True(compared >= 2100, $"only {compared} inputs");
        Assert.True(withErrors >= 20, $"only {withErrors} inputs with errors: the breaks do not reach Firely");
        Assert.True(cached.ShapeCacheHits - before >= 40, $"the shape cache answered only {cached.ShapeCacheHits - before} runs");
    }

    // Profiles an EHR may declare that neither FHIR R4 core nor the package holds (US Core, a national profile), one
    // with a version.
    private static readonly string[] UnknownProfiles =
    [
        "http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient",
        "http://example.org/fhir/StructureDefinition/local-profile|2.1.0",
    ];

    /// <summary>
    /// Records from EHRs declare profiles of their own in meta.profile. Firely reports one it cannot find as an error,
    /// which made such a record a 422; now a profile the service does not know is left out of validation and warned
    /// about. Every example (valid and invalid), with every resource declaring unknown profiles, must get exactly the
    /// errors it gets without them, and one warning per declaration at its place, in English and French.
    /// </summary>
    [Fact]
    public void Declared_profiles_the_service_does_not_know_change_no_error_and_each_is_warned_about()
    {
        var validation = Uncached.Value;
        var compared = 0;
        var withErrors = 0;
        // Every example, and each broken in the first ways Broken has (references moved or dangling), for errors.
        foreach (var (name, bundle, prefix) in AllExamples().Where(e => !Declares(e.Bundle)).SelectMany(e => Broken(e.Bundle).Take(4).Select(b => (e.Name + ", " + b.How, b.Bundle, e.Prefix)).Prepend(e)))
        {
            var declared = Declared(bundle, UnknownProfiles);
            var errors = OutcomeText.Of(validation.ValidateInput(bundle, prefix));
            Assert.True(errors == OutcomeText.Of(validation.ValidateInput(declared, prefix)), name);
            withErrors += errors.Contains("\"error\"", StringComparison.Ordinal) ? 1 : 0;
            Assert.Empty(validation.UncheckedProfiles(bundle, prefix));
            var warnings = validation.UncheckedProfiles(declared, prefix);
            var expected = new[] { prefix }.Concat(bundle.Entry.Select((e, i) => (e, i)).Where(x => x.e.Resource is not null).Select(x => $"{prefix}.entry[{x.i}].resource"))
                .SelectMany(at => UnknownProfiles.Select((_, j) => $"{at}.meta.profile[{j}]"))
                .ToList();
            Assert.Equal(expected, warnings.Select(w => w.Expressions.Single()).ToList());
            Assert.All(warnings, w =>
            {
                Assert.Equal(OperationOutcome.IssueSeverity.Warning, w.Severity);
                Assert.Equal("profile-not-checked", w.Code);
                Assert.Contains(w.Text.En.Contains(UnknownProfiles[0], StringComparison.Ordinal) ? UnknownProfiles[0] : UnknownProfiles[1], w.Text.Fr, StringComparison.Ordinal);
            });
            compared++;
        }

        Assert.True(compared >= 150, $"only {compared} inputs");
        Assert.True(withErrors >= 40, $"only {withErrors} inputs with errors");
    }

    /// <summary>
    /// A declared profile the service knows is validated against as before, and is not warned about: a core profile
    /// the record does not meet (vital signs, on an Observation that is not one) is an error; a BoneMetRT input profile
    /// the Observation meets is none; and a record declaring one has no shape, while unknown profiles are kept in it.
    /// </summary>
    [Fact]
    public void Known_declared_profiles_are_validated_as_before_and_unknown_ones_are_kept_in_the_shape()
    {
        var validation = Uncached.Value;
        var rules = Cached.Value.ShapeRules;
        var bundle = Examples().First(e => e.Name == "pain-uncomplicated-rib.json").Bundle;
        var observation = bundle.Entry.FindIndex(e => e.Resource is Observation o && FhirValidation.InputProfile(o) is not null);
        Assert.True(observation >= 0);

        Bundle Declaring(string profile)
        {
            var copy = (Bundle)bundle.DeepCopy();
            copy.Entry[observation].Resource!.Meta = new Meta { Profile = [profile] };
            return copy;
        }

        var vitalSigns = Declaring("http://hl7.org/fhir/StructureDefinition/vitalsigns");
        Assert.Contains(validation.ValidateInput(vitalSigns, "Bundle"), i => i.Text.En.Contains("VSCat", StringComparison.Ordinal));
        Assert.Empty(validation.UncheckedProfiles(vitalSigns, "Bundle"));
        Assert.Null(ValidationShape.Of(vitalSigns, rules));

        var own = Declaring(FhirValidation.InputProfile((Observation)bundle.Entry[observation].Resource!)!);
        Assert.Empty(validation.ValidateInput(own, "Bundle"));
        Assert.Empty(validation.UncheckedProfiles(own, "Bundle"));
        Assert.Null(ValidationShape.Of(own, rules));

        // Unknown: a shape, the same for two records of it, another one for another profile or none declared.
        var unknown = ValidationShape.Of(Declared(Remade(bundle, 3), UnknownProfiles), rules);
        Assert.NotNull(unknown);
        Assert.Equal(unknown, ValidationShape.Of(Declared(Remade(bundle, 4), UnknownProfiles), rules));
        Assert.False(unknown.SequenceEqual(ValidationShape.Of(Declared(Remade(bundle, 4), [UnknownProfiles[0]]), rules)!));
        Assert.False(unknown.SequenceEqual(ValidationShape.Of(Remade(bundle, 4), rules)!));

        // Known and unknown together: no shape (the known one is validated against).
        Assert.Null(ValidationShape.Of(Declared(Remade(bundle, 3), [UnknownProfiles[0], "http://hl7.org/fhir/StructureDefinition/vitalsigns"]), rules));

        // Rules built without the validator's answer count every declared profile as known.
        Assert.Null(ValidationShape.Of(Declared(Remade(bundle, 3), UnknownProfiles), new ValidationShapeRules(rules.PatternOf)));
    }

    /// <summary>
    /// Review findings: Firely's schema resolver also answers the FHIRPath system types, which are then no unknown
    /// profile (an Observation declaring System.Code is refused as before); and resources held in a Parameters' part
    /// or in a Bundle entry's response outcome are validated too, so their unknown profiles are warned about.
    /// </summary>
    [Fact]
    public void System_types_are_known_profiles_and_resources_at_every_place_are_warned_about()
    {
        var validation = Uncached.Value;
        foreach (var system in new[] { "http://hl7.org/fhirpath/System.Code", "http://hl7.org/fhirpath/System.String", "http://hl7.org/fhirpath/System.Quantity" })
        {
            Assert.True(validation.IsKnownProfile(system), system);
        }

        var observation = new Observation { Meta = new Meta { Profile = ["http://hl7.org/fhirpath/System.Code"] }, Status = ObservationStatus.Final, Code = new CodeableConcept { Text = "x" } };
        Assert.Contains(validation.Validate(observation).Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error);

        Resource Unknown(Resource r)
        {
            r.Meta = new Meta { Profile = [UnknownProfiles[0]] };
            return r;
        }

        var parameters = new Parameters();
        parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "outer", Part = [new Parameters.ParameterComponent { Name = "inner", Resource = Unknown(new Patient()) }] });
        Assert.Equal(["Parameters.parameter[0].part[0].resource.meta.profile[0]"], validation.UncheckedProfiles(parameters, "Parameters").Select(i => i.Expressions.Single()));

        var bundle = new Bundle { Type = Bundle.BundleType.BatchResponse };
        bundle.Entry.Add(new Bundle.EntryComponent { Response = new Bundle.ResponseComponent { Status = "400", Outcome = Unknown(new OperationOutcome()) } });
        Assert.Equal(["Bundle.entry[0].response.outcome.meta.profile[0]"], validation.UncheckedProfiles(bundle, "Bundle").Select(i => i.Expressions.Single()));
    }

    /// <summary>The $validate operation tells the unknown profiles too, for an $assess body and for any other resource.</summary>
    [Fact]
    public void Validate_operation_warns_about_unknown_declared_profiles()
    {
        var operation = new BoneMetRT.Fhir.Pipeline.ValidateOperation(Uncached.Value);
        var bundle = Declared(Examples().First(e => e.Name == "pain-uncomplicated-rib.json").Bundle, [UnknownProfiles[0]]);
        var outcome = operation.Validate(bundle, null, Language.Fr);
        Assert.DoesNotContain(outcome.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error);
        Assert.Equal(bundle.Entry.Count + 1, outcome.Issue.Count(i => i.Severity == OperationOutcome.IssueSeverity.Warning && i.Details?.Text?.StartsWith("Déclare le profil", StringComparison.Ordinal) == true));

        var patient = new Patient { Meta = new Meta { Profile = [UnknownProfiles[1]] } };
        var alone = operation.Validate(patient, null, Language.En);
        Assert.DoesNotContain(alone.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error);
        Assert.Contains(alone.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Warning && i.Expression.SequenceEqual(["Patient.meta.profile[0]"]));

        // A profile asked for explicitly is not a declaration: one the service does not know is an error, as before.
        Assert.Contains(operation.Validate(new Patient(), UnknownProfiles[0], Language.En).Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error);
    }

    // The Bundle with an element id on every Coding (prefix, then its order), as some EHRs send them (a copy).
    private static Bundle WithElementIds(Bundle bundle, string prefix)
    {
        var json = JsonNode.Parse(FhirSerialization.ToText(bundle, FhirFormat.Json, pretty: false))!;
        var k = 0;
        void Visit(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    if (o["coding"] is JsonArray codings)
                    {
                        foreach (var coding in codings.OfType<JsonObject>())
                        {
                            coding["id"] = $"{prefix}{k++}";
                        }
                    }

                    foreach (var (_, child) in o.ToList())
                    {
                        Visit(child);
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a.ToList())
                    {
                        Visit(child);
                    }

                    break;
            }
        }

        Visit(json);
        return Parse(json);
    }

    /// <summary>
    /// Element ids are kept in the shape as they are; one that names a token of the record (Firely's urn:uuid:
    /// resolution stops at an ancestor whose id is the UUID) or could name part of an identifier (':' or '/') gives no
    /// shape.
    /// </summary>
    [Fact]
    public void Element_ids_are_kept_and_one_that_could_name_an_identifier_gives_no_shape()
    {
        var rules = Cached.Value.ShapeRules;
        var bundle = Examples().First(e => e.Name == "pain-uncomplicated-rib.json").Bundle;
        var shape = ValidationShape.Of(WithElementIds(Remade(bundle, 3), "c"), rules);
        Assert.NotNull(shape);
        Assert.Equal(shape, ValidationShape.Of(WithElementIds(Remade(bundle, 4), "c"), rules));
        Assert.False(shape.SequenceEqual(ValidationShape.Of(WithElementIds(Remade(bundle, 4), "d"), rules)!));
        Assert.False(shape.SequenceEqual(ValidationShape.Of(Remade(bundle, 4), rules)!));

        // Such a record is answered by the shape once another of its shape was validated.
        var cached = Cached.Value;
        cached.ValidateInput(WithElementIds(Remade(bundle, 6), "e"), "Bundle");
        var hits = cached.ShapeCacheHits;
        Assert.Empty(cached.ValidateInput(WithElementIds(Remade(bundle, 7), "e"), "Bundle"));
        Assert.True(cached.ShapeCacheHits > hits);

        var remade = Remade(bundle, 5);
        var uuid = remade.Entry[0].FullUrl!["urn:uuid:".Length..];
        Assert.StartsWith("urn:uuid:", remade.Entry[0].FullUrl, StringComparison.Ordinal);
        foreach (var id in new[] { uuid, remade.Entry[0].Resource!.Id!, "urn:uuid:" + uuid, "Patient/x" })
        {
            var copy = (Bundle)remade.DeepCopy();
            ((Condition)copy.Entry.First(e => e.Resource is Condition).Resource!).Code!.Coding[0].ElementId = id;
            Assert.Null(ValidationShape.Of(copy, rules));
        }
    }

    private static bool Declares(Bundle bundle) => bundle.Entry.Any(e => e.Resource?.Meta?.Profile.Any() == true);

    /// <summary>
    /// A declared profile the service does not know is found absent without opening specification.zip (indexing it
    /// takes seconds: that was the first such request's cost): the core subset's list of StructureDefinitions answers.
    /// </summary>
    [Fact]
    public void Unknown_declared_profiles_are_found_absent_without_opening_the_core_zip()
    {
        var core = new CoreDefinitions(() => throw new InvalidOperationException("specification.zip was opened"));
        var validation = new FhirValidation(FhirValidation.LoadPackage(), core) { ResultCacheSize = 0 };
        var bundle = Examples().First(e => e.Name == "pain-uncomplicated-rib.json").Bundle;
        var declared = Declared(bundle, UnknownProfiles);
        Assert.Empty(validation.ValidateInput(declared, "Bundle"));
        Assert.Equal((bundle.Entry.Count + 1) * UnknownProfiles.Length, validation.UncheckedProfiles(declared, "Bundle").Count);
        Assert.False(core.UsedFallback);
        Assert.False(validation.IsKnownProfile(UnknownProfiles[0]));
        Assert.True(validation.IsKnownProfile(FhirValidation.InputProfile((Observation)bundle.Entry.First(e => e.Resource is Observation o && FhirValidation.InputProfile(o) is not null).Resource!)!));
        Assert.True(validation.IsKnownProfile("http://hl7.org/fhir/StructureDefinition/Patient"));
    }

    // The Bundle with the given profiles declared on it and on every entry's resource (a copy).
    private static Bundle Declared(Bundle bundle, string[] profiles)
    {
        var copy = (Bundle)bundle.DeepCopy();
        foreach (var resource in new Resource[] { copy }.Concat(copy.Entry.Select(e => e.Resource).OfType<Resource>()))
        {
            resource.Meta ??= new Meta();
            resource.Meta.Profile = profiles;
        }

        return copy;
    }

    /// <summary>
    /// Counterexamples found by review, each a pair of Bundles that had one shape while Firely finds the first valid
    /// and the second not, because Firely reads something the shape renamed or left out: an id read from a reference's
    /// kept prefix (before a query or fragment, or before a <c>_history</c> segment, which Firely parses as a version
    /// and then resolves to the resource itself without looking at the version); an element id, which Firely takes
    /// for the target of a <c>urn:uuid:</c> reference when it equals the UUID; a declared core profile reading a
    /// left-out leaf; an identifier that a longer token takes over the length a string may have. Each pair must now
    /// have two shapes (or none), and the cache, warmed by the valid one, must answer the other as Firely does.
    /// </summary>
    [Theory]
    [MemberData(nameof(CounterexampleNames))]
    public void A_pair_that_Firely_answers_differently_never_shares_a_shape(string name)
    {
        var make = Counterexamples[name];
        var (valid, broken) = (make(false), make(true));
        var uncached = Uncached.Value;
        var expected = OutcomeText.Of(uncached.ValidateInput(broken, "Bundle"));
        Assert.Empty(uncached.ValidateInput(valid, "Bundle"));
        Assert.Contains("\"error\"", expected, StringComparison.Ordinal);

        var rules = Cached.Value.ShapeRules;
        var (validShapes, brokenShapes) = (RunShapes(valid, rules), RunShapes(broken, rules));
        Assert.False(validShapes.Count == brokenShapes.Count && validShapes.Zip(brokenShapes).All(p => p.First is not null && p.Second is not null && p.First.SequenceEqual(p.Second)),
            $"{name}: one shape for every run");

        Cached.Value.ValidateInput(valid, "Bundle");
        Assert.Equal(expected, OutcomeText.Of(Cached.Value.ValidateInput(broken, "Bundle")));
    }

    // The shapes of the validation runs of ValidateInput: the Bundle's, then each input Observation's against its profile.
    private static List<byte[]?> RunShapes(Bundle bundle, ValidationShapeRules rules) =>
        [ValidationShape.Of(bundle, rules), .. bundle.Entry.Select(e => e.Resource).OfType<Observation>().Where(o => FhirValidation.InputProfile(o) is not null).Select(o => ValidationShape.Of(o, rules, profiled: true))];

    /// <summary>
    /// A control character in a left-out string (a name, an identifier): the R4 string regex lets it through, the one
    /// Firely compiles (corrected to [\r\n\t\u0020-\uFFFF]*) does not, and Firely applies its correction to the
    /// resolver's cached definition only when it first compiles the type. The rules are read here on an instance that
    /// has compiled nothing yet, as on a service's first request or in the CLI: they must be Firely's all the same.
    /// </summary>
    [Fact]
    public void A_left_out_string_passes_the_regex_Firely_compiles_whenever_the_rules_are_read()
    {
        var fresh = new FhirValidation(FhirValidation.LoadPackage(), new CoreDefinitions());
        var rules = fresh.ShapeRules;
        Bundle Named(string name) => Json(Entry("urn:uuid:" + Uuid1,
            $$$"""{"resourceType":"Patient","identifier":[{"system":"https://example.org/mrn","value":"{{{name}}}"}],"name":[{"family":"{{{name}}}","given":["{{{name}}}"]}]}"""));
        var (valid, broken) = (Named("Smith"), Named("Sm\\u0001th"));
        Assert.Equal("Sm\u0001th", ((Patient)broken.Entry[0].Resource!).Name[0].Family);

        var expected = OutcomeText.Of(Uncached.Value.ValidateInput(broken, "Bundle"));
        Assert.Empty(Uncached.Value.ValidateInput(valid, "Bundle"));
        Assert.Contains("\"error\"", expected, StringComparison.Ordinal);
        var (validShape, brokenShape) = (ValidationShape.Of(valid, rules), ValidationShape.Of(broken, rules));
        Assert.False(validShape is not null && brokenShape is not null && validShape.SequenceEqual(brokenShape), "one shape");

        fresh.ValidateInput(valid, "Bundle");
        Assert.Equal(expected, OutcomeText.Of(fresh.ValidateInput(broken, "Bundle")));
        Assert.Equal(Cached.Value.ShapeRules.PatternOf("string"), rules.PatternOf("string"));
    }

    public static TheoryData<string> CounterexampleNames => new(Counterexamples.Keys);

    private const string Base = "http://example.org/fhir/";
    private const string Uuid1 = "00000001-0000-4000-8000-000000000001";
    private const string Uuid2 = "00000002-0000-4000-8000-000000000001";
    private const string Uuid3 = "00000003-0000-4000-8000-000000000001";

    // Each makes the valid Bundle of a pair (false) or the broken one (true).
    private static readonly Dictionary<string, Func<bool, Bundle>> Counterexamples = new()
    {
        // Firely reads Observation/o1 from the part of the reference before '?' or '#': the reference resolves to the
        // Observation entry (not a Condition's subject type) exactly when that entry is o1, a token the shape renames.
        ["query in a reference"] = broken => ObservationAndCondition(broken ? "o1" : "o2", Base + "Observation/o1?a=/Patient/q1"),
        ["fragment in a reference"] = broken => ObservationAndCondition(broken ? "o1" : "o2", Base + "Observation/o1#/Patient/q1"),
        ["query in a fullUrl"] = broken => Json(
            Entry(Base + "Observation/o1?a=/Observation/o9", """{"resourceType":"Observation","id":"o9","status":"final","code":{"text":"x"}}"""),
            Entry(Base + "Condition/c1", $$$"""{"resourceType":"Condition","id":"c1","code":{"text":"x"},"subject":{"reference":"Observation/{{{(broken ? "o1" : "o2")}}}"}}""")),

        // Firely reads Patient/p1 with version "Organization" and, walking up from the reference, stops at the Patient
        // whose id is p1 (a generalPractitioner must not be a Patient), whatever the version.
        ["_history in a reference"] = broken => Json(Entry("urn:uuid:" + Uuid1,
            $$$"""{"resourceType":"Patient","id":"{{{(broken ? "p1" : "p2")}}}","generalPractitioner":[{"reference":"{{{Base}}}Patient/p1/_history/Organization/o1"}]}""")),
        ["escaped _history in a reference"] = broken => Json(Entry("urn:uuid:" + Uuid1,
            $$$"""{"resourceType":"Patient","id":"{{{(broken ? "p1" : "p2")}}}","generalPractitioner":[{"reference":"{{{Base}}}Patient/p1/%5Fhistory/Organization/o1"}]}""")),

        // Walking up from a urn:uuid: reference, Firely stops at the first element whose id is the UUID.
        ["element id of a reference"] = broken => PatientAndCondition(broken ? Uuid1 : Uuid2, "", $"\"id\":\"{Uuid1}\","),
        ["element id of an entry"] = broken => PatientAndCondition(broken ? Uuid1 : Uuid2, $"\"id\":\"{Uuid1}\",", ""),

        // The core vital-signs profiles' vs-1 reads the effective date a shape leaves out: precise to the day or not.
        ["declared profile reading a left-out leaf"] = broken => Json(
            Entry("urn:uuid:" + Uuid1, """{"resourceType":"Patient","gender":"female"}"""),
            Entry("urn:uuid:" + Uuid3, $$$"""
                {"resourceType":"Observation","meta":{"profile":["http://hl7.org/fhir/StructureDefinition/vitalsigns"]},"status":"final",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"subject":{"reference":"urn:uuid:{{{Uuid1}}}"},
                 "effectiveDateTime":"{{{(broken ? "2020" : "2020-01-01")}}}",
                 "valueQuantity":{"value":80,"unit":"beats/minute","system":"http://unitsofmeasure.org","code":"/min"}}
                """)),

        // A control character in a text beside a code: the string regex Firely compiles refuses it, so it is no free text.
        ["control character in a CodeableConcept.text"] = broken => ObservationAndCondition("o2", Base + "Patient/p1", conditionText: broken ? "Bone\\u0001metastasis" : "Bone metastasis"),
        ["control character in a note"] = broken => Json(Entry("urn:uuid:" + Uuid1,
            $$$"""{"resourceType":"Condition","code":{"text":"x"},"subject":{"reference":"Patient/p1"},"note":[{"text":"{{{(broken ? "a\\u0002b" : "a b")}}}"}]}""")),

        // A text of the longest length a string may have, and one a character over it (made in memory: the parser refuses it).
        ["text longer than a string may be"] = broken =>
        {
            var bundle = ObservationAndCondition("o2", Base + "Patient/p1");
            ((Condition)bundle.Entry[2].Resource!).Code!.Text = new string('a', ValidationShapeRules.MaxStringLength + (broken ? 1 : 0));
            return bundle;
        },

        // rng-2 compares a Range's low and high, whole Quantities: their values are kept (Quantity.value is free only
        // at Observation.value, where the Quantity is the value itself).
        ["values of a Range"] = broken => Json(Entry("urn:uuid:" + Uuid1, $$$$"""
            {"resourceType":"Observation","status":"final","code":{"text":"x"},
             "valueRange":{"low":{"value":{{{{(broken ? 3 : 1)}}}},"unit":"mm"},"high":{"value":2,"unit":"mm"}}}
            """)),

        // obs-7 compares the codings of Observation.code and of each component's code, displays included: the displays
        // of Observation.code are kept (with a value, an equal component code is an error).
        ["display of Observation.code equal to a component's"] = broken => Json(Entry("urn:uuid:" + Uuid1, $$$"""
            {"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8480-6","display":"{{{(broken ? "B" : "A")}}}"}]},
             "valueString":"x","component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6","display":"B"}]},"valueString":"y"}]}
            """)),

        // The profiles bound Quantity.value (bonemet-cortical-lysis-circumferential: 0 to 100 %): free in the Bundle's
        // run, kept in the profile's.
        ["Quantity.value out of a profile's bounds"] = broken => Json(
            Entry("urn:uuid:" + Uuid1, """{"resourceType":"Patient","gender":"female"}"""),
            Entry("urn:uuid:" + Uuid3, $$$"""
                {"resourceType":"Observation","status":"final",
                 "code":{"coding":[{"system":"https://bonemetrt.org/fhir/CodeSystem/bonemet","code":"cortical-lysis-circumferential"}]},
                 "subject":{"reference":"urn:uuid:{{{Uuid1}}}"},
                 "valueQuantity":{"value":{{{(broken ? 150 : 50)}}},"unit":"%","system":"http://unitsofmeasure.org","code":"%"}}
                """)),

        // Codes and systems: left out where an example binding checks nothing, but each must pass its type's checks
        // (made in memory: the parser refuses the broken ones), and kept where a binding or an invariant reads them.
        ["code with two spaces at Condition.code"] = broken => ConditionCoded(c => c.Code!.Coding[0].Code = broken ? "a  b" : "a b"),
        ["code with a leading space at Procedure.bodySite"] = broken => ProcedureCoded(broken ? " rib" : "rib"),
        ["system with a space at Condition.bodySite"] = broken => ConditionCoded(c => c.BodySite.Add(new CodeableConcept(broken ? "http://example.org/site s" : "http://example.org/sites", "rib"))),
        ["code under a required binding"] = broken => ConditionCoded(c => c.ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", broken ? "not-a-status" : "active")),
        ["code of Observation.code equal to a component's"] = broken => Json(Entry("urn:uuid:" + Uuid1, $$$"""
            {"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"{{{(broken ? "8462-4" : "8480-6")}}}"}]},
             "valueString":"x","component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},"valueString":"y"}]}
            """)),

        // A reference of the longest length a string may have, and one 3 characters over it by a longer token. The
        // parser refuses the second, so it is made in memory, as a caller of FhirValidation may.
        ["identifier longer than a string may be"] = broken =>
        {
            var bundle = ObservationAndCondition("o2", Base + "Patient/q");
            var reference = new string('a', 1_048_576 - Base.Length - "/Patient/q".Length);
            ((Condition)bundle.Entry[2].Resource!).Subject!.Reference = Base + reference + "/Patient/" + (broken ? "qqqq" : "q");
            return bundle;
        },
    };

    private static Bundle ObservationAndCondition(string observation, string subject, string conditionText = "x") => Json(
        Entry(Base + "Patient/p1", """{"resourceType":"Patient","id":"p1"}"""),
        Entry(Base + "Observation/" + observation, $$$"""{"resourceType":"Observation","id":"{{{observation}}}","status":"final","code":{"text":"x"}}"""),
        Entry(Base + "Condition/c1", $$$"""{"resourceType":"Condition","id":"c1","code":{"text":"{{{conditionText}}}"},"subject":{"reference":"{{{subject}}}"}}"""));

    // A Condition coded with SNOMED CT (example binding), changed by `change` in memory.
    private static Bundle ConditionCoded(Action<Condition> change)
    {
        var bundle = Json(Entry("urn:uuid:" + Uuid1, """{"resourceType":"Condition","code":{"coding":[{"system":"http://snomed.info/sct","code":"94222008"}]},"subject":{"reference":"Patient/p1"}}"""));
        change((Condition)bundle.Entry[0].Resource!);
        return bundle;
    }

    // A Procedure with a bone site (example binding) of code `site`, set in memory.
    private static Bundle ProcedureCoded(string site)
    {
        var bundle = Json(Entry("urn:uuid:" + Uuid1, """{"resourceType":"Procedure","status":"completed","code":{"text":"x"},"subject":{"reference":"Patient/p1"},"bodySite":[{"coding":[{"system":"http://snomed.info/sct","code":"rib"}]}]}"""));
        ((Procedure)bundle.Entry[0].Resource!).BodySite[0].Coding[0].Code = site;
        return bundle;
    }

    private static Bundle PatientAndCondition(string patient, string entryId, string referenceId) => Json(
        Entry("urn:uuid:" + patient, """{"resourceType":"Patient","gender":"female"}"""),
        "{" + entryId + "\"fullUrl\":\"urn:uuid:" + Uuid3 + "\",\"resource\":{\"resourceType\":\"Condition\",\"code\":{\"text\":\"x\"},"
            + "\"subject\":{" + referenceId + "\"reference\":\"urn:uuid:" + patient + "\"}}}");

    private static string Entry(string fullUrl, string resource) => "{\"fullUrl\":\"" + fullUrl + "\",\"resource\":" + resource + "}";

    private static Bundle Json(params string[] entries) =>
        Parse(JsonNode.Parse("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[" + string.Join(',', entries) + "]}")!);

    /// <summary>
    /// Every identifier string a shape accepts is read by Firely's reference parsing (ResourceIdentity, which resolves
    /// references and fullUrls) as the resource type and id the shape sees, with no version, and with a base that does
    /// not depend on the token: over strings made of the pieces that change how System.Uri reads a URL (query,
    /// fragment, escapes, backslashes, dot segments, _history, ports, case), each either refused or read so.
    /// </summary>
    [Fact]
    public void Firely_reads_the_type_and_id_of_every_accepted_identifier_where_the_shape_does()
    {
        var rules = Cached.Value.ShapeRules;
        string[] bases = ["http://example.org", "https://ehr.example.org:8443", "http://x:99999", "http://Example.ORG", "ftp://x", "http://-x", "http://x..y", "http:/x", "http://"];
        string[] segments = ["fhir", "R4", "Patient", "p1", "_history", "%5Fhistory", "1", ".", "..", "...", "a.b", "~u", "a?b", "a#b", "a%2Fb", "a\\b", "a|b", "a;b", "", "a b"];
        string[] types = ["Patient", "Observation", "patient", "Foo"];
        string[] tokens = ["p1", "q-2.x", Uuid1, "ABC", "a", new string('z', 64)];
        var random = new Random(13);
        var accepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var path = string.Concat(Enumerable.Range(0, random.Next(4)).Select(_ => "/" + segments[random.Next(segments.Length)]));
            var prefix = bases[random.Next(bases.Length)] + path + "/" + types[random.Next(types.Length)] + "/";
            var baseUris = new HashSet<string>();
            foreach (var token in tokens)
            {
                foreach (var kind in new[] { ValidationShapeRules.IdentityKind.FullUrl, ValidationShapeRules.IdentityKind.Reference })
                {
                    if (rules.SplitIdentity(kind, prefix + token) is not { } split)
                    {
                        continue;
                    }

                    accepted++;
                    Assert.Equal((prefix, token), split);
                    var identity = new Hl7.Fhir.Rest.ResourceIdentity(prefix + token);
                    Assert.True(identity.IsAbsoluteRestUrl, prefix + token);
                    Assert.Equal(prefix.Split('/')[^2], identity.ResourceType);
                    Assert.Equal(token, identity.Id);
                    Assert.Null(identity.VersionId);
                    baseUris.Add(identity.BaseUri.ToString());
                }
            }

            Assert.True(baseUris.Count <= 1, $"{prefix}: the base depends on the token");
        }

        Assert.True(accepted > 1000, $"only {accepted} accepted");

        // The plain forms are kept (else the cache would stand for nothing).
        Assert.Equal(("urn:uuid:", Uuid1), rules.SplitIdentity(ValidationShapeRules.IdentityKind.Reference, "urn:uuid:" + Uuid1));
        Assert.Equal(("Patient/", "p1"), rules.SplitIdentity(ValidationShapeRules.IdentityKind.Reference, "Patient/p1"));
        Assert.Null(rules.SplitIdentity(ValidationShapeRules.IdentityKind.FullUrl, "Patient/p1"));
        Assert.Equal(("https://ehr.example.org:8443/fhir/R4/Patient/", "p1"), rules.SplitIdentity(ValidationShapeRules.IdentityKind.FullUrl, "https://ehr.example.org:8443/fhir/R4/Patient/p1"));
        var relative = new Hl7.Fhir.Rest.ResourceIdentity("Patient/p1");
        Assert.Equal(("Patient", "p1", true), (relative.ResourceType, relative.Id, relative.IsRelativeRestUrl));
        Assert.Equal(Uuid1, new Hl7.Fhir.Rest.ResourceIdentity("urn:uuid:" + Uuid1).Id);
    }

    [Fact]
    public void The_shape_cache_answers_nothing_when_switched_off()
    {
        var validation = new FhirValidation(FhirValidation.LoadPackage(), new CoreDefinitions()) { UseShapeCache = false };
        var (_, bundle, prefix) = Examples().First(e => e.Name == "pain-uncomplicated-rib.json");
        validation.ValidateInput(bundle, prefix);
        var (_, runs) = validation.ResultCacheStatistics;
        validation.ValidateInput(Remade(bundle, 5), prefix);
        Assert.Equal(0, validation.ShapeCacheHits);
        Assert.Equal((0, 2 * runs), validation.ResultCacheStatistics); // every run of the remade Bundle was validated again
    }

    /// <summary>
    /// The static half of the proof. In the compiled schemas of the input resource types and of every input profile,
    /// each left-out leaf is checked by nothing but its cardinality, its type and its type's format; and the invariants
    /// that read any left-out leaf (or navigate generically, so could) are the reviewed ones below, each of which reads
    /// only presence or compares identifiers for equality, both of which a shape keeps.
    /// </summary>
    [Fact]
    public void The_compiled_schemas_read_the_left_out_leaves_only_for_presence_and_format()
    {
        var validation = Cached.Value;
        var schemas = validation.Schemas;
        var profiles = validation.Package.OfType<StructureDefinition>().Where(sd => sd.Type == "Observation" && sd.Kind == StructureDefinition.StructureDefinitionKind.Resource!).ToList();
        var roots = new[] { "Bundle", "Patient", "Condition", "Observation", "Procedure" }
            .Select(t => (Url: "http://hl7.org/fhir/StructureDefinition/" + t, Type: t))
            .Concat(profiles.Select(sd => (Url: sd.Url!, Type: sd.Type!)))
            .ToList();

        // The input profiles constrain no data-type leaf (those are checked in their data type's schema below).
        foreach (var sd in profiles)
        {
            var constrained = sd.Differential!.Element.Where(e => e.Path!.StartsWith("Observation.identifier", StringComparison.Ordinal) || e.Path!.Contains(".name.", StringComparison.Ordinal)).Select(e => e.Path).ToList();
            Assert.True(constrained.Count == 0, $"{sd.Url} constrains {string.Join(", ", constrained)}");
        }

        // 1. Each leaf, in each root schema that has it: the assertions on the element and on its primitive type.
        var allowed = new HashSet<string>
        {
            nameof(CardinalityValidator), nameof(FhirEle1Validator), nameof(FhirTypeLabelValidator), nameof(SchemaReferenceValidator),
            nameof(SliceValidator), nameof(IssueAssertion), nameof(ElementSchema), nameof(DatatypeSchema), nameof(ChildrenValidator),
            nameof(RegExValidator), nameof(PrimitiveLiteralTypeValidator), nameof(FhirStringValidator), nameof(BaseType), nameof(AllValidator),
            nameof(FhirUriValidator), // the uri's HasValidValue, which the rules ask of a left-out system too
        };
        var leavesSeen = new HashSet<string>();
        var failures = new List<string>();

        // The checks on a left-out leaf's own element: its cardinality, type and its type's format, nothing else.
        void CheckLeaf(string where, ElementSchema elementSchema, Type primitive)
        {
            var reachable = Reachable(schemas, elementSchema, ModelInfo.GetFhirTypeNameForType(primitive)!);
            foreach (var maxLength in reachable.OfType<MaxLengthValidator>())
            {
                if (maxLength.MaximumLength < ValidationShapeRules.MaxStringLength)
                {
                    failures.Add($"{where} has a maxLength of {maxLength.MaximumLength}");
                }
            }

            // The integer type's own bounds (the range of a 32-bit integer, which is what a parsed integer holds).
            foreach (var bound in reachable.OfType<MinMaxValueValidator>())
            {
                var limit = (bound.Limit.Poco as Integer)?.Value;
                var expected = bound.MinMaxType == MinMaxValueValidator.ValidationMode.MinValue ? int.MinValue : int.MaxValue;
                if (!(primitive == typeof(Integer) && limit == expected))
                {
                    failures.Add($"{where} is bounded by {bound.Limit.Poco}");
                }
            }

            // The format a left-out value is checked against is the one Firely compiles.
            foreach (var regex in reachable.OfType<RegExValidator>())
            {
                if (regex.Pattern != validation.ShapeRules.PatternOf(ModelInfo.GetFhirTypeNameForType(primitive)!))
                {
                    failures.Add($"{where} is checked against {regex.Pattern}, the shape against {validation.ShapeRules.PatternOf(ModelInfo.GetFhirTypeNameForType(primitive)!)}");
                }
            }

            var kinds = reachable.Where(a => a is not (MaxLengthValidator or MinMaxValueValidator)).Select(a => a.GetType().Name).ToHashSet();
            var extra = kinds.Where(k => !allowed.Contains(k)).ToList();
            if (extra.Count > 0)
            {
                failures.Add($"{where} is also checked by {string.Join(", ", extra)}");
            }
        }

        foreach (var (root, rootType) in roots)
        {
            var schema = schemas.GetSchema(new Firely.Fhir.Validation.Canonical(root))!;
            var leaves = profiles.Any(p => p.Url == root) ? ValidationShapeRules.Leaves.Except(ValidationShapeRules.NotFreeInProfiles) : ValidationShapeRules.Leaves;
            foreach (var (owner, element, primitive) in leaves)
            {
                foreach (var elementSchema in ElementsNamed(schemas, schema, rootType, ModelInfo.GetFhirTypeNameForType(owner)!, element))
                {
                    leavesSeen.Add($"{owner.Name}.{element}");
                    CheckLeaf($"{root}: {owner.Name}.{element}", elementSchema, primitive);
                }
            }
        }

        // 1b. The leaves of data types added for free texts and numbers (ValidationShapeRules.InScannedResourcesOnly),
        // at every place of every root where the rules leave them out (every place for texts; the listed places for
        // displays and quantities): the leaf's own element as above, and on the way from the root to the element that
        // holds it no fixed value, no pattern that names the leaf, no binding that reads it (a required binding's
        // terminology check reads the displays, never a CodeableConcept's text but for being empty: Firely's
        // BindingValidator.verifyContentRequirements and LocalTerminologyService.validateCodeVs), and no slice
        // discriminated by anything but the type.
        var placesChecked = 0;
        var unreviewedOnTheWay = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (root, rootType) in roots)
        {
            var profiled = profiles.Any(p => p.Url == root);
            var places = Places(schemas, schemas.GetSchema(new Firely.Fhir.Validation.Canonical(root))!, rootType);
            foreach (var leaf in ValidationShapeRules.InScannedResourcesOnly.Where(l => !(profiled && ValidationShapeRules.NotFreeInProfiles.Contains(l))))
            {
                var (owner, element, primitive) = leaf;
                var (ownerName, primitiveName) = (ModelInfo.GetFhirTypeNameForType(owner)!, ModelInfo.GetFhirTypeNameForType(primitive)!);
                var listed = (profiled ? ValidationShapeRules.OnlyAtInProfiles : ValidationShapeRules.OnlyAt).TryGetValue(leaf, out var l) ? l : null;
                // The owner by the class the SDK makes of its type; when the children are an element's own, or of a
                // constrained type (SimpleQuantity, a Quantity in the SDK), by the type the leaf refers to.
                var free = places.Where(p => p.Name == element && (p.OwnerType is { } type && ModelInfo.GetTypeForFhirType(type) is { } poco ? poco == owner : RefersTo(p.Schema, primitiveName))
                                             && (listed is null || listed.Contains(p.Path))).ToList();
                foreach (var where in listed?.Where(w => w.StartsWith(rootType + ".", StringComparison.Ordinal)) ?? [])
                {
                    if (!free.Any(p => p.Path == where))
                    {
                        failures.Add($"{root}: no {ownerName}.{element} at {where}, a place the rules list");
                    }
                }

                foreach (var place in free)
                {
                    placesChecked++;
                    var where = $"{root}: {place.Path}.{element} ({ownerName}.{element})";
                    CheckLeaf(where, (ElementSchema)place.Schema, primitive);
                    foreach (var a in place.OnTheWay)
                    {
                        switch (a)
                        {
                            case FixedValidator:
                                failures.Add($"{where}: a fixed value on the way, {a.ToJson()}");
                                break;
                            case PatternValidator when a.ToJson().ToString().Contains($"\"{element}\"", StringComparison.Ordinal):
                                failures.Add($"{where}: a pattern on the way names it, {a.ToJson()}");
                                break;
                            case BindingValidator b when leaf != (typeof(CodeableConcept), "text", typeof(FhirString))
                                                          && (b.Strength == BindingValidator.BindingStrength.Required || b.Checks.HasFlag(CodedContentChecks.NonRequiredBindings)):
                                failures.Add($"{where}: a binding on the way checks it, {a.ToJson()}");
                                break;
                            case FhirPathValidator invariant when !ReviewedOnTheWay.ContainsKey(invariant.Key):
                                unreviewedOnTheWay.Add($"{invariant.Key} := {invariant.Expression}");
                                break;
                            case FhirPathValidator invariant when ReadOnTheWay.TryGetValue(invariant.Key, out var reads) && reads.Any(read => read.Leaf == leaf && read.At(place.Path)):
                                failures.Add($"{where}: {invariant.Key} reads it there ({invariant.Expression})");
                                break;
                            case SliceValidator slices:
                                foreach (var slice in slices.Slices)
                                {
                                    var discriminator = SchemaWalk.Walk(schemas, slice.Condition, SchemaWalk.Nothing)
                                        .Where(c => c is not (FhirTypeLabelValidator or AllValidator or PathSelectorValidator { Path: "$this" })).ToList();
                                    if (discriminator.Count > 0)
                                    {
                                        failures.Add($"{where}: a slice on the way ({slice.Name}) is told apart by {string.Join(", ", discriminator.Select(d => d.GetType().Name))}");
                                    }
                                }

                                break;
                        }
                    }
                }
            }
        }

        Assert.True(placesChecked >= 250, $"only {placesChecked} places of the new leaves checked");
        Assert.True(unreviewedOnTheWay.Count == 0, "invariants on the way to a left-out leaf, not reviewed:\n" + string.Join("\n", unreviewedOnTheWay));

        // The identifier strings: Resource.id of each root, Bundle.entry.fullUrl, Reference.reference.
        var identities = roots.Select(r => (r.Url, ElementsNamed(schemas, schemas.GetSchema(new Firely.Fhir.Validation.Canonical(r.Url))!, r.Type, r.Type, "id").Single(), "id"))
            .Append(("Bundle.entry.fullUrl", ChildOf(ElementsNamed(schemas, schemas.GetSchema(new Firely.Fhir.Validation.Canonical("http://hl7.org/fhir/StructureDefinition/Bundle"))!, "Bundle", "Bundle", "entry").Single(), "fullUrl"), "uri"))
            .Append(("Reference.reference", ElementsNamed(schemas, schemas.GetSchema(new Firely.Fhir.Validation.Canonical("http://hl7.org/fhir/StructureDefinition/Reference"))!, "", "Reference", "reference").Single(), "string"));
        foreach (var (where, elementSchema, type) in identities)
        {
            var reachable = Reachable(schemas, elementSchema, type);
            if (type == "id" && reachable.OfType<RegExValidator>().FirstOrDefault(r => r.Pattern != validation.ShapeRules.PatternOf("id")) is { } other)
            {
                failures.Add($"{where}: its identifier is checked against {other.Pattern}, a token against {validation.ShapeRules.PatternOf("id")}");
            }

            var extra = reachable.Where(a => a is not (MaxLengthValidator { MaximumLength: >= 1_048_576 } or FhirUriValidator)).Select(a => a.GetType().Name).Where(k => !allowed.Contains(k)).Distinct().ToList();
            if (extra.Count > 0)
            {
                failures.Add($"{where}: its identifier is also checked by {string.Join(", ", extra)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(ValidationShapeRules.Leaves.Select(l => $"{l.Owner.Name}.{l.Element}").ToHashSet(), leavesSeen);

        // 2. Every invariant reachable from the roots that names a left-out leaf, an identifier, or navigates generically.
        var words = ValidationShapeRules.Leaves.Select(l => l.Element).Concat(["id", "fullUrl", "reference", "descendants", "children", "repeat", "resolve", "%resource", "%rootResource", "$this"]).Distinct().ToList();
        var flagged = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (root, _) in roots)
        {
            foreach (var (key, expression) in Invariants(schemas, schemas.GetSchema(new Firely.Fhir.Validation.Canonical(root))!))
            {
                if (words.Any(w => Regex.IsMatch(expression, $@"(?<![A-Za-z]){Regex.Escape(w)}(?![A-Za-z])")))
                {
                    flagged.Add(key + " := " + expression);
                }
            }
        }

        var unreviewed = flagged.Where(k => !ReviewedInvariants.ContainsKey(k[..k.IndexOf(" := ", StringComparison.Ordinal)])).ToList();
        Assert.True(unreviewed.Count == 0, "invariants reading a left-out leaf or an identifier, not reviewed:\n" + string.Join("\n", unreviewed));
    }

    /// <summary>
    /// An extension in a record is validated against its definition, found by its url (the core's and the package's),
    /// which the scan above does not reach from the roots. Leaves inside an extension are never left out, but an
    /// invariant of an extension's definition could read the rest of the resource (<c>%resource</c>,
    /// <c>%rootResource</c>, <c>resolve()</c>, generic navigation) and so a left-out leaf: none does.
    /// </summary>
    [Fact]
    public void No_extension_definition_reads_beyond_its_extension()
    {
        var definitions = ZipSource.CreateValidationSource();
        var extensions = definitions.ListSummaries()
            .Where(s => s.ResourceTypeName == "StructureDefinition")
            .Select(s => s.GetConformanceCanonicalUrl())
            .OfType<string>()
            .Select(url => definitions.ResolveByCanonicalUri(url) as StructureDefinition)
            .Concat(FhirValidation.LoadPackage().OfType<StructureDefinition>())
            .OfType<StructureDefinition>()
            .Where(sd => sd.Type == "Extension")
            .ToList();
        Assert.True(extensions.Count >= 390, $"only {extensions.Count} extension definitions");
        string[] beyond = ["%resource", "%rootResource", "resolve", "descendants", "children", "repeat", "%ucum", "ancestor", "parent"];
        var reading = extensions
            .SelectMany(sd => (sd.Snapshot?.Element ?? sd.Differential?.Element ?? []).SelectMany(e => e.Constraint).Select(c => (sd.Url, c.Key, c.Expression)))
            .Where(c => c.Key != "ele-1") // hasValue() or (children().count() > id.count()): the element's own children, inside the extension
            .Where(c => c.Expression is not null && beyond.Any(w => Regex.IsMatch(c.Expression, $@"(?<![A-Za-z]){Regex.Escape(w)}(?![A-Za-z])")))
            .Select(c => $"{c.Url} {c.Key} := {c.Expression}")
            .Distinct()
            .ToList();
        Assert.True(reading.Count == 0, "extension invariants reading beyond the extension:\n" + string.Join("\n", reading));
    }

    /// <summary>Invariants that mention a left-out leaf, an identifier, or navigate generically, and why a shape keeps their outcome.</summary>
    private static readonly Dictionary<string, string> ReviewedInvariants = new()
    {
        ["age-1"] = "reads Age.value, a decimal of the Age type, which is no left-out leaf",
        ["cnt-3"] = "reads Count.value, a decimal of the Count type, which is no left-out leaf",
        ["dis-1"] = "reads Distance.value, a decimal of the Distance type, which is no left-out leaf",
        ["drt-1"] = "reads the presence of Duration.value",
        ["cpt-2"] = "reads the presence of ContactPoint.value",
        ["exp-1"] = "reads the presence of Expression.reference (a uri of the Expression type, not a Reference)",
        ["bdl-3"] = "reads Bundle.type (kept) through %resource",
        ["bdl-4"] = "reads Bundle.type (kept) through %resource",
        ["bdl-9"] = "reads the presence of Bundle.identifier.value",
        ["bdl-15"] = "reads the presence of fullUrl",
        ["bdl-7"] = "compares fullUrl & meta.versionId for equality: renaming is one-to-one and UUID tokens have a fixed length; a shape is refused when a versionId meets a fullUrl with an id token, whose concatenation could be read two ways",
        ["bdl-8"] = "looks for '/_history/' in fullUrl: a token holds no '/', so a match lies in the kept prefix",
        ["bonemet-lysis-2"] = "reads Quantity.value of a cortical-lysis Observation (value[x] is kept in profile runs)",
        ["bonemet-obs-1"] = "reads the presence of Observation.value",
        ["con-3"] = "reads codes (kept) with $this",
        ["con-2"] = "reads the presence of Condition.evidence.code (a CodeableConcept), never a Coding's code",
        ["con-4"] = "reads the codes and systems of clinicalStatus, kept there (a required binding; ReadOnTheWay)",
        ["con-5"] = "reads the codes and systems of verificationStatus, kept there (a required binding; ReadOnTheWay)",
        ["qty-3"] = "reads the presence of Quantity.code and Quantity.system, a Quantity's own elements, no left-out leaf (Coding.code and Coding.system are)",
        ["bonemet-lysis-1"] = "reads Quantity.code of a cortical-lysis Observation, a Quantity's own code, no left-out leaf",
        ["dom-3"] = "about contained resources: a resource with contained resources has no shape",
        ["dom-6"] = "reads the narrative (DomainResource.text, a Narrative), no left-out leaf; a best-practice warning besides",
        ["obs-3"] = "reads the presence of Observation.referenceRange.text (a string of the backbone element, no left-out leaf)",
        ["obs-6"] = "reads the presence of Observation.value",
        ["obs-7"] = "reads the presence of Observation.value, and codes",
        ["ref-1"] = "looks for a reference starting with '#': such a reference has no shape, and tokens never start with '#'",
    };

    /// <summary>
    /// Invariants that stand on the way to a left-out leaf of a data type (on the element holding it or on one of its
    /// ancestors, the root resource included, or on a data type that a choice element above it may take), and why
    /// none reads the leaf's value: an invariant that does not name the leaf could still read it by comparing whole
    /// elements (rng-2 compares the Quantities of a Range), so each is reviewed here.
    /// </summary>
    private static readonly Dictionary<string, string> ReviewedOnTheWay = new()
    {
        ["bdl-1"] = "Bundle.total and type",
        ["bdl-2"] = "the presence of entry.search, and type",
        ["bdl-3"] = "the presence of entry.request, and type",
        ["bdl-3a"] = "the presence of entry.resource, request, response, and type",
        ["bdl-3b"] = "the presence of entry.request, response, resource, request.method (a code), and type",
        ["bdl-3c"] = "the presence of request.method and resource, request.method (a code), and type",
        ["bdl-3d"] = "the presence of entry.response, and type",
        ["bdl-4"] = "the presence of entry.response, and type",
        ["bdl-7"] = "fullUrl and meta.versionId (see ReviewedInvariants), no text or number",
        ["bdl-9"] = "the presence of identifier.system and value, and type",
        ["bdl-10"] = "the presence of timestamp, and type",
        ["bdl-11"] = "the type of the first entry's resource, and type",
        ["bdl-12"] = "the type of the first entry's resource, and type",
        ["bdl-15"] = "the presence of fullUrl, request.method (a code), and type",
        ["bonemet-obs-1"] = "the presence of Observation.value and dataAbsentReason",
        ["con-1"] = "the presence of Condition.stage.summary and assessment",
        ["con-2"] = "the presence of Condition.evidence.code and detail",
        ["con-3"] = "the presence of clinicalStatus; codes and systems of verificationStatus and category (kept), never a display or text",
        ["con-4"] = "the presence of abatement; clinicalStatus' codes and systems (kept)",
        ["con-5"] = "verificationStatus' codes and systems (kept); the presence of clinicalStatus",
        ["dom-2"] = "contained resources: a resource with contained resources has no shape",
        ["dom-3"] = "contained resources (none in a resource with a shape); the uri, url and canonical descendants, none of them a left-out leaf",
        ["dom-4"] = "contained resources: a resource with contained resources has no shape",
        ["dom-5"] = "contained resources: a resource with contained resources has no shape",
        ["dom-6"] = "the narrative (DomainResource.text, a Narrative)",
        ["obs-3"] = "the presence of referenceRange.low, high and text (the range's own string, no left-out leaf)",
        ["obs-6"] = "the presence of Observation.dataAbsentReason and value",
        ["obs-7"] = "the presence of Observation.value, and whether a component's code.coding equals one of Observation.code.coding: whole Codings, "
            + "displays included, so no display of Observation.code or Observation.component.code is free (neither is listed in OnlyAt)",
        ["pat-1"] = "the presence of Patient.name, telecom, address, organization",
        ["per-1"] = "Period.start and end (dateTimes of a Period, which a choice element above may take), no left-out leaf",
        ["qty-3"] = "the presence of Quantity.code and system",
        ["rat-1"] = "the presence of Ratio.numerator, denominator and extensions",
        ["ref-1"] = "Reference.reference (see ReviewedInvariants)",
        ["rng-2"] = "compares a Range's low and high: whole Quantities, values included, so Quantity.value is free only where it is no Range's "
            + "(at Observation.value the Quantity is the value itself, a Range's low is at Observation.value.low)",
    };

    /// <summary>
    /// The reviewed invariants (<see cref="ReviewedOnTheWay"/>) that do read a leaf, by comparing whole elements, and
    /// where (the path of the element holding the leaf): the rules must not leave the leaf out there.
    /// </summary>
    private static readonly Dictionary<string, ((Type, string, Type) Leaf, Func<string, bool> At)[]> ReadOnTheWay = new()
    {
        ["obs-7"] = [.. new[] { "display", "code", "system" }.Select(e => (CodingLeaf(e), (Func<string, bool>)(p => p is "Observation.code.coding" or "Observation.component.code.coding")))],
        ["rng-2"] = [((typeof(Quantity), "value", typeof(FhirDecimal)), p => p.EndsWith(".low", StringComparison.Ordinal) || p.EndsWith(".high", StringComparison.Ordinal))],
        ["con-3"] = [.. CodesAndSystems(p => p is "Condition.clinicalStatus.coding" or "Condition.verificationStatus.coding" or "Condition.category.coding")],
        ["con-4"] = [.. CodesAndSystems(p => p is "Condition.clinicalStatus.coding")],
        ["con-5"] = [.. CodesAndSystems(p => p is "Condition.clinicalStatus.coding" or "Condition.verificationStatus.coding")],
    };

    private static (Type, string, Type) CodingLeaf(string element) =>
        ValidationShapeRules.Leaves.Single(l => l.Owner == typeof(Coding) && l.Element == element);

    private static IEnumerable<((Type, string, Type), Func<string, bool>)> CodesAndSystems(Func<string, bool> at) =>
        [(CodingLeaf("code"), at), (CodingLeaf("system"), at)];

    // The schema of element `element` of `owner`: in the root's own children when the root is of that resource type,
    // in the data type's schema when the owner is a data type.
    private static IEnumerable<ElementSchema> ElementsNamed(IElementSchemaResolver schemas, ElementSchema root, string rootType, string owner, string element)
    {
        var holder = ModelInfo.IsKnownResource(owner)
            ? (owner == rootType ? root : null)
            : schemas.GetSchema(new Firely.Fhir.Validation.Canonical("http://hl7.org/fhir/StructureDefinition/" + owner));
        if (holder is not null && ChildrenOf(holder) is { } children && children.ChildList.TryGetValue(element, out var found) && found is ElementSchema es)
        {
            yield return es;
        }
    }

    private static ElementSchema ChildOf(ElementSchema element, string name) => (ElementSchema)ChildrenOf(element)!.ChildList[name];

    // The first children of an element's schema (its own members, not those of the schemas it refers to).
    private static ChildrenValidator? ChildrenOf(IAssertion element)
    {
        ChildrenValidator? children = null;
        ((IAssertionContainer)element).WithChildren((_, c) =>
        {
            children ??= c as ChildrenValidator;
            return c;
        });
        return children;
    }

    // Reachable from a leaf: its primitive type (and the System type of its value), but not its id or extensions,
    // which a left-out leaf does not have.
    private static SchemaWalk.Policy LeafPolicy(string primitive) => new(
        uri => uri.EndsWith("/" + primitive, StringComparison.Ordinal) || uri.StartsWith("http://hl7.org/fhirpath/System.", StringComparison.Ordinal),
        name => name is not ("id" or "extension"),
        EachUriOnce: false);

    // Whether an element's schema refers to the FHIR type `type` itself (not through another schema).
    private static bool RefersTo(IAssertion element, string type) =>
        SchemaWalk.Walk(null!, element, SchemaWalk.Nothing).OfType<SchemaReferenceValidator>()
            .Any(r => r.SchemaUri.ToString() == "http://hl7.org/fhir/StructureDefinition/" + type);

    private static List<IAssertion> Reachable(IElementSchemaResolver schemas, ElementSchema element, string primitive) => SchemaWalk.Walk(schemas, element, LeafPolicy(primitive));

    private static List<(string Key, string Expression)> Invariants(IElementSchemaResolver schemas, ElementSchema root) =>
        SchemaWalk.Walk(schemas, root, SchemaWalk.Everything).OfType<FhirPathValidator>().Select(f => (f.Key, f.Expression)).ToList();

    /// <summary>
    /// One place of a schema where an element stands: the path from the root (the resource type, then element names;
    /// a choice element by its name without type), the data type whose children hold it (null when the children are
    /// the element's own, as in a backbone element or an element a profile constrains), its name and schema, and the
    /// assertions on every element from the root to the one holding it, members of the data types they refer to
    /// included, but not their children (those that Firely applies to the holder and its ancestors, which see the
    /// element as part of themselves: fixed values, patterns, bindings, slices).
    /// </summary>
    private sealed record Place(string Path, string? OwnerType, string Name, IAssertion Schema, IReadOnlyList<IAssertion> OnTheWay);

    /// <summary>
    /// Every place of the schema <paramref name="root"/>, at any depth, but not inside extensions (where no leaf is
    /// free), contained resources, or other resources (Bundle.entry.resource: roots of their own). A recursive data
    /// type (Identifier.assigner.identifier…) is walked again only when the constraints above it differ: below a
    /// given element schema with the same constraints on the way, what the checks find is the same at any depth.
    /// </summary>
    private static List<Place> Places(IElementSchemaResolver schemas, IAssertion root, string rootType)
    {
        var places = new List<Place>();
        var seen = new HashSet<(object, string)>();
        void Visit(IAssertion element, string path, List<IAssertion> above)
        {
            var (own, childSets) = Expand(schemas, element);
            var onTheWay = above.Concat(own).ToList();
            var constraints = string.Join(',', onTheWay.Where(IsConstraintOnTheWay).Select(a => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(a)).Distinct().Order());
            foreach (var (type, children) in childSets)
            {
                foreach (var (name, child) in children.ChildList)
                {
                    if (name is "id" or "extension" or "modifierExtension" or "contained" || (path == "Bundle.entry" && name == "resource"))
                    {
                        continue;
                    }

                    places.Add(new Place(path, type, name, child, onTheWay));
                    if (seen.Add((child, constraints)))
                    {
                        Visit(child, path + "." + name, onTheWay);
                    }
                }
            }
        }

        Visit(root, rootType, []);
        return places;
    }

    private static bool IsConstraintOnTheWay(IAssertion a) => a is FixedValidator or PatternValidator or BindingValidator or SliceValidator;

    // The assertions of one element (through containers, and into the data types it refers to, except Extension and
    // resources), and the sets of children it has, each with the data type they belong to (null: its own).
    private static (List<IAssertion> Own, List<(string? Type, ChildrenValidator Children)> ChildSets) Expand(IElementSchemaResolver schemas, IAssertion element)
    {
        var own = new List<IAssertion>();
        var childSets = new List<(string?, ChildrenValidator)>();
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        void Visit(IAssertion a, string? type)
        {
            if (!visited.Add(a))
            {
                return;
            }

            if (a is ChildrenValidator children)
            {
                childSets.Add((type, children));
                return;
            }

            own.Add(a);
            switch (a)
            {
                // Our wrappers (internal): what they stand for is Firely's invariant or binding, read through Inner.
                case IAssertion wrapper when wrapper.GetType().Name is "FastInvariantValidator" or "CachingBindingValidator":
                    Visit((IAssertion)wrapper.GetType().GetProperty("Inner")!.GetValue(wrapper)!, type);
                    return;
                case ReferencedInstanceValidator:
                    return;
                case DefinitionsAssertion:
                    return; // the backbone elements that contentReferences name: reached through those references
                case SchemaReferenceValidator reference:
                    var uri = reference.SchemaUri.ToString();
                    var name = uri.Split('/')[^1];
                    if (reference.SchemaUri.Anchor is { } anchor)
                    {
                        // A contentReference (Observation.component.referenceRange): the backbone element the root
                        // defines under that anchor, with its own children.
                        var definitions = schemas.GetSchema(new Firely.Fhir.Validation.Canonical(uri[..uri.IndexOf('#', StringComparison.Ordinal)])) is IAssertionContainer root
                            ? SchemaWalk.Walk(schemas, (IAssertion)root, SchemaWalk.Nothing).OfType<DefinitionsAssertion>().Select(d => d.FindFirstByAnchor(anchor)).OfType<ElementSchema>().First()
                            : throw new InvalidOperationException($"{uri} does not resolve");
                        Visit(definitions, null);
                    }
                    else if (uri.StartsWith("http://hl7.org/fhir/StructureDefinition/", StringComparison.Ordinal) && name != "Extension" && !ModelInfo.IsKnownResource(name)
                        && schemas.GetSchema(reference.SchemaUri) is { } target)
                    {
                        Visit(target, name);
                    }

                    return;
                case SliceValidator slices:
                    foreach (var slice in slices.Slices)
                    {
                        Visit(slice.Condition, type);
                        Visit(slice.Assertion, type);
                    }

                    Visit(slices.Default, type);
                    return;
                case IAssertionContainer container:
                    container.WithChildren((_, c) =>
                    {
                        Visit(c, type);
                        return c;
                    });
                    return;
            }
        }

        Visit(element, null);
        return (own, childSets);
    }

    /// <summary>Every example that parses as the (Bundle, prefix) pairs that $assess validates.</summary>
    private static List<(string Name, Bundle Bundle, string Prefix)> Examples() =>
        AllExamples().Where(e => ValidationShape.Of(e.Bundle, Cached.Value.ShapeRules) is not null).ToList();

    // Every data Bundle of the valid and invalid examples that parse.
    private static List<(string Name, Bundle Bundle, string Prefix)> AllExamples()
    {
        var list = new List<(string, Bundle, string)>();
        foreach (var file in ExampleCatalog.Valid.Select(f => Path.Combine(ExampleCatalog.ValidFolder, f))
                     .Concat(ExampleCatalog.Invalid.Select(f => Path.Combine(ExampleCatalog.InvalidFolder, f))))
        {
            var parsed = FhirSerialization.Parse(File.ReadAllBytes(file), FhirFormat.Json);
            if (!parsed.IsSuccess)
            {
                continue;
            }

            switch (parsed.Value)
            {
                case Bundle b:
                    list.Add((Path.GetFileName(file), b, "Bundle"));
                    break;
                case Parameters p:
                    for (var i = 0; i < p.Parameter.Count; i++)
                    {
                        if (p.Parameter[i].Name == "data" && p.Parameter[i].Resource is Bundle data)
                        {
                            list.Add((Path.GetFileName(file), data, $"Parameters.parameter[{i}].resource"));
                        }
                    }

                    break;
            }
        }

        return list;
    }

    /// <summary>
    /// The Bundle remade as another patient's record of the same shape: every identifier token replaced one-to-one (a
    /// UUID by another UUID, an id by another id), every resource given an id if it had none, and the left-out leaves
    /// given other valid values.
    /// </summary>
    private static Bundle Remade(Bundle bundle, int n)
    {
        var json = FhirSerialization.ToText(bundle, FhirFormat.Json, pretty: false);
        json = Regex.Replace(json, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-([0-9a-f]{12})", m => $"{n:x8}-0000-4000-8000-{m.Groups[1].Value}");
        json = Regex.Replace(json, "\"birthDate\":\"[0-9]{4}", $"\"birthDate\":\"19{40 + n % 50}");
        json = Regex.Replace(json, "\"valueInteger\":([0-9]+)", m => $"\"valueInteger\":{int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + n}");
        json = Regex.Replace(json, "\"effectiveDateTime\":\"([0-9]{4})", m => $"\"effectiveDateTime\":\"{int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - 1}");
        json = Regex.Replace(json, "\"family\":\"[^\"]*\"", $"\"family\":\"Family{n}\"");
        var node = JsonNode.Parse(json)!;
        var k = 0;
        foreach (var entry in node["entry"]?.AsArray() ?? [])
        {
            if (entry?["resource"] is JsonObject r && r["id"] is null)
            {
                r["id"] = $"r{n}-{k++}";
            }
        }

        return NewTexts(Parse(node), n);
    }

    /// <summary>
    /// The data types that hold the new leaves (CodeableConcept, Annotation, Coding, Quantity) in a resource of the
    /// scanned types and not inside an extension, each with its place: the path from its resource.
    /// </summary>
    private static List<(string Place, Base Holder)> Holders(Bundle bundle)
    {
        var found = new List<(string, Base)>();
        void Visit(Base node, string path)
        {
            if (node is Extension)
            {
                return;
            }

            if (node is CodeableConcept or Annotation or Coding || node.GetType() == typeof(Quantity))
            {
                found.Add((path, node));
            }

            foreach (var (name, value) in node.EnumerateElements())
            {
                foreach (var child in value switch { Base b => [b], IReadOnlyList<Base> list => list, _ => [] })
                {
                    Visit(child, child is Resource r ? r.TypeName : path + "." + name);
                }
            }
        }

        foreach (var resource in bundle.Entry.Select(e => e.Resource).OfType<Resource>().Where(r => ValidationShapeRules.ScannedResources.Contains(r.TypeName)))
        {
            Visit(resource, resource.TypeName);
        }

        return found;
    }

    private static bool FreeDisplayAt(string place) => ValidationShapeRules.OnlyAt[(typeof(Coding), "display", typeof(FhirString))].Contains(place);

    private static bool FreeCodeAt(string place) => ValidationShapeRules.OnlyAt[CodingLeaf("code")].Contains(place) && ValidationShapeRules.OnlyAt[CodingLeaf("system")].Contains(place);

    // The places whose codes a remade example varies: where the base resources bind the concept with example strength,
    // listed here and not read from the rules, so that a rule wrongly listing a bound place (clinicalStatus) does not
    // also make every remade example invalid, which would leave the shape cache cold and the comparison blind.
    private static readonly string[] ExampleBoundPlaces = ["Condition.code.coding", "Condition.bodySite.coding", "Procedure.code.coding", "Procedure.bodySite.coding"];

    /// <summary>
    /// The Bundle (changed in place) with other free texts, notes, displays and quantities, where the rules leave them
    /// out of a shape: every CodeableConcept.text and note, the displays at the places listed for a base run, the
    /// Quantity of Observation.value (kept within 0 to 100).
    /// </summary>
    private static Bundle NewTexts(Bundle bundle, int n)
    {
        foreach (var (place, holder) in Holders(bundle))
        {
            switch (holder)
            {
                case CodeableConcept { Text: { } text } concept:
                    concept.Text = $"{text} ({n})";
                    break;
                case Annotation { Text: { } note } annotation:
                    annotation.Text = $"{note} [{n}]";
                    break;
                case Coding coding when FreeDisplayAt(place) || FreeCodeAt(place):
                    if (coding.Display is { } display && FreeDisplayAt(place))
                    {
                        coding.Display = $"{display} /{n}";
                    }

                    // Another patient's codes: another code of the system, or a code of a local system.
                    if (coding.Code is { } code && FreeCodeAt(place) && ExampleBoundPlaces.Contains(place))
                    {
                        coding.Code = $"{code}-{n}";
                        coding.System = n % 2 == 0 ? coding.System : $"https://example.org/fhir/CodeSystem/local-{n}";
                    }

                    break;
                case Quantity { Value: { } value } quantity when place == "Observation.value":
                    quantity.Value = value >= 50 ? value - (n / 10m) : value + (n / 10m);
                    break;
            }
        }

        return bundle;
    }

    /// <summary>
    /// The remade Bundle with a free text, note, display or quantity changed in the ways a shape could hide, each way
    /// separately, in memory (the parser refuses some of them); ShapeDiffers when the change must give another shape
    /// (a value that fails its type's checks, or a display that a binding checks), false when it may keep the shape
    /// (a value the rules leave out: the outcome must then be Firely's all the same).
    /// </summary>
    private static IEnumerable<(string How, Bundle Bundle, bool ShapeDiffers)> TextsBroken(Bundle bundle)
    {
        IEnumerable<(string, Bundle, bool)> One<T>(string how, bool differs, Func<string, T, bool> where, Action<T> change)
            where T : Base
        {
            var copy = (Bundle)bundle.DeepCopy();
            foreach (var (place, holder) in Holders(copy))
            {
                if (holder is T t && where(place, t))
                {
                    change(t);
                    return [(how, copy, differs)];
                }
            }

            return [];
        }

        static bool HasText(string place, CodeableConcept c) => c.Text is not null;
        return
        [
            .. One<Coding>("a wrong display under a required binding", true, (p, c) => p == "Condition.clinicalStatus.coding" && c.Display is not null, c => c.Display = "Not the display"),
            .. One<Coding>("a wrong display of a bonemet code", false, (p, c) => p == "Observation.code.coding" && c.System == "https://bonemetrt.org/fhir/CodeSystem/bonemet", c => c.Display = "Not the display"),
            .. One<Coding>("another display where it is free", false, (p, c) => FreeDisplayAt(p) && c.Display is not null, c => c.Display = "Not the display"),
            .. One<Coding>("an empty display", true, (p, c) => FreeDisplayAt(p) && c.Display is not null, c => c.Display = ""),
            .. One<Coding>("a control character in a display", true, (p, c) => FreeDisplayAt(p) && c.Display is not null, c => c.Display = "a\u0001b"),
            .. One<Coding>("another code and system where they are free", false, (p, c) => FreeCodeAt(p) && c.Code is not null, c => (c.Code, c.System) = ("LOCAL-42", "http://example.org/fhir/CodeSystem/sites")),
            .. One<Coding>("a code where none was", false, (p, c) => FreeCodeAt(p) && c.Code is null, c => c.Code = "new-code"),
            .. One<Coding>("a code with two spaces", true, (p, c) => FreeCodeAt(p) && c.Code is not null, c => c.Code = "a  b"),
            .. One<Coding>("a code with a leading space", true, (p, c) => FreeCodeAt(p) && c.Code is not null, c => c.Code = " ab"),
            .. One<Coding>("a code with a trailing space", true, (p, c) => FreeCodeAt(p) && c.Code is not null, c => c.Code = "ab "),
            .. One<Coding>("an empty code", true, (p, c) => FreeCodeAt(p) && c.Code is not null, c => c.Code = ""),
            .. One<Coding>("a code with a tab between words", false, (p, c) => FreeCodeAt(p) && c.Code is not null, c => c.Code = "a\tb"),
            .. One<Coding>("a system with a space", true, (p, c) => FreeCodeAt(p) && c.System is not null, c => c.System = "http://example.org/a b"),
            .. One<Coding>("an empty system", true, (p, c) => FreeCodeAt(p) && c.System is not null, c => c.System = ""),
            .. One<Coding>("a system equal to a fullUrl", true, (p, c) => FreeCodeAt(p) && c.System is not null, c => c.System = bundle.Entry.Select(e => e.FullUrl).First(u => u is not null)),
            .. One<Coding>("a system that is a urn:uuid", true, (p, c) => FreeCodeAt(p) && c.System is not null, c => c.System = "urn:uuid:" + Uuid2),
            .. One<Coding>("a code at a required-bound place", true, (p, c) => p == "Condition.clinicalStatus.coding" && c.Code is not null, c => c.Code = "not-a-status"),
            .. One<Coding>("a system at a required-bound place", true, (p, c) => p == "Condition.clinicalStatus.coding" && c.System is not null, c => c.System = "http://example.org/fhir/CodeSystem/status"),
            .. One<Coding>("a code of Observation.code", true, (p, c) => p == "Observation.code.coding" && c.Code is not null, c => c.Code = "other-code"),
            .. One<CodeableConcept>("a text on a bonemet code (a pattern)", false, (p, c) => p == "Observation.code" && c.Coding.Any(x => x.System == "https://bonemetrt.org/fhir/CodeSystem/bonemet"), c => c.Text = "free words"),
            .. One<CodeableConcept>("a text over the string limit", true, HasText, c => c.Text = new string('t', ValidationShapeRules.MaxStringLength + 1)),
            .. One<CodeableConcept>("a text of the string limit", false, HasText, c => c.Text = new string('t', ValidationShapeRules.MaxStringLength)),
            .. One<CodeableConcept>("a control character in a text", true, HasText, c => c.Text = "Bone\u0001metastasis"),
            .. One<CodeableConcept>("an empty text", true, HasText, c => c.Text = ""),
            .. One<CodeableConcept>("a whitespace-only text", false, HasText, c => c.Text = "   "),
            .. One<CodeableConcept>("a text with a line break and a tab", false, HasText, c => c.Text = "Right rib\n\tlateral arc"),
            .. One<Annotation>("a control character in a note", true, (_, a) => a.Text is not null, a => a.Text = "a\u0002b"),
            .. One<Annotation>("an empty note", true, (_, a) => a.Text is not null, a => a.Text = ""),
            .. One<Quantity>("a quantity over a profile's bound", false, (p, _) => p == "Observation.value", q => q.Value = 1000m),
            .. One<Quantity>("a negative quantity", false, (p, _) => p == "Observation.value", q => q.Value = -1m),
        ];
    }

    /// <summary>
    /// The Bundle with RESTful identities: each fullUrl http://example.org/fhir/Type/id, each reference to an entry
    /// written Type/id, resolved by Firely against the fullUrl's base.
    /// </summary>
    private static Bundle Restful(Bundle bundle)
    {
        var json = FhirSerialization.ToText(bundle, FhirFormat.Json, pretty: false);
        foreach (var entry in bundle.Entry.Where(e => e.FullUrl is not null && e.Resource?.Id is not null))
        {
            var type = entry.Resource!.TypeName;
            json = json.Replace($"\"fullUrl\":\"{entry.FullUrl}\"", $"\"fullUrl\":\"http://example.org/fhir/{type}/{entry.Resource.Id}\"", StringComparison.Ordinal)
                .Replace($"\"reference\":\"{entry.FullUrl}\"", $"\"reference\":\"{type}/{entry.Resource.Id}\"", StringComparison.Ordinal);
        }

        return Parse(JsonNode.Parse(json)!);
    }

    /// <summary>The remade Bundle broken where a shape could hide a difference, each way separately.</summary>
    private static IEnumerable<(string How, Bundle Bundle)> Broken(Bundle bundle)
    {
        var json = JsonNode.Parse(FhirSerialization.ToText(bundle, FhirFormat.Json, pretty: false))!;
        var entries = json["entry"]?.AsArray() ?? [];
        var urls = entries.Select(e => (string?)e?["fullUrl"]).ToList();
        var references = json.ToJsonString();

        JsonNode Copy() => JsonNode.Parse(json.ToJsonString())!;

        // Every reference, in turn, pointed at each other entry's fullUrl, and at none.
        var firstReference = Regex.Match(references, "\"reference\":\"((?:urn:uuid:|[A-Z][A-Za-z]+/)[^\"]+)\"");
        if (firstReference.Success)
        {
            var target = firstReference.Groups[1].Value;
            var relative = !target.StartsWith("urn:uuid:", StringComparison.Ordinal);
            foreach (var other in urls.Where(u => u is not null).Select(u => relative ? string.Join('/', u!.Split('/')[^2..]) : u).Where(u => u != target).Distinct().Take(3))
            {
                yield return ($"a reference moved to {other}", Parse(JsonNode.Parse(ReplaceFirst(references, $"\"reference\":\"{target}\"", $"\"reference\":\"{other}\""))!));
            }

            yield return ("a dangling reference", Parse(JsonNode.Parse(ReplaceFirst(references, $"\"reference\":\"{target}\"", relative ? "\"reference\":\"Patient/nowhere\"" : "\"reference\":\"urn:uuid:99999999-0000-4000-8000-000000000999\""))!));
        }

        if (entries.Count >= 2 && urls[0] is not null)
        {
            var copy = Copy();
            copy["entry"]![1]!["fullUrl"] = urls[0];
            yield return ("two entries with one fullUrl", Parse(copy));
        }

        if (entries.Count >= 2)
        {
            var copy = Copy();
            copy["entry"]![1]!["resource"]!["id"] = (string?)copy["entry"]![0]!["resource"]!["id"];
            yield return ("two resources with one id", Parse(copy));
            copy = Copy();
            copy["entry"]![0]!["resource"]!.AsObject().Remove("id");
            yield return ("a resource without id", Parse(copy));
        }
    }

    private static string ReplaceFirst(string text, string what, string with)
    {
        var at = text.IndexOf(what, StringComparison.Ordinal);
        return at < 0 ? text : text[..at] + with + text[(at + what.Length)..];
    }

    private static Bundle Parse(JsonNode node)
    {
        var parsed = FhirSerialization.Parse(System.Text.Encoding.UTF8.GetBytes(node.ToJsonString()), FhirFormat.Json);
        Assert.True(parsed.IsSuccess, string.Join("; ", parsed.Issues.Select(i => i.Text.En)));
        return (Bundle)parsed.Value;
    }
}
