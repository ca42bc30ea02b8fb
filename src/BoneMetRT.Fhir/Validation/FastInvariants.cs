#pragma warning disable ExperimentalApi // Firely's schema model (InvariantValidator, FhirPathValidator) is marked experimental.
using System.Collections.Concurrent;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace BoneMetRT.Fhir.Validation;

/// <summary>
/// C# shortcuts for the FHIR R4 core invariants that Firely evaluates as FHIRPath on every resource, Bundle entry and
/// reference of a request: about a third of a validation's CPU time and a quarter of its allocations on the examples
/// (bench/BENCHMARKS.md, "Validation (issue 13)"). Each shortcut is bound to one invariant by its key AND its exact FHIRPath
/// expression as Firely compiles it, so an invariant whose text differs (another FHIR version, a corrected expression in
/// a later Firely) keeps running as FHIRPath. A shortcut only ever says "this invariant certainly holds here"; it says
/// so only in the plain cases it reads directly off the POCO (an element absent, a literal compared), and whenever it
/// is unsure Firely evaluates the expression (<see cref="FastInvariantValidator"/>). So the issues reported are
/// Firely's, shortcut or not: <c>FastInvariantsTests</c> compares the outcomes with the shortcuts on and off over
/// every example and variants made to violate each of these invariants.
/// </summary>
/// <remarks>
/// Soundness rests on three facts of Firely's element model over the POCOs: a property that is null is not a node
/// (so <c>x.empty()</c> is true); a property that holds content (<see cref="NullExtensions.IsNullOrEmpty(Base)"/> is
/// false) is a node (so <c>x.exists()</c> is true); a primitive's FHIRPath value is its literal, compared with <c>=</c>
/// as ordinal strings. A primitive present without a value (extensions only) is never taken as a literal: the
/// shortcut then gives up.
/// </remarks>
public sealed class FastInvariants
{
    private const string ConditionVerStatus = "http://terminology.hl7.org/CodeSystem/condition-ver-status";

    private static readonly Shortcut[] All =
    [
        // DomainResource: all about contained resources, of which inputs almost never have any.
        new("dom-2", "contained.contained.empty()", n => n.Poco is DomainResource { Contained.Count: 0 }),
        new("dom-3", "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()",
            n => n.Poco is DomainResource { Contained.Count: 0 }),
        new("dom-4", "contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()", n => n.Poco is DomainResource { Contained.Count: 0 }),
        new("dom-5", "contained.meta.security.empty()", n => n.Poco is DomainResource { Contained.Count: 0 }),

        // Reference: a reference that is not local ('#…') satisfies ref-1 whatever the resource holds.
        new("ref-1", "reference.exists() implies (reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids')) or (reference='#' and %rootResource!=%resource))",
            n => n.Poco is ResourceReference r && (r.ReferenceElement is null || (Literal(r.ReferenceElement) is { } s && !s.StartsWith('#')))),
        new("ref-1", "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))",
            n => n.Poco is ResourceReference r && Literal(r.ReferenceElement) is { } s && !s.StartsWith('#')),

        // Observation.
        new("obs-6", "dataAbsentReason.empty() or value.empty()", n => n.Poco is Observation o && (o.DataAbsentReason is null || o.Value is null)),
        new("obs-7", "value.empty() or component.code.where(coding.intersect(%resource.code.coding).exists()).empty()",
            n => n.Poco is Observation o && (o.Value is null || o.Component.Count == 0)),

        // Condition.
        new("con-3", "clinicalStatus.exists() or verificationStatus.coding.where(system='http://terminology.hl7.org/CodeSystem/condition-ver-status' and code = 'entered-in-error').exists() or category.coding.where($this.code='problem-list-item').empty()",
            n => n.Poco is Condition c && !c.ClinicalStatus.IsNullOrEmpty()),
        new("con-4", "abatement.empty() or clinicalStatus.coding.where(system='http://terminology.hl7.org/CodeSystem/condition-clinical' and (code='resolved' or code='remission' or code='inactive')).exists()",
            n => n.Poco is Condition { Abatement: null }),
        new("con-5", "verificationStatus.coding.where(system='http://terminology.hl7.org/CodeSystem/condition-ver-status' and code='entered-in-error').empty() or clinicalStatus.empty()",
            n => n.Poco is Condition c && (c.ClinicalStatus is null || !HasCoding(c.VerificationStatus, ConditionVerStatus, "entered-in-error"))),

        // Bundle, for the Bundle types that need none of the parts these invariants are about.
        new("bdl-1", "total.empty() or (type = 'searchset') or (type = 'history')", n => n.Poco is Bundle { TotalElement: null }),
        new("bdl-2", "entry.search.empty() or (type = 'searchset')", n => n.Poco is Bundle b && b.Entry.All(e => e.Search is null)),
        new("bdl-3", "entry.all(request.exists() = (%resource.type = 'batch' or %resource.type = 'transaction' or %resource.type = 'history'))",
            n => n.Poco is Bundle b && IsOwnResource(n) && TypeIsNot(b, "batch", "transaction", "history") && b.Entry.All(e => e.Request is null)),
        new("bdl-3a", "type in ('document' | 'message' | 'searchset' | 'collection') implies entry.all(resource.exists() and request.empty() and response.empty())",
            n => n.Poco is Bundle b && b.Entry.All(e => e.Resource is not null && e.Request is null && e.Response is null)),
        new("bdl-3b", "type = 'history' implies entry.all(request.exists() and response.exists() and ((request.method in ('POST' | 'PATCH' | 'PUT')) = resource.exists()))",
            n => n.Poco is Bundle b && TypeIsNot(b, "history")),
        new("bdl-3c", "type in ('transaction' | 'batch') implies entry.all(request.method.exists() and ((request.method in ('POST' | 'PATCH' | 'PUT')) = resource.exists()))",
            n => n.Poco is Bundle b && TypeIsNot(b, "transaction", "batch")),
        new("bdl-3d", "type in ('transaction-response' | 'batch-response') implies entry.all(response.exists())",
            n => n.Poco is Bundle b && TypeIsNot(b, "transaction-response", "batch-response")),
        new("bdl-4", "entry.all(response.exists() = (%resource.type = 'batch-response' or %resource.type = 'transaction-response' or %resource.type = 'history'))",
            n => n.Poco is Bundle b && IsOwnResource(n) && TypeIsNot(b, "batch-response", "transaction-response", "history") && b.Entry.All(e => e.Response is null)),
        new("bdl-7", "(type = 'history') or entry.where(fullUrl.exists()).select(fullUrl&resource.meta.versionId).isDistinct()",
            n => n.Poco is Bundle b && FullUrlsDistinct(b)),
        new("bdl-9", "type = 'document' implies (identifier.system.exists() and identifier.value.exists())", n => n.Poco is Bundle b && TypeIsNot(b, "document")),
        new("bdl-10", "type = 'document' implies (timestamp.hasValue())", n => n.Poco is Bundle b && TypeIsNot(b, "document")),
        new("bdl-11", "type = 'document' implies entry.first().resource.is(Composition)", n => n.Poco is Bundle b && TypeIsNot(b, "document")),
        new("bdl-12", "type = 'message' implies entry.first().resource.is(MessageHeader)", n => n.Poco is Bundle b && TypeIsNot(b, "message")),
        new("bdl-15", "type='transaction' or type='transaction-response' or type='batch' or type='batch-response' or entry.all(fullUrl.exists() or request.method='POST')",
            n => n.Poco is Bundle b && b.Entry.All(e => Literal(e.FullUrlElement) is not null)),

        // Bundle.entry and Bundle.entry.fullUrl.
        new("bdl-5", "resource.exists() or request.exists() or response.exists()", n => n.Poco is Bundle.EntryComponent { Resource: not null }),
        new("bdl-8", "fullUrl.exists() implies fullUrl.contains('/_history/').not()",
            n => n.Poco is Bundle.EntryComponent e && (e.FullUrlElement is null || (Literal(e.FullUrlElement) is { } url && !url.Contains("/_history/", StringComparison.Ordinal)))),
    ];

