using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using BoneMetRT.Api.Infrastructure;
using BoneMetRT.Domain;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Features.Smart;

/// <summary>
/// Reads a patient's data from the configured FHIR server (<c>BoneMetRT:FhirServer</c>) with standard REST calls:
/// read, and search by <c>patient</c> with <c>_count</c>, following <c>Bundle.link</c> next. The caller's bearer token
/// is forwarded, and only to URLs under the configured base: redirects are not followed (a 3xx is a 502), a
/// <c>next</c> link elsewhere is refused. The whole read has one deadline (<see cref="FhirServerOptions.TimeoutSeconds"/>,
/// 504) and one byte budget (<see cref="FhirServerOptions.MaxReadBytes"/>, 502), and answers are streamed, never
/// buffered whole. Failures become OperationOutcomes (401/403/404 as the server said, 502 for a bad answer, 504 for
/// a time-out) whose texts quote nothing of the answer beyond a short excerpt; nothing is logged.
/// </summary>
/// <remarks>A typed client: one instance per request, so the byte budget is the request's.</remarks>
public sealed class FhirServerClient(HttpClient http, IOptions<BoneMetRTOptions> options)
{
    /// <summary>Longest excerpt of a parser's reason quoted in a 502 (the reason may quote the answer).</summary>
    private const int MaxReasonLength = 200;

    private long _bytesRead;

    private FhirServerOptions Settings => options.Value.FhirServer;

    /// <summary>The base URL without a trailing slash; 503 when none is configured.</summary>
    public string BaseUrl => Settings.BaseUrl.TrimEnd('/') is { Length: > 0 } b
        ? b
        : throw new FhirRequestException(503, OperationOutcome.IssueType.Exception,
            new("No FHIR server is configured (BoneMetRT:FhirServer:BaseUrl): the instance-level $assess cannot read the patient's data.",
                "Aucun serveur FHIR n'est configuré (BoneMetRT:FhirServer:BaseUrl) : le $assess d'instance ne peut lire les données du patient."));

    /// <summary>
    /// Reads <c>Patient/{id}</c> and runs each of <paramref name="searches"/> by patient (every page; a type with extra
    /// search parameters, e.g. <c>category=…</c> from a granular scope), all within one deadline; returns the Patient
    /// then the matches.
    /// </summary>
    public Task<List<Resource>> ReadPatientDataAsync(string id, IReadOnlyList<(string Type, string? Query)> searches, string? bearer, CancellationToken ct) =>
        WithinDeadlineAsync(async token =>
        {
            var patient = await ReadAsync("Patient", id, bearer, token);
            var running = searches.Select(s => SearchAsync(s.Type, id, s.Query, bearer, token)).ToList();
            await Task.WhenAll(running);
            return (List<Resource>)[patient, .. running.SelectMany(s => s.Result)];
        }, ct);

    /// <summary>
    /// Runs every read of one request under one deadline (<see cref="FhirServerOptions.TimeoutSeconds"/>), so that many
    /// slow pages cannot add up; past it, 504.
    /// </summary>
    public async Task<T> WithinDeadlineAsync<T>(Func<CancellationToken, Task<T>> reads, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(Settings.TimeoutSeconds));
        try
        {
            return await reads(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new FhirRequestException(504, OperationOutcome.IssueType.Timeout,
                new($"The FHIR server did not give the patient's data within {Settings.TimeoutSeconds} s.",
                    $"Le serveur FHIR n'a pas fourni les données du patient en {Settings.TimeoutSeconds} s."));
        }
    }

    /// <summary>Reads <c>{type}/{id}</c>; 404 when the server does not know it.</summary>
    public async Task<Resource> ReadAsync(string type, string id, string? bearer, CancellationToken ct)
    {
        var url = $"{BaseUrl}/{type}/{Uri.EscapeDataString(id)}";
        var resource = await GetAsync(new Uri(url), bearer, $"{type}/{id}", ct);
        return resource.TypeName == type ? resource : throw BadAnswer(new($"it answered a {resource.TypeName} to a read of {type}", $"il a répondu un {resource.TypeName} à une lecture de {type}"));
    }

