using System.Collections.Concurrent;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using BoneMetRT.Domain;
using BoneMetRT.Domain.Facts;
using Firely.Fhir.Validation;
using Firely.Fhir.Validation.Compilation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using static BoneMetRT.Fhir.CodeSystems;

namespace BoneMetRT.Fhir.Validation;

/// <summary>
/// Validation against the FHIR R4 base specification and BoneMetRT's profiles (fhir-profiles/, embedded in this
/// assembly). Thread-safe: Firely's <see cref="Validator"/> is not, so validators are pooled; the resolver is cached
/// and shared, as is the terminology service (given the cached resolver, which keeps warm validation fast). The
/// compiled schemas (StructureDefinition → ElementSchema, the costly step) are cached once for all the pooled
/// validators, and their terminology bindings remember the coded values already found valid
/// (<see cref="CachingBindingValidator"/>).
/// </summary>
public sealed class FhirValidation
{
    private static readonly Lazy<FhirValidation> Shared = new(() =>
    {
        StartupTimeline.Process.Mark("validation: building the service");
        var source = PackageSource();
        StartupTimeline.Process.Mark($"validation: package indexed ({source.Entries.Count()} resources)");
        var validation = new FhirValidation(new Lazy<IReadOnlyList<Resource>>(LoadPackage), source, new CoreDefinitions(CoreSpecification));
        StartupTimeline.Process.Mark("validation: service built");
        return validation;
    });

    private readonly Lazy<IReadOnlyList<Resource>> _package;
    private readonly LazyConformanceSource? _packageSource;
    private readonly IAsyncResourceResolver _resolver;
    private readonly IAsyncResourceResolver _local;
    private readonly IAsyncResourceResolver _core;
    private readonly ValidationSettings _settings;
    private readonly LocalTerminologyService _terminology;
#pragma warning disable ExperimentalApi // Firely marks its schema resolvers experimental; they are what Validator uses inside.
    private readonly IElementSchemaResolver _schemas;
#pragma warning restore ExperimentalApi
    private readonly ConcurrentBag<Validator> _pool = [];

    /// <summary>Builds a validation service over the given conformance resources plus the core specification.</summary>
    /// <param name="package">BoneMetRT's conformance resources.</param>
    /// <param name="core">Source of the core specification's definitions; by default specification.zip, extracted by <see cref="CoreSpecification"/>.</param>
    public FhirValidation(IReadOnlyList<Resource> package, IAsyncResourceResolver? core = null)
        // The validator gets copies: Firely's terminology service writes the expansions it computes into the ValueSet it
        // resolved, and the package is also what the service serves, which must stay as shipped.
        : this(new Lazy<IReadOnlyList<Resource>>(package), new InMemoryResourceResolver(package.Select(r => (Resource)r.DeepCopy())), core)
    {
    }

    // The embedded package (Default) is not parsed here: the validator's resolver parses a resource of it the first time a
    // validation asks for it, into objects of its own (so the expansions Firely writes into them never reach what the
    // service serves), and Package is parsed the first time something asks for it (the conformance endpoints). Start-up
    // used to parse the whole package here, on the thread that starts the host, before it could listen.
    private FhirValidation(Lazy<IReadOnlyList<Resource>> package, IAsyncResourceResolver local, IAsyncResourceResolver? core)
    {
        _package = package;
        _packageSource = local as LazyConformanceSource;
        _local = local;
        _core = core ?? CoreSpecification();
        _resolver = new CachedResolver(new MultiResolver(_local, _core));
        _terminology = new LocalTerminologyService(_resolver);
        _settings = new ValidationSettings { SelectValidationProfiles = (_, profiles, _, _) => KnownProfiles(profiles) };
#pragma warning disable ExperimentalApi
        _shapeRules = new(() => new ValidationShapeRules(PrimitiveRegex, IsKnownProfile));
        _schemas = new SerializedSchemaResolver(StructureDefinitionToElementSchemaResolver.CreatedCached(_resolver, [new CachingBindingBuilders(_resolver, Invariants)]));
#pragma warning restore ExperimentalApi
    }

