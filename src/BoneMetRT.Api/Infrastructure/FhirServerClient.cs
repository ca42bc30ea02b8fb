using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using BoneMetRT.Domain;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Infrastructure;

/// <summary>
/// Reads a patient's data from the configured FHIR server (<c>BoneMetRT:FhirServer</c>) with standard REST calls:
/// read, and search by <c>patient</c> with <c>_count</c>, following <c>Bundle.link</c> next. The caller's bearer token
/// is forwarded, and only to that server. Failures become OperationOutcomes (401/403/404 as the server said, 502
/// for a bad answer, 504 for a time-out); nothing of the request or answer is logged.
/// </summary>
public sealed class FhirServerClient(HttpClient http, IOptions<BoneMetRTOptions> options)
{
    private FhirServerOptions Settings => options.Value.FhirServer;

    /// <summary>The base URL without a trailing slash; 503 when none is configured.</summary>
    public string BaseUrl => Settings.BaseUrl.TrimEnd('/') is { Length: > 0 } b
        ? b
        : throw new FhirRequestException(503, OperationOutcome.IssueType.Exception,
            new("No FHIR server is configured (BoneMetRT:FhirServer:BaseUrl): the instance-level $assess cannot read the patient's data.",
                "Aucun serveur FHIR n'est configuré (BoneMetRT:FhirServer:BaseUrl) : le $assess d'instance ne peut lire les données du patient."));

    /// <summary>Reads <c>{type}/{id}</c>; 404 when the server does not know it.</summary>
    public async Task<Resource> ReadAsync(string type, string id, string? bearer, CancellationToken ct)
    {
        var url = $"{BaseUrl}/{type}/{Uri.EscapeDataString(id)}";
        var resource = await GetAsync(url, bearer, $"{type}/{id}", ct);
        return resource.TypeName == type ? resource : throw BadAnswer(new($"it answered a {resource.TypeName} to a read of {type}", $"il a répondu un {resource.TypeName} à une lecture de {type}"));
    }

    /// <summary>Searches <c>{type}?patient={id}</c> and returns the matches of every page.</summary>
    public async Task<List<Resource>> SearchAsync(string type, string patientId, string? bearer, CancellationToken ct)
    {
        var found = new List<Resource>();
        var origin = new Uri(BaseUrl);
        string? url = $"{BaseUrl}/{type}?patient={Uri.EscapeDataString(patientId)}&_count={Settings.PageSize.ToString(CultureInfo.InvariantCulture)}";
        for (var page = 0; url is not null; page++)
        {
            if (page >= Settings.MaxPages)
            {
                throw BadAnswer(new($"the search of {type} has more than {Settings.MaxPages} pages", $"la recherche de {type} compte plus de {Settings.MaxPages} pages"));
            }

            if (await GetAsync(url, bearer, type, ct) is not Bundle bundle)
            {
                throw BadAnswer(new($"a search of {type} did not return a Bundle", $"une recherche de {type} n'a pas renvoyé de Bundle"));
            }

            found.AddRange(bundle.Entry
                .Where(e => e.Search?.Mode is null or Bundle.SearchEntryMode.Match && e.Resource?.TypeName == type)
                .Select(e => e.Resource!));
            url = bundle.Link.FirstOrDefault(l => l.Relation == "next")?.Url;
            if (url is not null && (!Uri.TryCreate(new Uri(BaseUrl + "/"), url, out var next)
                || next.Scheme != origin.Scheme || next.Host != origin.Host || next.Port != origin.Port))
            {
                // The token goes to the configured server only.
                throw BadAnswer(new("a next link points outside the FHIR server", "un lien « next » pointe hors du serveur FHIR"));
            }
        }

        return found;
    }

    private async Task<Resource> GetAsync(string url, string? bearer, string what, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new FhirRequestException(504, OperationOutcome.IssueType.Timeout,
                new("The FHIR server did not answer in time.", "Le serveur FHIR n'a pas répondu à temps."));
        }
        catch (HttpRequestException)
        {
            throw new FhirRequestException(502, OperationOutcome.IssueType.Transient,
                new("The FHIR server could not be reached.", "Le serveur FHIR est injoignable."));
        }

        using (response)
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.NotFound when !what.Contains('/', StringComparison.Ordinal):
                    throw BadAnswer(new($"the search of {what} answered 404", $"la recherche de {what} a répondu 404"));
                case HttpStatusCode.NotFound or HttpStatusCode.Gone:
                    throw new FhirRequestException(404, OperationOutcome.IssueType.NotFound,
                        new($"{what} is not known to the FHIR server.", $"{what} est inconnu du serveur FHIR."));
                case HttpStatusCode.Unauthorized:
                    throw new FhirRequestException(401, OperationOutcome.IssueType.Login,
                        new("The FHIR server refused the token (401).", "Le serveur FHIR a refusé le jeton (401)."))
                    { WwwAuthenticate = "Bearer" };
                case HttpStatusCode.Forbidden:
                    throw new FhirRequestException(403, OperationOutcome.IssueType.Forbidden,
                        new($"The FHIR server does not allow this token to read {what} (403).", $"Le serveur FHIR n'autorise pas ce jeton à lire {what} (403)."));
                case var status when !response.IsSuccessStatusCode:
                    throw BadAnswer(new($"it answered HTTP {(int)status}", $"il a répondu HTTP {(int)status}"));
            }

            var body = await response.Content.ReadAsByteArrayAsync(ct);
            var (resource, issues) = FhirSerialization.Parse(body, FhirFormat.Json);
            var reason = issues.FirstOrDefault()?.Text;
            return resource ?? throw BadAnswer(new($"its answer is not FHIR R4 JSON ({reason?.En})", $"sa réponse n'est pas du JSON FHIR R4 ({reason?.Fr})"));
        }
    }

    private static FhirRequestException BadAnswer(LocalizedText why) => new(502, OperationOutcome.IssueType.Exception,
        new($"Bad answer from the FHIR server: {why.En}.", $"Réponse incorrecte du serveur FHIR : {why.Fr}."));
}
