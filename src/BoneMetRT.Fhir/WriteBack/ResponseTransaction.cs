using BoneMetRT.Domain;
using BoneMetRT.Fhir.Denormalize;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.WriteBack;

/// <summary>
/// Turns an answer of <c>$assess</c> (a <c>collection</c>) into the FHIR R4 <c>transaction</c> a client sends to save
/// it (issue 10); the SMART app's write-back and the test that stores every example's answer use this one rule:
/// <list type="bullet">
/// <item>Outputs (score Observations, RiskAssessments, RequestGroups, ServiceRequests, the CarePlan, the engine's
/// Device) are POSTed as conditional creates on their business identifier (<c>ifNoneExist: identifier=…</c>), so
/// saving the same assessment twice creates nothing. Score Observations and RiskAssessments become
/// <c>preliminary</c> (a reviewed proposal, never a final result); requests and the CarePlan stay drafts (or on hold).</item>
/// <item>The Provenance is saved, with the clinician as <c>enterer</c> when known; it has no identifier in R4, so it
/// is a conditional create on a tag carrying the assessment's identifier.</item>
/// <item>Every issue of the OperationOutcome (missing, conflicting, ignored data, caveats) becomes a
/// <c>CarePlan.note</c> by the engine, in both languages: nothing the engine said is lost.</item>
/// <item>Input copies (tagged <c>bonemet#input</c>) that came from the target server are not sent: references to
/// them become its <c>Type/id</c>. Any other input (the caller's own, under a <c>urn:uuid</c> or another server's
/// URL) is sent as a conditional create on its first identifier, or, lacking one, on an identifier recording where it
/// came from (<c>urn:ietf:rfc:3986</c> and its original fullUrl) — never a PUT to a client-chosen id, which would
/// overwrite whatever the server holds under that id. It loses the tag: on the server it is a record, not a copy.</item>
/// </list>
/// Every entry has a <c>urn:uuid</c> fullUrl and every reference between entries uses it, so the server only needs the
/// usual placeholder rules. Ids of the answer are dropped (the server assigns its own).
/// </summary>
public static class ResponseTransaction
{
    /// <summary>System of the identifier that records where a saved input came from (its fullUrl is a URI).</summary>
    public const string OriginSystem = "urn:ietf:rfc:3986";

    /// <summary>The transaction that saves <paramref name="answer"/>.</summary>
    public static Bundle Build(Bundle answer, WriteBackRequest request)
    {
        var serverBase = request.ServerBase?.TrimEnd('/');
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<Bundle.EntryComponent>();
        var outcomes = new List<OperationOutcome>();
        Bundle.EntryComponent? provenance = null;
        CarePlan? plan = null;
        string? deviceUrl = null;

        foreach (var entry in answer.Entry)
        {
            if (entry.Resource is not { } original)
            {
                continue;
            }

            var resource = (Resource)original.DeepCopy();
            var fullUrl = entry.FullUrl ?? $"{resource.TypeName}/{resource.Id}";
            var isInput = resource.Meta?.Tag.Any(t => t.System == InputCopies.Tag.System && t.Code == InputCopies.Tag.Code) == true;
            if (isInput && serverBase is not null && fullUrl.StartsWith(serverBase + "/", StringComparison.Ordinal))
            {
                AddNames(renames, fullUrl, resource, fullUrl[(serverBase.Length + 1)..]);
                continue;
            }

            var placeholder = fullUrl.StartsWith("urn:uuid:", StringComparison.Ordinal) ? fullUrl : "urn:uuid:" + OutputIds.NameBased("origin\n" + fullUrl);
            AddNames(renames, fullUrl, resource, placeholder);
            resource.Id = null;
            switch (isInput ? null : resource)
            {
                case OperationOutcome oo:
                    outcomes.Add(oo);
                    continue;
                case Provenance p:
                    provenance = new Bundle.EntryComponent { FullUrl = placeholder, Resource = p };
                    continue;
                case CarePlan cp:
                    plan = cp;
                    break;
                case Device:
                    deviceUrl = placeholder;
                    break;
                case Observation o:
                    o.Status = ObservationStatus.Preliminary;
                    DropProfiles(o);
                    break;
                case RiskAssessment ra:
                    ra.Status = ObservationStatus.Preliminary;
                    DropProfiles(ra);
                    break;
            }

            if (isInput)
            {
                resource.Meta!.Tag.RemoveAll(t => t.System == InputCopies.Tag.System && t.Code == InputCopies.Tag.Code);
                DropEmptyMeta(resource);
            }

            entries.Add(new Bundle.EntryComponent
            {
                FullUrl = placeholder,
                Resource = resource,
                Request = new Bundle.RequestComponent
                {
                    Method = Bundle.HTTPVerb.POST,
                    Url = resource.TypeName,
                    IfNoneExist = Condition(resource, isInput ? fullUrl : null),
                },
            });
        }

        // Who made a score or a risk: the engine, as in the answer's Provenance; said on the resources themselves, since
        // an EHR shows them without their Provenance.
        foreach (var resource in entries.Select(e => e.Resource))
        {
            switch (resource)
            {
                case Observation { Device: null } o when deviceUrl is not null && o.Identifier.Any(i => i.System == OutputIdentifiers.OutputSystem):
                    o.Device = new ResourceReference(deviceUrl);
                    break;
                case RiskAssessment { Performer: null } ra when deviceUrl is not null:
                    ra.Performer = new ResourceReference(deviceUrl);
                    break;
            }
        }

        if (plan is not null)
        {
            var lang = plan.Language == "fr" ? Language.Fr : Language.En;
            plan.Note.AddRange(outcomes.SelectMany(o => o.Issue).Select(i => CaveatNote.Of(i, lang, deviceUrl)));
        }

        if (provenance is not null)
        {
            entries.Add(SavedProvenance(provenance, entries, answer.Identifier, request.Enterer));
        }

        foreach (var entry in entries)
        {
            Rewrite(entry.Resource!, renames);
        }

        var transaction = new Bundle { Type = Bundle.BundleType.Transaction };
        transaction.Entry.AddRange(entries);
        return transaction;
    }