    /// <summary>
    /// The FHIR R4 core definitions (specification.zip), extracted once per content into a directory of their own.
    /// Firely's <see cref="ZipSource"/> extracts into one temp directory shared by every process of the machine and
    /// deletes and re-extracts it whenever one process finds it stale or still empty, so that concurrent processes (two
    /// services, the CLI, test runs) read half-extracted files and validation fails ("Could not find file
    /// profiles-resources.xml"). Here the directory is named by the zip's hash and appears complete or not at all: each
    /// process extracts into a staging directory and renames it into place, the first one to do so wins.
    /// </summary>
    internal static DirectorySource CoreSpecification()
    {
        var zip = Path.Combine(DirectorySource.SpecificationDirectory, ZipSource.SpecificationZipFileName);
        string hash;
        using (var stream = File.OpenRead(zip))
        {
            hash = Convert.ToHexString(SHA256.HashData(stream))[..16];
        }

        var directory = Path.Combine(Path.GetTempPath(), $"bonemetrt-fhir-r4-core-{hash}");
        if (!Directory.Exists(directory))
        {
            var staging = $"{directory}.{Environment.ProcessId}.{Guid.NewGuid():N}";
            ZipFile.ExtractToDirectory(zip, staging);
            try
            {
                Directory.Move(staging, directory);
            }
            catch (IOException) when (Directory.Exists(directory))
            {
                Directory.Delete(staging, recursive: true); // another process was first
            }
        }

        // What ZipSource does once extracted.
        return new DirectorySource(directory, DirectorySourceSettings.CreateDefault());
    }

    /// <summary>
    /// The C# shortcuts of the core FHIRPath invariants (<see cref="FastInvariants"/>): on by default; off, every
    /// invariant runs as FHIRPath. Either way the same issues are reported.
    /// </summary>
    public FastInvariants Invariants { get; } = new();

    /// <summary>
    /// Whether the core FHIRPath invariants that have a C# shortcut are answered by it when it can tell they hold
    /// (<see cref="FastInvariants"/>); default true. It never changes what is reported, only how fast.
    /// </summary>
    public bool UseFastInvariants
    {
        get => Invariants.Enabled;
        set => Invariants.Enabled = value;
    }

    /// <summary>How many times each core invariant (by key) was answered by its C# shortcut.</summary>
    public IReadOnlyDictionary<string, long> FastInvariantStatistics => Invariants.Taken;

    /// <summary>The process-wide instance over the embedded package.</summary>
    public static FhirValidation Default => Shared.Value;

    /// <summary>The conformance resources of BoneMetRT's package (fhir-profiles/), parsed the first time they are asked for.</summary>
    public IReadOnlyList<Resource> Package => _package.Value;

    private readonly Lock _warmUpLock = new();
    private Task? _warmUp;
    private Task? _warmUpAll;
    private int _waitingForWarmUp;
    private volatile bool _sampleSkipped;
    private readonly TaskCompletionSource _waitedValidationDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [ThreadStatic]
    private static bool t_warmingUp;

    /// <summary>
    /// Starts warming up in the background, once. First the schemas that every request needs (Bundle, Patient,
    /// Condition, Observation) and <paramref name="more"/> (a sample request): validations asked for meanwhile wait
    /// for this part rather than compiling the same schemas a second time. Then, without holding anyone up, the
    /// schemas of the other input profiles and of Procedure. Failures are swallowed: warming up only saves time.
    /// The task returned completes when both parts are done.
    /// </summary>
    /// <remarks>
    /// When a validation is already waiting once the schemas are compiled, <paramref name="more"/> is skipped: that
    /// request warms the same paths itself, instead of waiting for the sample to do it first; and the second part
    /// starts once all that request's validation runs are done, rather than competing with it (cold start,
    /// bench/BENCHMARKS.md). The task returned (readiness, <c>/ready</c>) then completes after that request's
    /// validation too, at most 10 s later.
    /// </remarks>
    public Task BeginWarmUp(Action? more = null)
    {
        lock (_warmUpLock)
        {
            if (_warmUpAll is null)
            {
                StartupTimeline.Process.Mark("warm-up: validation started");
                _warmUp = Task.Run(() => Warm(["Bundle", "Patient", "Condition", "Observation"], more));
                // The second part waits for the request the sample was skipped for, if any, so as not to take the CPU
                // and the schema lock from it (at most 10 s: it only ever saves time).
                _warmUpAll = _warmUp
                    .ContinueWith(_ => _sampleSkipped ? _waitedValidationDone.Task.WaitAsync(TimeSpan.FromSeconds(10)) : Task.CompletedTask, System.Threading.Tasks.TaskScheduler.Default)
                    .Unwrap()
                    .ContinueWith(
                        waited =>
                        {
                            _ = waited.Exception; // a wait that timed out is observed here, not reported by the finalizer
                            Warm(["Procedure", .. InputProfiles()], null);
                        },
                        System.Threading.Tasks.TaskScheduler.Default);
            }

            return _warmUpAll;
        }
    }