    private static readonly Dictionary<(string Key, string Expression), Shortcut> ByInvariant = All.ToDictionary(s => (s.Key, s.Expression));

    private readonly ConcurrentDictionary<string, long> _taken = new(StringComparer.Ordinal);

    /// <summary>Whether the shortcuts are used; when false every invariant runs as Firely's FHIRPath. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The invariants that have a shortcut, as (key, FHIRPath expression).</summary>
    public static IEnumerable<(string Key, string Expression)> Covered => ByInvariant.Keys;

    /// <summary>How many times each invariant (by key) was answered by its shortcut, since this instance was made.</summary>
    public IReadOnlyDictionary<string, long> Taken => _taken;

    /// <summary>Firely's validator wrapped with its shortcut, or the validator itself when the invariant has none.</summary>
    internal IAssertion Wrap(IAssertion assertion) =>
        assertion is FhirPathValidator fp && ByInvariant.TryGetValue((fp.Key, fp.Expression), out var shortcut)
            ? new FastInvariantValidator(fp, this, shortcut)
            : assertion;

    /// <summary>Counts one use of the shortcut of <paramref name="key"/>.</summary>
    internal void Count(string key) => _taken.AddOrUpdate(key, 1, (_, n) => n + 1);

    /// <summary>An invariant (key and exact expression) and the test that it certainly holds on a node.</summary>
    internal sealed record Shortcut(string Key, string Expression, Func<PocoNode, bool> Holds);

    // The literal of a primitive that has one; null when absent or present without a value.
    private static string? Literal(PrimitiveType? p) => p?.JsonValue as string;

    // type = 'x' is false for each x only when the type has a literal value, and that literal is none of them.
    private static bool TypeIsNot(Bundle b, params string[] types) =>
        Literal(b.TypeElement) is { } type && !types.Contains(type, StringComparer.Ordinal);

    // %resource is the Bundle itself: certainly so when the Bundle is the root of the validation, as in $assess.
    private static bool IsOwnResource(PocoNode n) => n.Parent is null;

    private static bool HasCoding(CodeableConcept? concept, string system, string code) =>
        concept is not null && concept.Coding.Any(c => c is null || c.System is null || c.Code is null || (c.System == system && c.Code == code));

    // fullUrl & meta.versionId of the entries that have a fullUrl are distinct; unsure (false) if any part is present
    // without a value.
    private static bool FullUrlsDistinct(Bundle b)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in b.Entry)
        {
            if (e.FullUrlElement is null)
            {
                continue;
            }

            var url = Literal(e.FullUrlElement);
            var version = e.Resource?.Meta?.VersionIdElement;
            if (url is null || (version is not null && Literal(version) is null) || !seen.Add(url + Literal(version)))
            {
                return false;
            }
        }

        return true;
    }
}
