using System.Text.Json.Nodes;
using BoneMetRT.Domain;
using BoneMetRT.Fhir.Tests.Examples;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Tests.Validation;

/// <summary>
/// The result cache of <see cref="FhirValidation.ValidateInput"/> must not change a single OperationOutcome. Every
/// request of examples/valid and examples/invalid that parses, plus variants made from them (entries in reverse order,
/// so the same Observations sit at other positions; every Observation broken against the base spec and its profile;
/// the Bundle sent bare instead of in Parameters), is validated four ways and the OperationOutcomes compared as JSON:
/// the algorithm as it was before the cache (written out below from the public <see cref="FhirValidation.Validate"/>),
/// cache off, cache cold, cache warm, and a cache so small that it evicts all the time.
/// </summary>
public sealed class ValidationCacheTests
{
    // An instance of its own, so that other tests running at the same time neither warm nor reset its cache.
    private static readonly Lazy<FhirValidation> Validation = new(() => new FhirValidation(FhirValidation.LoadPackage(), new CoreDefinitions()));

    [Fact]
    public void Cache_off_cold_warm_and_evicting_give_the_outcomes_of_the_uncached_algorithm()
    {
        var validation = Validation.Value;
        var corpus = Corpus();
        Assert.True(corpus.Count >= 60, $"only {corpus.Count} inputs");

        var expected = corpus.Select(c => OutcomeText.Of(Legacy(validation, c.Bundle, c.Prefix))).ToList();
        Assert.Contains(expected, e => e.Contains("\"error\"", StringComparison.Ordinal)); // the corpus does exercise errors
        Assert.Contains(expected, e => !e.Contains("\"error\"", StringComparison.Ordinal));

        validation.ResultCacheSize = 0;
        AssertSame(expected, Run(validation, corpus), corpus, "cache off");

        validation.ResultCacheSize = FhirValidation.DefaultResultCacheSize;
        AssertSame(expected, Run(validation, corpus), corpus, "cache cold");
        var (_, coldMisses) = validation.ResultCacheStatistics;
        Assert.True(coldMisses > 0);

        AssertSame(expected, Run(validation, corpus), corpus, "cache warm");
        var (warmHits, warmMisses) = validation.ResultCacheStatistics;
        Assert.Equal(coldMisses, warmMisses); // the second pass found every run in the cache
        Assert.True(warmHits >= coldMisses);

        // As $assess calls it: with the hashes of the Bundle and its resources from one serialization of the request,
        // looked up before the shape; cold, then warm, where every run is a lookup by content, no shape walked.
        validation.ResultCacheSize = FhirValidation.DefaultResultCacheSize;
        AssertSame(expected, RunHashed(validation, corpus), corpus, "cache cold, by content hash");
        var shapeHits = validation.ShapeCacheHits;
        var (hashedHits, hashedMisses) = validation.ResultCacheStatistics;
        AssertSame(expected, RunHashed(validation, corpus), corpus, "cache warm, by content hash");
        Assert.Equal(shapeHits, validation.ShapeCacheHits);
        Assert.Equal(hashedMisses, validation.ResultCacheStatistics.Misses);
        Assert.True(validation.ResultCacheStatistics.Hits - hashedHits >= corpus.Count, "every Bundle seen before is found by its hash");

        validation.ResultCacheSize = 3;
        AssertSame(expected, Run(validation, corpus), corpus, "cache of 3 units, evicting");
        AssertSame(expected, RunHashed(validation, corpus), corpus, "cache of 3 units, by content hash");
        AssertSame(expected, Run(validation, corpus), corpus, "cache of 3 units, second pass");
        validation.ResultCacheSize = FhirValidation.DefaultResultCacheSize;
    }

    [Fact]
    public void An_observation_seen_before_is_rebased_onto_its_new_position()
    {
        var validation = Validation.Value;
        validation.ResultCacheSize = FhirValidation.DefaultResultCacheSize;
        var (bundle, _) = Bundles(Path.Combine(ExampleCatalog.InvalidFolder, "invalid-observation-value.json")).Single();
        var reversed = (Bundle)bundle.DeepCopy();
        reversed.Entry.Reverse();

        var first = validation.ValidateInput(bundle, "Bundle");
        var second = validation.ValidateInput(reversed, "Parameters.parameter[0].resource");

        Assert.NotEmpty(first);
        Assert.Equal(OutcomeText.Of(Legacy(validation, reversed, "Parameters.parameter[0].resource")), OutcomeText.Of(second));
        Assert.Contains(second, i => i.Expressions.Any(e => e.StartsWith($"Parameters.parameter[0].resource.entry[{bundle.Entry.Count - 1 - First(bundle)}].resource", StringComparison.Ordinal)));
    }

    private static int First(Bundle bundle) =>
        bundle.Entry.FindIndex(e => e.Resource is Observation o && FhirValidation.InputProfile(o) is not null);

    private static void AssertSame(List<string> expected, List<string> actual, List<(string Name, Bundle Bundle, string Prefix)> corpus, string how)
    {
        for (var i = 0; i < corpus.Count; i++)
        {
            Assert.True(expected[i] == actual[i], $"{how}: {corpus[i].Name} differs\nexpected {expected[i]}\nactual   {actual[i]}");
        }
    }

    private static List<string> Run(FhirValidation validation, List<(string Name, Bundle Bundle, string Prefix)> corpus) =>
        corpus.Select(c => OutcomeText.Of(validation.ValidateInput(c.Bundle, c.Prefix))).ToList();