    /// <summary>
    /// A saved score or risk is preliminary, which its answer profile (status fixed to final) does not allow: it no longer
    /// claims the profile. Otherwise the EHR would hold a resource that breaks the profile it claims, and the next
    /// assessment that reads it back would be refused (422).
    /// </summary>
    private static void DropProfiles(Resource resource)
    {
        if (resource.Meta is { } meta)
        {
            meta.Profile = [];
            DropEmptyMeta(resource);
        }
    }

    private static void DropEmptyMeta(Resource resource)
    {
        if (resource.Meta is { } meta && !meta.Profile.Any() && meta.Tag.Count == 0 && meta.Security.Count == 0 && meta.VersionId is null && meta.LastUpdated is null)
        {
            resource.Meta = null;
        }
    }

    /// <summary>The names by which the answer refers to an entry: its fullUrl, and <c>Type/id</c> when it has an id.</summary>
    private static void AddNames(Dictionary<string, string> renames, string fullUrl, Resource resource, string target)
    {
        renames[fullUrl] = target;
        if (!string.IsNullOrEmpty(resource.Id))
        {
            renames.TryAdd($"{resource.TypeName}/{resource.Id}", target);
        }
    }

    /// <summary>
    /// The <c>ifNoneExist</c> of an entry: its first identifier; for an input without one, an identifier recording its
    /// origin is added first. Null for a resource without identifiers in R4 (none are saved).
    /// </summary>
    private static string? Condition(Resource resource, string? inputOrigin)
    {
        if (resource is not IIdentifiable<List<Identifier>> identifiable)
        {
            return null;
        }

        var id = identifiable.Identifier.FirstOrDefault(i => !string.IsNullOrEmpty(i.System) && !string.IsNullOrEmpty(i.Value));
        if (id is null && inputOrigin is not null)
        {
            id = new Identifier(OriginSystem, inputOrigin);
            identifiable.Identifier.Add(id);
        }

        return id is null ? null : Query("identifier", id.System!, id.Value!);
    }

    private static string Query(string parameter, string system, string value) =>
        $"{parameter}={Uri.EscapeDataString(system)}|{Uri.EscapeDataString(value)}";

    /// <summary>
    /// The answer's Provenance, about the saved resources only (the OperationOutcome is kept as notes), with the
    /// clinician as enterer, made idempotent by a tag naming the assessment.
    /// </summary>
    private static Bundle.EntryComponent SavedProvenance(Bundle.EntryComponent entry, List<Bundle.EntryComponent> saved, Identifier? assessment, string? enterer)
    {
        var p = (Provenance)entry.Resource!;
        var kept = saved.Select(e => e.FullUrl).ToHashSet(StringComparer.Ordinal);
        p.Target.RemoveAll(t => t.Reference is null || !kept.Contains(t.Reference));
        if (enterer is not null)
        {
            p.Agent.Add(new Provenance.AgentComponent
            {
                Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "enterer", "Enterer"),
                Who = new ResourceReference(enterer),
            });
        }

        string? condition = null;
        if (assessment is { System: { } system, Value: { } value })
        {
            p.Meta ??= new Meta();
            p.Meta.Tag.Add(new Coding(system, value));
            condition = Query("_tag", system, value);
        }

        entry.Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Provenance", IfNoneExist = condition };
        return entry;
    }

    private static void Rewrite(Resource resource, Dictionary<string, string> renames)
    {
        foreach (var reference in resource.Select("descendants().ofType(Reference)").OfType<ResourceReference>())
        {
            if (reference.Reference is { } r && renames.TryGetValue(r, out var renamed))
            {
                reference.Reference = renamed;
            }
        }
    }
}
