using System.Net.Http.Headers;
using BoneMetRT.Fhir;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;

namespace BoneMetRT.Cli.Kit;

/// <summary>
/// Runs kit cases against a deployment over HTTP: sends each request as the manifest writes it, then checks the
/// status, that the answer is the expected FHIR resource, and every FHIRPath assertion (Firely's engine).
/// </summary>
/// <param name="http">The client; its handler may be a real network or an in-process server.</param>
/// <param name="fhirBase">The service's FHIR base URL, e.g. <c>http://127.0.0.1:8080/fhir</c>.</param>
/// <param name="token">
/// The access token: put where a header says <c>{token}</c> (without it those cases are skipped) and sent as
/// <c>Authorization: Bearer</c> with every other case but the anonymous ones.
/// </param>
public sealed class KitRunner(HttpClient http, Uri fhirBase, string? token)
{
    private readonly string _base = fhirBase.ToString().TrimEnd('/') + "/";

    /// <summary>Runs every case of a manifest, in order.</summary>
    public async Task<IReadOnlyList<KitCaseResult>> RunAsync(KitManifest manifest, CancellationToken cancel = default)
    {
        var results = new List<KitCaseResult>();
        foreach (var c in manifest.Cases)
        {
            results.Add(await RunAsync(manifest, c, cancel));
        }

        return results;
    }

    /// <summary>Runs one case.</summary>
    public async Task<KitCaseResult> RunAsync(KitManifest manifest, KitCase kitCase, CancellationToken cancel = default)
    {
        if (kitCase.NeedsToken && string.IsNullOrEmpty(token))
        {
            return new(kitCase, KitCaseOutcome.Skipped, [], "needs an access token (--token)");
        }

        byte[] answer;
        HttpResponseMessage response;
        try
        {
            using var request = BuildRequest(manifest, kitCase);
            response = await http.SendAsync(request, cancel);
            answer = await response.Content.ReadAsByteArrayAsync(cancel);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            return new(kitCase, KitCaseOutcome.Failed, [], $"the request failed: {e.Message}");
        }

        using (response)
        {
            var checks = Check(kitCase.Expect, response, answer);
            return new(kitCase, checks.All(c => c.Passed) ? KitCaseOutcome.Passed : KitCaseOutcome.Failed, checks, "");
        }
    }

    /// <summary>
    /// Evaluates one FHIRPath assertion on a resource: it holds when the expression gives exactly one boolean
    /// <c>true</c>. An expression that does not compile, or fails, does not hold (the reason is the detail).
    /// </summary>
    public static KitCheck Evaluate(Resource resource, KitAssertion assertion)
    {
        try
        {
            var result = resource.Select(assertion.Expression).ToList();
            // FHIRPath answers with its own System.Boolean (a primitive whose value is a bool), not a FHIR boolean.
            return result is [PrimitiveType { JsonValue: true }]
                ? new(assertion.Description, true, assertion.Expression)
                : new(assertion.Description, false, $"{assertion.Expression} gave {Show(result)}, not true");
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or InvalidCastException or ArgumentException or NotSupportedException)
        {
            return new(assertion.Description, false, $"{assertion.Expression} cannot be evaluated: {e.Message}");
        }
    }

    private HttpRequestMessage BuildRequest(KitManifest manifest, KitCase kitCase)
    {
        var request = new HttpRequestMessage(new HttpMethod(kitCase.Request.Method), new Uri(_base + kitCase.Request.Path.TrimStart('/')));
        if (kitCase.Body is not null)
        {
            request.Content = new ByteArrayContent(File.ReadAllBytes(Path.Combine(manifest.Folder, kitCase.Body)));
        }

        foreach (var (name, template) in kitCase.Request.Headers)
        {
            var value = template.Replace(KitRequest.TokenPlaceholder, token ?? "", StringComparison.Ordinal);
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                // Sent as written, even when it is not a valid media type: a 415 case needs exactly that.
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
            else if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (!kitCase.Request.Anonymous && !string.IsNullOrEmpty(token) && request.Headers.Authorization is null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        return request;
    }

    private static List<KitCheck> Check(KitExpectation expect, HttpResponseMessage response, byte[] answer)
    {
        var status = (int)response.StatusCode;
        var checks = new List<KitCheck>
        {
            new($"HTTP status {expect.Status}", status == expect.Status, $"got {status}"),
        };

        foreach (var (name, expected) in expect.Headers)
        {
            var values = response.Headers.TryGetValues(name, out var h) ? h : response.Content.Headers.TryGetValues(name, out var c) ? c : [];
            var value = string.Join(", ", values);
            checks.Add(new($"header {name} with '{expected}'", value.Contains(expected, StringComparison.OrdinalIgnoreCase), value.Length == 0 ? "absent" : $"got '{value}'"));
        }

        if (expect.MediaType is not null)
        {
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            checks.Add(new($"media type {expect.MediaType}", string.Equals(mediaType, expect.MediaType, StringComparison.OrdinalIgnoreCase), $"got '{mediaType}'"));
        }

        var format = FormatOf(response.Content.Headers.ContentType);
        if (format is null)
        {
            checks.Add(new($"a FHIR {expect.ResourceType}", false, $"the answer is '{response.Content.Headers.ContentType}', not FHIR JSON or XML"));
            return checks;
        }

        var parsed = FhirSerialization.Parse(answer, format.Value);
        if (!parsed.IsSuccess)
        {
            checks.Add(new($"a FHIR {expect.ResourceType}", false, $"the answer does not parse: {string.Join("; ", parsed.Issues.Select(i => i.Text.En))}"));
            return checks;
        }

        var resource = parsed.Value;

        checks.Add(new($"a FHIR {expect.ResourceType}", resource.TypeName == expect.ResourceType, $"got {resource.TypeName}"));
        checks.AddRange(expect.Assertions.Select(a => Evaluate(resource, a)));
        return checks;
    }

    private static FhirFormat? FormatOf(MediaTypeHeaderValue? contentType) => contentType?.MediaType switch
    {
        "application/fhir+json" or "application/json" => FhirFormat.Json,
        "application/fhir+xml" or "application/xml" => FhirFormat.Xml,
        _ => null,
    };

    private static string Show(List<Base?> result) => result.Count switch
    {
        0 => "nothing",
        1 => result[0] switch
        {
            PrimitiveType { JsonValue: bool b } => b ? "boolean true" : "boolean false",
            PrimitiveType p => $"{p.TypeName.Replace("System.", "", StringComparison.Ordinal)} {p.JsonValue}",
            var other => other?.TypeName ?? "null",
        },
        _ => $"{result.Count} items",
    };
}