    private static List<string> RunHashed(FhirValidation validation, List<(string Name, Bundle Bundle, string Prefix)> corpus) =>
        corpus.Select(c => OutcomeText.Of(validation.ValidateInput(c.Bundle, c.Prefix,
            FhirSerialization.JsonSha256Within(c.Bundle, [c.Bundle, .. c.Bundle.Entry.Select(e => e.Resource).OfType<Resource>()]).Parts))).ToList();

    /// <summary>
    /// ValidateInput as it was before the result cache (commit ed7bf79): the Bundle, then each bonemet Observation
    /// against its profile, errors only, rebased, deduplicated.
    /// </summary>
    private static List<Issue> Legacy(FhirValidation validation, Bundle bundle, string prefix)
    {
        var issues = new List<Issue>();
        issues.AddRange(LegacyErrors(validation.Validate(bundle), "Bundle", prefix));
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            if (bundle.Entry[i].Resource is Observation o && FhirValidation.InputProfile(o) is { } profile)
            {
                issues.AddRange(LegacyErrors(validation.Validate(o, profile), "Observation", $"{prefix}.entry[{i}].resource"));
            }
        }

        return issues.DistinctBy(i => (i.Text.En, string.Join('|', i.Expressions))).ToList();
    }

    private static IEnumerable<Issue> LegacyErrors(OperationOutcome outcome, string root, string prefix) =>
        outcome.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i =>
            {
                var text = i.Details?.Text ?? i.Diagnostics ?? "invalid";
                var where = i.Expression.Concat(i.Location).OfType<string>()
                    .Select(e => e.StartsWith(root, StringComparison.Ordinal) ? prefix + e[root.Length..] : e).Distinct().ToArray();
                return new Issue(OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueType.Invalid,
                    new LocalizedText($"Violates the FHIR R4 specification or a BoneMetRT profile: {text}",
                        $"Enfreint la spécification FHIR R4 ou un profil BoneMetRT : {text}"), null, where);
            });

    /// <summary>Every example that parses, and its variants, as the (Bundle, prefix) pairs that $assess validates.</summary>
    private static List<(string Name, Bundle Bundle, string Prefix)> Corpus()
    {
        var corpus = new List<(string, Bundle, string)>();
        foreach (var file in ExampleCatalog.Valid.Select(f => Path.Combine(ExampleCatalog.ValidFolder, f))
                     .Concat(ExampleCatalog.Invalid.Select(f => Path.Combine(ExampleCatalog.InvalidFolder, f))))
        {
            var name = Path.GetFileName(file);
            foreach (var (bundle, prefix) in Bundles(file))
            {
                corpus.Add((name, bundle, prefix));
                corpus.Add((name + " bare", bundle, "Bundle"));
                var reversed = (Bundle)bundle.DeepCopy();
                reversed.Entry.Reverse();
                corpus.Add((name + " reversed", reversed, prefix));
                if (Broken(bundle) is { } broken)
                {
                    corpus.Add((name + " broken", broken, prefix));
                }
            }
        }

        return corpus;
    }

    private static IEnumerable<(Bundle, string)> Bundles(string file)
    {
        switch (FhirSerialization.Parse(File.ReadAllBytes(file), FhirFormat.Json).Value)
        {
            case Bundle b:
                yield return (b, "Bundle");
                break;
            case Parameters p:
                for (var i = 0; i < p.Parameter.Count; i++)
                {
                    if (p.Parameter[i].Name == "data" && p.Parameter[i].Resource is Bundle data)
                    {
                        yield return (data, $"Parameters.parameter[{i}].resource");
                    }
                }

                break;
        }
    }

    /// <summary>
    /// The Bundle with every Observation made invalid in ways the parser does not check: its value replaced by a string
    /// (which no BoneMetRT input profile allows), a dataAbsentReason beside it (invariant obs-6 of the base spec), and
    /// its subject pointed at a Condition of the Bundle when there is one (a reference Firely resolves in the Bundle
    /// and finds of the wrong type). Null when there is no Observation.
    /// </summary>
    private static Bundle? Broken(Bundle bundle)
    {
        var json = JsonNode.Parse(FhirSerialization.ToText(bundle, FhirFormat.Json, pretty: false))!.AsObject();
        var changed = false;
        var condition = json["entry"]?.AsArray().FirstOrDefault(e => (string?)e?["resource"]?["resourceType"] == "Condition")?["fullUrl"]?.GetValue<string>();
        foreach (var entry in json["entry"]?.AsArray() ?? [])
        {
            if (entry?["resource"] is JsonObject r && (string?)r["resourceType"] == "Observation")
            {
                foreach (var key in r.Select(kv => kv.Key).Where(k => k.StartsWith("value", StringComparison.Ordinal)).ToList())
                {
                    r.Remove(key);
                }

                r["valueString"] = "maybe";
                r["dataAbsentReason"] = new JsonObject { ["text"] = "not asked" };
                if (condition is not null)
                {
                    r["subject"] = new JsonObject { ["reference"] = condition };
                }

                changed = true;
            }
        }

        if (!changed)
        {
            return null;
        }

        var parsed = FhirSerialization.Parse(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()), FhirFormat.Json);
        return parsed.Value as Bundle ?? throw new InvalidOperationException(string.Join("; ", parsed.Issues.Select(i => i.Text.En)));
    }
}