    private void Warm(IEnumerable<string> schemas, Action? more)
    {
        t_warmingUp = true;
        try
        {
#pragma warning disable ExperimentalApi
            foreach (var schema in schemas)
            {
                _schemas.GetSchema(new Firely.Fhir.Validation.Canonical(schema.Contains(':', StringComparison.Ordinal) ? schema : "http://hl7.org/fhir/StructureDefinition/" + schema));
                StartupTimeline.Process.Mark($"warm-up: schema {schema} compiled");
            }
#pragma warning restore ExperimentalApi
            if (more is null)
            {
                StartupTimeline.Process.Mark("warm-up: schemas done");
            }
            else if (Volatile.Read(ref _waitingForWarmUp) > 0)
            {
                _sampleSkipped = true;
                StartupTimeline.Process.Mark("warm-up: schemas done, sample request skipped (a request is waiting)");
            }
            else
            {
                more();
                StartupTimeline.Process.Mark("warm-up: schemas and sample request done");
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A failed warm-up leaves the caches to fill on first use, as without warm-up.
        }
        finally
        {
            t_warmingUp = false;
        }
    }

    // The package's Observation profiles, read from its JSON when it is the embedded package, without parsing the rest.
    private IEnumerable<string> InputProfiles() =>
        _packageSource is { } source
            ? source.Entries.Where(IsInputProfile).Select(e => e.Url!)
            : Package.OfType<StructureDefinition>()
                .Where(sd => sd.Type == "Observation" && sd.Kind == StructureDefinition.StructureDefinitionKind.Resource && sd.Url is not null)
                .Select(sd => sd.Url!);

    private static bool IsInputProfile(LazyConformanceSource.Entry e) =>
        e is { ResourceType: "StructureDefinition", Type: "Observation", Kind: "resource", Url: not null };

    /// <summary>Validates a resource against the base spec, its declared profiles and <paramref name="profile"/>.</summary>
    public OperationOutcome Validate(Resource resource, string? profile = null)
    {
        var waited = false;
        if (_warmUp is { IsCompleted: false } warming && !t_warmingUp)
        {
            // Counted, so that the warm-up skips its sample request for this one (see BeginWarmUp).
            Interlocked.Increment(ref _waitingForWarmUp);
            try
            {
                warming.Wait();
            }
            finally
            {
                Interlocked.Decrement(ref _waitingForWarmUp);
                waited = true;
            }
        }

        if (!_pool.TryTake(out var validator))
        {
            validator = new Validator(_resolver, _terminology, settings: _settings, schemaResolver: _schemas);
        }

        try
        {
            return validator.Validate(resource, profile);
        }
        finally
        {
            _pool.Add(validator);
            if (waited)
            {
                // The rest of the warm-up may go on (see BeginWarmUp) once this validation is done, or, within
                // ValidateInput, once all of the request's runs are: its profile runs would otherwise wait for the
                // schemas of every other profile and of Procedure, compiled meanwhile under the schema lock.
                if (t_inputDepth > 0)
                {
                    t_waited = true;
                }
                else
                {
                    _waitedValidationDone.TrySetResult();
                }
            }
        }
    }

    private readonly ConcurrentDictionary<string, bool> _profiles = new(StringComparer.Ordinal);

    // Answers remembered for declared profiles: every known one fits (the core specification and the package hold
    // fewer), and beyond the bound a caller sending ever new unknown urls costs a lookup each, never memory.
    private const int MaxRememberedProfiles = 4096;

    /// <summary>
    /// Whether a profile declared in <c>meta.profile</c> names a StructureDefinition of the FHIR R4 core specification
    /// or of the package, looked up as Firely's schema resolver looks it up (url and version, without anchor).
    /// </summary>
    /// <remarks>
    /// Firely reports a declared profile it cannot find as an error ("Unable to resolve reference to profile"), so a
    /// record declaring profiles of its own (US Core, a national profile) was refused with a 422, while FHIR lets a
    /// validator leave unknown profiles aside and HL7's reference validator warns about them. Such profiles are now
    /// left out of what Firely validates against (<see cref="ValidationSettings.SelectValidationProfiles"/>) and
    /// reported as warnings (<see cref="UncheckedProfiles"/>); a known profile, core or BoneMetRT, is validated against
    /// as before. Leaving them out also keeps them from Firely's schema cache, which remembers every url asked for.
    /// </remarks>
    public bool IsKnownProfile(string canonical) => IsKnownProfile(new Firely.Fhir.Validation.Canonical(canonical));

    // Firely's schema resolver also answers the FHIRPath system types (http://hl7.org/fhirpath/System.String, …)
    // without any StructureDefinition: such a declared profile is known, and validated against as before.
#pragma warning disable ExperimentalApi
    private static readonly SystemNamespaceElementSchemaResolver SystemTypes = new();
#pragma warning restore ExperimentalApi

    private Firely.Fhir.Validation.Canonical[] KnownProfiles(Firely.Fhir.Validation.Canonical[] profiles)
    {
        List<Firely.Fhir.Validation.Canonical>? known = null; // made only when one is left out
        for (var i = 0; i < profiles.Length; i++)
        {
            if (!IsKnownProfile(profiles[i]))
            {
                known ??= [.. profiles[..i]];
            }
            else
            {
                known?.Add(profiles[i]);
            }
        }

        return known is null ? profiles : [.. known];
    }

    private bool IsKnownProfile(Firely.Fhir.Validation.Canonical canonical)
    {
        if (canonical.Uri is null)
        {
            return true; // a local anchor ("#x"): Firely reports it as it did
        }

        var withoutAnchor = new Firely.Fhir.Validation.Canonical(canonical.Uri, canonical.Version, null);
        var key = (string)withoutAnchor;
        if (_profiles.TryGetValue(key, out var known))
        {
            return known;
        }

#pragma warning disable ExperimentalApi
        if (SystemTypes.GetSchema(withoutAnchor) is not null)
#pragma warning restore ExperimentalApi
        {
            return true;
        }

        try
        {
            // As the validator's MultiResolver answers (the package, then the core: the first that holds the canonical),
            // without its cache, which would keep every url; the core's list answers for urls it holds no definition of.
            var found = _local.TryResolveByCanonicalUriAsync(key).GetAwaiter().GetResult();
            if (!found.Success && (_core is not CoreDefinitions definitions || definitions.HoldsStructureDefinition(canonical.Uri)))
            {
                found = _core.TryResolveByCanonicalUriAsync(key).GetAwaiter().GetResult();
            }

            known = found is { Success: true, Value: StructureDefinition };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            known = true; // Firely meets the same failure and reports it, as it did
        }

        if (_profiles.Count < MaxRememberedProfiles)
        {
            _profiles.TryAdd(key, known);
        }

        return known;
    }

    /// <summary>
    /// A warning for every profile declared in <c>meta.profile</c> of <paramref name="root"/> or of a resource in it
    /// (the places R4 holds resources: Bundle entries and their response outcomes, Parameters' resources and parts,
    /// contained resources; at any depth) that this instance does not know
    /// (<see cref="IsKnownProfile(string)"/>), and so did not validate against; expressions rooted at
    /// <paramref name="prefix"/>. Empty when every declared profile is known.
    /// </summary>
    public IReadOnlyList<Issue> UncheckedProfiles(Resource root, string prefix)
    {
        List<Issue>? issues = null;
        Visit(root, prefix);
        return issues ?? [];

        void Visit(Resource resource, string at)
        {
            if (resource.Meta?.ProfileElement is { Count: > 0 } profiles)
            {
                for (var j = 0; j < profiles.Count; j++)
                {
                    if (profiles[j].JsonValue is string profile && !IsKnownProfile(profile))
                    {
                        (issues ??= []).Add(new Issue(OperationOutcome.IssueSeverity.Warning, OperationOutcome.IssueType.NotSupported,
                            new LocalizedText(
                                $"Declares the profile {profile}, which this service does not know (neither FHIR R4 nor the BoneMetRT package holds it, at that version when one is given): the resource was validated against FHIR R4 and the BoneMetRT input profiles, not against that profile.",
                                $"Déclare le profil {profile}, que ce service ne connaît pas (ni FHIR R4 ni le paquet BoneMetRT ne le contiennent, dans cette version si elle est donnée) : la ressource a été validée selon FHIR R4 et les profils d'entrée BoneMetRT, pas selon ce profil."),
                            "profile-not-checked", [$"{at}.meta.profile[{j}]"]));
                    }
                }
            }

            switch (resource)
            {
                case Bundle bundle:
                    for (var i = 0; i < bundle.Entry.Count; i++)
                    {
                        if (bundle.Entry[i].Resource is { } entry)
                        {
                            Visit(entry, $"{at}.entry[{i}].resource");
                        }

                        if (bundle.Entry[i].Response?.Outcome is { } outcome)
                        {
                            Visit(outcome, $"{at}.entry[{i}].response.outcome");
                        }
                    }

                    break;
                case Parameters parameters:
                    Parts(parameters.Parameter, $"{at}.parameter");
                    break;
                case DomainResource domain:
                    for (var k = 0; k < domain.Contained.Count; k++)
                    {
                        Visit(domain.Contained[k], $"{at}.contained[{k}]");
                    }

                    break;
            }
        }

        void Parts(List<Parameters.ParameterComponent> parts, string at)
        {
            for (var i = 0; i < parts.Count; i++)
            {
                if (parts[i].Resource is { } inner)
                {
                    Visit(inner, $"{at}[{i}].resource");
                }

                Parts(parts[i].Part, $"{at}[{i}].part");
            }
        }
    }

    [ThreadStatic]
    private static int t_inputDepth;

    [ThreadStatic]
    private static bool t_waited;

    /// <summary>
    /// Validates the input Bundle: the Bundle against the base spec, and every explicit bonemet Observation against
    /// its input profile. Returns the errors only, with expressions rooted at <paramref name="prefix"/>.
    /// </summary>
    /// <remarks>
    /// With the result cache on (<see cref="ResultCacheSize"/>), each of these validation runs is looked up by content
    /// first: the Bundle's run by the Bundle's JSON, each Observation's run by the Observation's JSON and its profile.
    /// The cache keeps Firely's errors as Firely located them (rooted at <c>Bundle</c> or <c>Observation</c>); they
    /// are rebased onto <paramref name="prefix"/> and the entry's position afterwards, exactly as an uncached run is,
    /// so the answer is the same whether a run came from the cache or not. The Bundle's run is cached whole rather
    /// than per entry because Firely validates an entry in the Bundle's context (references resolved to other entries
    /// and validated against their target profiles, Bundle invariants over the entries): an entry's errors there are
    /// not a function of the entry alone. A standalone Observation's run is (its references resolve to nothing).
    /// <paramref name="contentHashes"/>, when the caller has them (the SHA-256 of the compact JSON of the Bundle and of
    /// its resources, as <see cref="FhirSerialization.JsonSha256Within"/> gives them), are looked up before the shape,
    /// and a shape's answer is remembered under them too: content seen before then costs no walk at all.
    /// </remarks>
    public IReadOnlyList<Issue> ValidateInput(Bundle bundle, string prefix, IReadOnlyDictionary<Resource, byte[]>? contentHashes = null)
    {
        var issues = new List<Issue>();
        t_inputDepth++;
        try
        {
            issues.AddRange(Rebased(RunCached(bundle, null, contentHashes?.GetValueOrDefault(bundle)), "Bundle", prefix));
            for (var i = 0; i < bundle.Entry.Count; i++)
            {
                if (bundle.Entry[i].Resource is Observation o && InputProfile(o) is { } profile)
                {
                    issues.AddRange(Rebased(RunCached(o, profile, contentHashes?.GetValueOrDefault(o)), "Observation", $"{prefix}.entry[{i}].resource"));
                }
            }
        }
        finally
        {
            if (--t_inputDepth == 0 && t_waited)
            {
                t_waited = false;
                _waitedValidationDone.TrySetResult(); // see Validate
            }
        }

        return issues.DistinctBy(i => (i.Text.En, string.Join('|', i.Expressions))).ToList();
    }

    /// <summary>
    /// Bound of the cache of validation results used by <see cref="ValidateInput"/>: one unit per cached run plus one
    /// per error it found; 0 turns the cache off. Setting it starts a new, empty cache. Default
    /// <see cref="DefaultResultCacheSize"/>.
    /// </summary>
    public int ResultCacheSize
    {
        get => _results?.Capacity ?? 0;
        set => _results = value > 0 ? new ValidationResultCache(value) : null;
    }

    /// <summary>
    /// Default of <see cref="ResultCacheSize"/>. An entry without errors holds a key of 65 to about 140 characters
    /// (hash and profile) and a shared empty list, about 0.4 KB with its dictionary and list nodes (an estimate, not a
    /// measurement), so a full cache of valid runs takes about 8 MB: small beside the 300 MB budget.
    /// </summary>
    public const int DefaultResultCacheSize = 20_000;

    private volatile ValidationResultCache? _results = new(DefaultResultCacheSize);

    /// <summary>Lookups of the result cache that found a result and that did not, since it was last (re)started.</summary>
    public (long Hits, long Misses) ResultCacheStatistics => _results is { } c ? (c.Hits, c.Misses) : (0, 0);

    private IReadOnlyList<RawError> RunCached(Resource resource, string? profile, byte[]? contentHash)
    {
        if (_results is not { } cache)
        {
            return RawErrors(Validate(resource, profile));
        }

        // The key of the exact content: the SHA-256 of its compact JSON, then the profile after a separator no hex digit
        // uses. When the caller hashed the content already ($assess hashes the request once, for the answer's ids too), a
        // resource seen before costs a lookup.
        var key = contentHash is null ? null : Convert.ToHexString(contentHash) + "|" + profile;
        if (key is not null && cache.TryGet(key) is { } seen)
        {
            return seen;
        }

        // A shape validated before without error answers "no error" at the cost of walking the resource once
        // (ValidationShape: the same errors whenever one of two resources of a shape has none). Otherwise the exact
        // content is looked up, then validated.
        string? shapeKey = null;
        if (UseShapeCache && ValidationShape.Of(resource, ShapeRules, profiled: profile is not null) is { } shape)
        {
            shapeKey = "shape:" + Convert.ToHexString(shape) + "|" + profile;
            if (cache.TryGet(shapeKey) is { } known)
            {
                Interlocked.Increment(ref _shapeHits);
                if (key is not null)
                {
                    cache.Add(key, known); // the next time this very content comes, it costs the lookup above
                }

                return known;
            }
        }

        // The JSON is hashed as it is written, never held whole.
        key ??= Convert.ToHexString(FhirSerialization.JsonSha256(resource)) + "|" + profile;
        var errors = cache.GetOrAdd(key, () => RawErrors(Validate(resource, profile)));
        if (shapeKey is not null && errors.Count == 0)
        {
            cache.GetOrAdd(shapeKey, () => errors);
        }

        return errors;
    }

    /// <summary>
    /// Whether <see cref="ValidateInput"/> answers "no error" for a resource whose shape (<see cref="ValidationShape"/>:
    /// the resource without its identifiers and a few free values, each checked) was validated before without error;
    /// default true. It needs the result cache (<see cref="ResultCacheSize"/> above 0), whose entries it shares, and
    /// never changes what is reported, only how fast.
    /// </summary>
    public bool UseShapeCache { get; set; } = true;

    /// <summary>How many validation runs the shape cache answered.</summary>
    public long ShapeCacheHits => Interlocked.Read(ref _shapeHits);

    private long _shapeHits;

    /// <summary>What <see cref="ValidationShape"/> leaves out and checks, over this instance's core definitions.</summary>
    public ValidationShapeRules ShapeRules => _shapeRules.Value;

#pragma warning disable ExperimentalApi
    /// <summary>The compiled schemas this instance validates with (what the shape tests read).</summary>
    public IElementSchemaResolver Schemas => _schemas;
#pragma warning restore ExperimentalApi

    private readonly Lazy<ValidationShapeRules> _shapeRules;

    // The regular expression of a FHIR primitive type, as Firely compiles it: the regex extension on "<type>.value" once
    // Firely's corrections are applied. Firely replaces the R4 string regex ([ \r\n\t\S]+, which lets control
    // characters through) by [\r\n\t\u0020-\uFFFF]*, and does so in place on the resolver's cached definition when it
    // first compiles the type: read from a corrected copy, the answer is Firely's whether or not it compiled it yet.
    private string? PrimitiveRegex(string type)
    {
        var sd = _resolver.FindStructureDefinitionAsync("http://hl7.org/fhir/StructureDefinition/" + type).GetAwaiter().GetResult();
        var corrected = ((StructureDefinition?)sd?.DeepCopy()).WithCorrections();
        return corrected?.Snapshot?.Element.FirstOrDefault(e => e.Path == type + ".value")?.Type.FirstOrDefault()
            ?.GetStringExtension("http://hl7.org/fhir/StructureDefinition/regex");
    }

    private static RawError[] RawErrors(OperationOutcome outcome)
    {
        var errors = outcome.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => new RawError(i.Details?.Text ?? i.Diagnostics ?? "invalid", i.Expression.Concat(i.Location).OfType<string>().ToArray()))
            .ToArray();
        return errors.Length == 0 ? [] : errors;
    }

