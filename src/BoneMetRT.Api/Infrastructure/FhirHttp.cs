using BoneMetRT.Domain;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Infrastructure;

/// <summary>FHIR over HTTP: content negotiation (Content-Type, Accept, _format), bounded body reading, writing resources.</summary>
public static class FhirHttp
{
    /// <summary>Format of the request body from Content-Type; 415 when it is not a FHIR format.</summary>
    public static FhirFormat RequestFormat(HttpRequest request)
    {
        var type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        return BodyFormat(request) ?? type switch
        {
            null or "" => throw new FhirRequestException(415, OperationOutcome.IssueType.NotSupported,
                new("Content-Type is missing: send application/fhir+json or application/fhir+xml.", "Content-Type absent : envoyer application/fhir+json ou application/fhir+xml.")),
            _ => throw new FhirRequestException(415, OperationOutcome.IssueType.NotSupported,
                new($"Unsupported media type '{type}': send application/fhir+json or application/fhir+xml.", $"Type de média non pris en charge « {type} » : envoyer application/fhir+json ou application/fhir+xml.")),
        };
    }

    /// <summary>Format of the request body from Content-Type, or null when it is missing or not a FHIR format.</summary>
    public static FhirFormat? BodyFormat(HttpRequest request) =>
        request.ContentType?.Split(';')[0].Trim().ToLowerInvariant() switch
        {
            "application/fhir+json" or "application/json" or "application/json+fhir" => FhirFormat.Json,
            "application/fhir+xml" or "application/xml" or "text/xml" or "application/xml+fhir" => FhirFormat.Xml,
            _ => null,
        };

    /// <summary>Format of the response: <c>_format</c>, else Accept, else the request's format, else JSON.</summary>
    public static FhirFormat ResponseFormat(HttpRequest request, FhirFormat? fallback = null)
    {
        var format = request.Query["_format"].ToString().ToLowerInvariant();
        if (format.Length > 0)
        {
            if (format.Contains("xml", StringComparison.Ordinal))
            {
                return FhirFormat.Xml;
            }

            if (format.Contains("json", StringComparison.Ordinal))
            {
                return FhirFormat.Json;
            }
        }

        foreach (var accept in request.GetTypedHeaders().Accept.OrderByDescending(a => a.Quality ?? 1))
        {
            var media = accept.MediaType.Value?.ToLowerInvariant();
            if (media is "application/fhir+xml" or "application/xml" or "text/xml" or "application/xml+fhir")
            {
                return FhirFormat.Xml;
            }

            if (media is "application/fhir+json" or "application/json" or "application/json+fhir")
            {
                return FhirFormat.Json;
            }
        }

        return fallback ?? FhirFormat.Json;
    }

    /// <summary>Requested language: <c>Accept-Language</c> fr gives French, else English.</summary>
    public static Language Language(HttpRequest request) =>
        request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1).FirstOrDefault()?.Value.Value?.StartsWith("fr", StringComparison.OrdinalIgnoreCase) == true
            ? Domain.Language.Fr : Domain.Language.En;

    /// <summary>Reads the body up to the configured limit (413 beyond it).</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpRequest request, IOptions<BoneMetRTOptions> options, CancellationToken ct)
    {
        var limit = options.Value.MaxRequestBytes;
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        if (request.ContentLength is > 0 and var length)
        {
            // The usual case: the length is announced, so the body is read straight into an array of that size (the
            // server ends the body stream at that length, and fails the request if it is cut short).
            var body = new byte[length];
            await request.Body.ReadExactlyAsync(body, ct);
            return body;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw new FhirRequestException(400, OperationOutcome.IssueType.Required, new("The request body is empty.", "Le corps de la requête est vide."));
        }

        return buffer.ToArray();
    }

    /// <summary>Parses a body into a resource; 400 with the parser's reasons when it is not FHIR R4.</summary>
    public static Resource Parse(byte[] body, FhirFormat format)
    {
        var parsed = FhirSerialization.Parse(body, format);
        return parsed.Value ?? throw new FhirParseException(parsed.Issues);
    }

    /// <summary>
    /// Refuses (413) a request whose Bundle holds more than <see cref="BoneMetRTOptions.MaxBundleEntries"/> entries: the
    /// Bundle itself, or the Bundles carried in a Parameters (<c>data</c> of <c>$assess</c>, <c>resource</c> of
    /// <c>$validate</c>). Returns the resource for chaining.
    /// </summary>
    public static Resource LimitEntries(Resource resource, IOptions<BoneMetRTOptions> options)
    {
        var limit = options.Value.MaxBundleEntries;
        var bundles = new List<(Bundle Bundle, string Path)>();
        if (resource is Bundle b)
        {
            bundles.Add((b, "Bundle"));
        }
        else if (resource is Parameters p)
        {
            bundles.AddRange(p.Parameter.Select((x, i) => (x.Resource as Bundle, $"Parameters.parameter[{i}].resource"))
                .Where(x => x.Item1 is not null).Select(x => (x.Item1!, x.Item2)));
        }

        foreach (var (bundle, path) in bundles)
        {
            if (bundle.Entry.Count > limit)
            {
                throw new FhirRequestException(413, OperationOutcome.IssueType.TooCostly,
                    new($"The Bundle holds {bundle.Entry.Count} entries; the limit is {limit}.",
                        $"Le Bundle contient {bundle.Entry.Count} entrées ; la limite est de {limit}."), path);
            }
        }

        return resource;
    }

    /// <summary>Writes a resource with the negotiated format and status.</summary>
    public static IResult Write(Resource resource, int status, FhirFormat format) => new FhirResult(resource, status, format);

    /// <summary>
    /// Writes the answer of a library operation: its resource (the result, or the OperationOutcome of a failure) with
    /// the HTTP status of its kind (<see cref="ErrorHandling.StatusOf"/>).
    /// </summary>
    public static IResult Write(Result<Resource> result, HttpRequest request, FhirFormat format) =>
        new FhirResult(result.Value ?? OperationOutcomes.From(result.Issues, Language(request)), ErrorHandling.StatusOf(result.Kind), format);

    private static FhirRequestException TooLarge(long limit) => new(413, OperationOutcome.IssueType.TooCostly,
        new($"The request body exceeds the limit of {limit} bytes.", $"Le corps de la requête dépasse la limite de {limit} octets."));

    /// <summary>Writes a resource to the response: JSON straight into the response pipe.</summary>
    private sealed class FhirResult(Resource resource, int status, FhirFormat format) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = FhirSerialization.MediaType(format) + "; charset=utf-8";
            var pretty = context.Request.Query.ContainsKey("_pretty") && context.Request.Query["_pretty"] == "true";
            if (format == FhirFormat.Json)
            {
                // JSON goes straight into the response's pipe (no intermediate buffer), then one flush.
                FhirSerialization.WriteJson(resource, context.Response.BodyWriter, pretty);
                await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
                return;
            }

            // XmlWriter writes synchronously, which Kestrel refuses on the response stream: buffer, then copy.
            using var buffer = new MemoryStream();
            FhirSerialization.Write(resource, format, buffer, pretty);
            buffer.Position = 0;
            await buffer.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }
}
