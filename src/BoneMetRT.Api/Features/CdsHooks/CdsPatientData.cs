using System.Text;
using System.Text.Json.Nodes;
using BoneMetRT.Api.Features.Smart;
using BoneMetRT.Api.Infrastructure;
using BoneMetRT.Domain;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Features.CdsHooks;

/// <summary>
/// The patient's data for a hook call, as the collection Bundle <c>$assess</c> takes: from <c>prefetch</c> (the Patient
/// and the searchset Bundles of the discovery templates) when the client sent it, otherwise read from the client's
/// <c>fhirServer</c> with <c>fhirAuthorization</c> through the same <see cref="FhirServerClient"/> as the
/// instance-level <c>$assess</c>. A prefetch key the client could not fill (absent, null, or an OperationOutcome) is read
/// from the server, and so is a search prefetched only in part (its Bundle has a <c>next</c> link); with no server
/// either, the call fails with 412 as the specification says.
/// </summary>
public sealed class CdsPatientData(IHttpClientFactory httpFactory, IOptions<BoneMetRTOptions> service, IOptions<CdsHooksOptions> cds)
{
    /// <summary>Prefetch key of the Patient.</summary>
    public const string PatientKey = "patient";

    /// <summary>Prefetch keys of the searches, with the searched type.</summary>
    public static readonly IReadOnlyList<(string Key, string Type)> SearchKeys = [("conditions", "Condition"), ("observations", "Observation"), ("procedures", "Procedure")];

    // Base of the fullUrls of prefetched resources when the call names no server: relative references between them
    // (Condition.subject = Patient/123) resolve against it. ".invalid" is reserved (RFC 2606): it can never be called.
    private const string PrefetchBase = "https://cds-client.invalid/fhir";

