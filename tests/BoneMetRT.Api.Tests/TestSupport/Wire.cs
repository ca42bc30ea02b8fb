using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Tests.TestSupport;

/// <summary>FHIR over HTTP for the tests: request bodies, reading answers, asserting OperationOutcomes.</summary>
public static class Wire
{
    /// <summary>application/fhir+json.</summary>
    public const string Json = "application/fhir+json";

    /// <summary>application/fhir+xml.</summary>
    public const string Xml = "application/fhir+xml";

    /// <summary>The bytes of a valid example.</summary>
    public static byte[] ValidExample(string file) => File.ReadAllBytes(Path.Combine(ExampleCatalog.ValidFolder, file));

    /// <summary>The bytes of an invalid example.</summary>
    public static byte[] InvalidExample(string file) => File.ReadAllBytes(Path.Combine(ExampleCatalog.InvalidFolder, file));

    /// <summary>A valid example parsed.</summary>
    public static Resource ParseValidExample(string file) => Parse(ValidExample(file), FhirFormat.Json);

    /// <summary>Parses FHIR the way the service does; fails the test when it is not FHIR.</summary>
    public static Resource Parse(byte[] bytes, FhirFormat format)
    {
        var parsed = FhirSerialization.Parse(bytes, format);
        Assert.True(parsed.IsSuccess, $"Not FHIR {format}: {string.Join("; ", parsed.Issues.Select(i => i.Text.En))}\n{Preview(bytes)}");
        return parsed.Value!;
    }

    /// <summary>A request body with a Content-Type (none when <paramref name="contentType"/> is null).</summary>
    public static ByteArrayContent Body(byte[] bytes, string? contentType = Json)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return content;
    }

    /// <summary>A text request body.</summary>
    public static ByteArrayContent Body(string text, string? contentType = Json) => Body(Encoding.UTF8.GetBytes(text), contentType);

    /// <summary>POST with an optional Accept header.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, HttpContent content, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        if (accept is not null)
        {
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        }

        return await client.SendAsync(request);
    }

    /// <summary>GET with an optional Accept header.</summary>
    public static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        }

        return await client.SendAsync(request);
    }

    /// <summary>Asserts the status and the FHIR media type of an answer and returns its resource.</summary>
    public static async Task<Resource> ReadAsync(HttpResponseMessage response, HttpStatusCode status, FhirFormat format)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == status, $"Expected HTTP {(int)status}, got {(int)response.StatusCode}:\n{Preview(bytes)}");
        Assert.Equal(FhirSerialization.MediaType(format), response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.DoesNotContain("<html", Encoding.UTF8.GetString(bytes), StringComparison.OrdinalIgnoreCase);
        return Parse(bytes, format);
    }

    /// <summary>
    /// Asserts a refused request: the status, an OperationOutcome in the FHIR format asked for (never HTML, never a stack
    /// trace) with at least one error issue, each with a text. Returns the error issues.
    /// </summary>
    public static async Task<IReadOnlyList<OperationOutcome.IssueComponent>> AssertOutcomeAsync(HttpResponseMessage response, HttpStatusCode status, FhirFormat format = FhirFormat.Json)
    {
        var resource = await ReadAsync(response, status, format);
        var outcome = Assert.IsType<OperationOutcome>(resource);
        var errors = outcome.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal).ToList();
        Assert.NotEmpty(errors);
        Assert.All(outcome.Issue, i => Assert.False(string.IsNullOrWhiteSpace(i.Details?.Text), "every issue has a text"));
        var text = FhirSerialization.ToText(outcome, FhirFormat.Json);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal); // no stack trace
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        return errors;
    }

    /// <summary>The start of a body, for failure messages.</summary>
    public static string Preview(byte[] bytes) => Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 2000));
}