    /// <summary>The input profile of an explicit bonemet Observation, by its code.</summary>
    public static string? InputProfile(Observation o)
    {
        var code = o.Code?.Coding.FirstOrDefault(c => c.System == BoneMet)?.Code;
        return code switch
        {
            null => null,
            ItemCodes.VisceralMetastases or ItemCodes.AnalgesicRefractoryPain or ItemCodes.NeuropathicPain or ItemCodes.EpiduralExtension or ItemCodes.LesionWellDefined or ItemCodes.SkinHealed
                => PackageCanonicals.Profile("bonemet-boolean-finding"),
            ItemCodes.MirelsSite or ItemCodes.MirelsSize or ItemCodes.LesionType or ItemCodes.MirelsPain or ItemCodes.CorticalLysisAxial or ItemCodes.CorticalLysisCircumferential
                or ItemCodes.PrimaryTumourType or ItemCodes.AmbulatoryStatus or ItemCodes.MotorDeficitDuration => PackageCanonicals.Profile("bonemet-" + code),
            _ => null,
        };
    }

    private static IEnumerable<Issue> Rebased(IReadOnlyList<RawError> errors, string root, string prefix) =>
        errors.Select(e =>
        {
            var where = e.Where.Select(w => Rebase(w, root, prefix)).Distinct().ToArray();
            return new Issue(OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueType.Invalid,
                new LocalizedText($"Violates the FHIR R4 specification or a BoneMetRT profile: {e.Text}",
                    $"Enfreint la spécification FHIR R4 ou un profil BoneMetRT : {e.Text}"), null, where);
        });