    /// <summary>Searches <c>{type}?patient={id}</c> (and <paramref name="query"/>, already encoded) and returns the matches of every page.</summary>
    public async Task<List<Resource>> SearchAsync(string type, string patientId, string? query, string? bearer, CancellationToken ct)
    {
        var found = new List<Resource>();
        var extra = query is null ? "" : "&" + query;
        Uri? url = new($"{BaseUrl}/{type}?patient={Uri.EscapeDataString(patientId)}{extra}&_count={Settings.PageSize.ToString(CultureInfo.InvariantCulture)}");
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
            var next = bundle.Link.FirstOrDefault(l => l.Relation == "next")?.Url;
            url = next is null ? null : UnderBase(next)
                ?? throw BadAnswer(new("a next link points outside the FHIR server's base URL", "un lien « next » pointe hors de l'URL de base du serveur FHIR"));
        }

        return found;
    }

    /// <summary>
    /// The absolute URL of <paramref name="link"/> when it is under the configured base (same scheme, host, port,
    /// and path below the base path), else null: the token goes to the FHIR API only, not to another path of its host.
    /// </summary>
    public Uri? UnderBase(string link)
    {
        var root = new Uri(BaseUrl + "/");
        if (!Uri.TryCreate(root, link, out var url) || url.UserInfo.Length > 0 || !string.IsNullOrEmpty(url.Fragment))
        {
            return null;
        }

        var sameOrigin = url.Scheme == root.Scheme && string.Equals(url.Host, root.Host, StringComparison.OrdinalIgnoreCase) && url.Port == root.Port;
        // AbsolutePath is normalised (dot segments removed), so "base/../admin" does not pass as under the base.
        return sameOrigin && url.AbsolutePath.StartsWith(root.AbsolutePath, StringComparison.Ordinal) ? url : null;
    }

    private async Task<Resource> GetAsync(Uri url, string? bearer, string what, CancellationToken ct)
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
            // Headers first: the body is read below as a stream, up to the budget.
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
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
                case >= HttpStatusCode.MultipleChoices and < HttpStatusCode.BadRequest:
                    // Not followed: the token would go wherever the Location says, and an empty answer is not data.
                    throw BadAnswer(new($"it redirected a request (HTTP {(int)response.StatusCode}); redirects are not followed",
                        $"il a redirigé une requête (HTTP {(int)response.StatusCode}) ; les redirections ne sont pas suivies"));
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

            var body = await ReadBoundedAsync(response.Content, ct);
            var parsed = FhirSerialization.Parse(body, FhirFormat.Json);
            var reason = parsed.Issues.FirstOrDefault()?.Text;
            return parsed.Value ?? throw BadAnswer(new($"its answer is not FHIR R4 JSON ({Excerpt(reason?.En)})", $"sa réponse n'est pas du JSON FHIR R4 ({Excerpt(reason?.Fr)})"));
        }
    }

    /// <summary>Reads an answer within what is left of the byte budget; 502 as soon as it would go beyond.</summary>
    private async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken ct)
    {
        var limit = Settings.MaxReadBytes;
        if (content.Headers.ContentLength is { } declared && Interlocked.Read(ref _bytesRead) + declared > limit)
        {
            throw TooLarge(limit);
        }

        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            // One budget for the whole read: the searches run in parallel and share it.
            if (Interlocked.Add(ref _bytesRead, read) > limit)
            {
                throw TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string Excerpt(string? text) =>
        text is null ? "" : text.Length <= MaxReasonLength ? text : string.Concat(text.AsSpan(0, MaxReasonLength), "…");

    private static FhirRequestException TooLarge(long limit) => BadAnswer(new(
        $"its answers exceed {limit} bytes for one patient (BoneMetRT:FhirServer:MaxReadBytes)",
        $"ses réponses dépassent {limit} octets pour un patient (BoneMetRT:FhirServer:MaxReadBytes)"));

    private static FhirRequestException BadAnswer(LocalizedText why) => new(502, OperationOutcome.IssueType.Exception,
        new($"Bad answer from the FHIR server: {why.En}.", $"Réponse incorrecte du serveur FHIR : {why.Fr}."));
}