    /// <summary>Builds the Bundle of <paramref name="patientId"/>.</summary>
    public async Task<Bundle> LoadAsync(CdsRequest call, string patientId, CancellationToken ct)
    {
        var serverBase = call.FhirServer?.Trim().TrimEnd('/') is { Length: > 0 } s ? s : null;
        var baseUrl = serverBase ?? PrefetchBase;
        var bundle = new Bundle { Type = Bundle.BundleType.Collection };
        var seen = new HashSet<string>(StringComparer.Ordinal);

        void Add(Resource resource, string? fullUrl)
        {
            var key = $"{resource.TypeName}/{resource.Id}";
            if (resource.Id is not null && seen.Add(key))
            {
                bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = fullUrl ?? $"{baseUrl}/{key}", Resource = resource });
            }
        }

        var missing = new List<string>();
        if (Prefetched(call, PatientKey) is { } patientResource)
        {
            if (patientResource is not Patient patient || patient.Id != patientId)
            {
                throw new FhirRequestException(400, OperationOutcome.IssueType.Invalid,
                    new("prefetch.patient must be the Patient of context.patientId.", "prefetch.patient doit être le Patient de context.patientId."), "prefetch.patient");
            }

            Add(patient, null);
        }
        else
        {
            missing.Add(PatientKey);
        }

        foreach (var (key, type) in SearchKeys)
        {
            switch (Prefetched(call, key))
            {
                case Bundle searchset when searchset.Link.Any(l => l.Relation == "next"):
                    // Only the first page was prefetched: advice on part of the chart could miss a compression, so
                    // the whole search is read from the server (or the call fails with 412 when there is none).
                    missing.Add(key);
                    break;
                case Bundle searchset:
                    foreach (var e in searchset.Entry.Where(e => e.Search?.Mode is null or Bundle.SearchEntryMode.Match && e.Resource?.TypeName == type))
                    {
                        Add(e.Resource!, e.FullUrl is { Length: > 0 } u && !u.StartsWith("urn:", StringComparison.Ordinal) ? u : null);
                    }

                    break;
                case null:
                    missing.Add(key);
                    break;
                case var other:
                    throw new FhirRequestException(400, OperationOutcome.IssueType.Invalid,
                        new($"prefetch.{key} must be a searchset Bundle, not a {other.TypeName}.", $"prefetch.{key} doit être un Bundle searchset, pas un {other.TypeName}."), $"prefetch.{key}");
            }
        }

        if (missing.Count > 0)
        {
            await ReadAsync(call, serverBase, patientId, missing, Add, ct);
        }

        // The Patient first, as the instance-level $assess builds it.
        bundle.Entry.Sort((a, b) => (b.Resource is Patient).CompareTo(a.Resource is Patient));
        return bundle;
    }

    private async Task ReadAsync(CdsRequest call, string? serverBase, string patientId, List<string> missing, Action<Resource, string?> add, CancellationToken ct)
    {
        var list = string.Join(", ", missing);
        if (serverBase is null)
        {
            throw new FhirRequestException(412, OperationOutcome.IssueType.Required,
                new($"The prefetch ({list}) is missing and the call gives no fhirServer to read it from.",
                    $"Le prefetch ({list}) manque et l'appel ne donne pas de fhirServer où le lire."), "prefetch", "fhirServer");
        }

        var allowed = cds.Value.AllowedFhirServers.Append(service.Value.FhirServer.BaseUrl)
            .Select(u => u.Trim().TrimEnd('/')).Where(u => u.Length > 0);
        if (!allowed.Contains(serverBase, StringComparer.OrdinalIgnoreCase))
        {
            // The service sends the client's token only to servers it was configured for (no request forgery).
            throw new FhirRequestException(412, OperationOutcome.IssueType.Forbidden,
                new($"The prefetch ({list}) is missing and fhirServer is not a server this service is configured to read (BoneMetRT:CdsHooks:AllowedFhirServers).",
                    $"Le prefetch ({list}) manque et fhirServer n'est pas un serveur que ce service est configuré pour lire (BoneMetRT:CdsHooks:AllowedFhirServers)."), "fhirServer");
        }

        var settings = service.Value.FhirServer;
        var client = new FhirServerClient(httpFactory.CreateClient(nameof(FhirServerClient)), Options.Create(new BoneMetRTOptions
        {
            FhirServer = new FhirServerOptions
            {
                BaseUrl = serverBase, PageSize = settings.PageSize, MaxPages = settings.MaxPages, TimeoutSeconds = settings.TimeoutSeconds, MaxReadBytes = settings.MaxReadBytes,
            },
        }));
        var bearer = call.FhirAuthorization?.AccessToken is { Length: > 0 } t ? t : null;

        try
        {
            // One deadline for every read of the call, as for the instance-level $assess.
            var read = await client.WithinDeadlineAsync(async token =>
            {
                var found = new List<Resource>();
                if (missing.Contains(PatientKey))
                {
                    found.Add(await client.ReadAsync("Patient", patientId, bearer, token));
                }

                var searches = SearchKeys.Where(k => missing.Contains(k.Key)).Select(k => client.SearchAsync(k.Type, patientId, null, bearer, token)).ToList();
                await Task.WhenAll(searches);
                found.AddRange(searches.SelectMany(s => s.Result));
                return found;
            }, ct);
            foreach (var resource in read)
            {
                add(resource, null);
            }
        }
        catch (FhirRequestException e) when (e.Status is 401 or 403)
        {
            // A 401 here is the FHIR server refusing fhirAuthorization, not this service refusing the client's JWT.
            throw new FhirRequestException(412, OperationOutcome.IssueType.Security,
                new($"The FHIR server refused fhirAuthorization ({e.Status}): the data could not be read.",
                    $"Le serveur FHIR a refusé fhirAuthorization ({e.Status}) : les données n'ont pu être lues."), "fhirAuthorization");
        }
    }

    /// <summary>The prefetched resource of a key, or null when the client could not fill it (absent, null or an OperationOutcome).</summary>
    private static Resource? Prefetched(CdsRequest call, string key)
    {
        if (call.Prefetch?[key] is not JsonObject node)
        {
            return null;
        }

        var resource = FhirHttp.Parse(Encoding.UTF8.GetBytes(node.ToJsonString()), FhirFormat.Json);
        return resource is OperationOutcome ? null : resource;
    }
}