    private static string Rebase(string expression, string root, string prefix) =>
        expression.StartsWith(root, StringComparison.Ordinal) ? prefix + expression[root.Length..] : expression;

    /// <summary>Reads the conformance resources embedded from fhir-profiles/.</summary>
    public static IReadOnlyList<Resource> LoadPackage()
    {
        var list = new List<Resource>();
        foreach (var (fileName, json) in PackageJson())
        {
            var parsed = FhirSerialization.Parse(json.Span, FhirFormat.Json);
            if (!parsed.IsSuccess)
            {
                throw new InvalidOperationException($"fhir-profiles/{fileName} is not a valid FHIR resource: {string.Join("; ", parsed.Issues.Select(i => i.Text.En))}");
            }

            list.Add(parsed.Value);
        }

        return list;
    }

    /// <summary>
    /// The conformance resources embedded from fhir-profiles/, as a resolver that parses each the first time a lookup
    /// asks for it (<see cref="LazyConformanceSource"/>); it answers as an <see cref="InMemoryResourceResolver"/> over
    /// <see cref="LoadPackage"/> would.
    /// </summary>
    public static LazyConformanceSource PackageSource() =>
        new(PackageJson().Select(f => LazyConformanceSource.Describe("fhir-profiles/" + f.FileName, f.Json)));

    // The package's top-level resources, in file-name order; package.json and .index.json are not resources.
    private static IEnumerable<(string FileName, ReadOnlyMemory<byte> Json)> PackageJson()
    {
        var assembly = typeof(FhirValidation).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("fhir-profiles/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var fileName = name["fhir-profiles/".Length..];
            if (fileName.Contains('/', StringComparison.Ordinal) || fileName.StartsWith('.') || fileName == "package.json")
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var ms = new MemoryStream();
            stream.CopyTo(ms);
            yield return (fileName, ms.ToArray());
        }
    }
}
