using BoneMetRT.Domain;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Infrastructure;

/// <summary>
/// The one place that turns every failure into an OperationOutcome: refused requests (4xx, including 401/403 from the
/// SMART token checks with their WWW-Authenticate challenge, and the FHIR server's answers passed on) from the endpoints, the
/// framework's own errors (unknown route, wrong method, Kestrel limits) and, as a last resort, unexpected exceptions
/// (500 without a stack trace; the log has the exception's type and frames, never its message). Callers never get an HTML page.
/// </summary>
public static class ErrorHandling
{
    /// <summary>Installs the handler; call first in the pipeline.</summary>
    public static IApplicationBuilder UseFhirErrors(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
            if (context.Response is { HasStarted: false, StatusCode: >= 400 } && context.Response.ContentLength is null or 0 && context.Response.ContentType is null)
            {
                await WriteAsync(context, context.Response.StatusCode, Framework(context.Response.StatusCode, context.Request),
                    context.Response.Headers.WWWAuthenticate.ToString() is { Length: > 0 } challenge ? challenge : null);
            }
        }
        catch (FhirRequestException e) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, e.Status, [e.Issue], e.WwwAuthenticate, e.RetryAfterSeconds);
        }
        catch (FhirParseException e) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, StatusOf(OutcomeKind.Malformed), e.Issues);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            var status = e.StatusCode is >= 400 and < 500 ? e.StatusCode : 400;
            await WriteAsync(context, status, [Error(status == 413 ? OperationOutcome.IssueType.TooCostly : OperationOutcome.IssueType.Invalid,
                new($"Bad request: {e.Message}", $"Requête invalide : {e.Message}"))]);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away: nothing to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("BoneMetRT.Errors")
                .LogError("Unhandled {ExceptionType} on {Method} {Route}\n{Frames}", e.GetType().Name, context.Request.Method, RequestLogging.RouteOf(context), Frames(e));
            await WriteAsync(context, 500, [Error(OperationOutcome.IssueType.Exception,
                new("Internal error of the BoneMetRT service; the request was not processed.", "Erreur interne du service BoneMetRT ; la requête n'a pas été traitée."))]);
        }
    });

    /// <summary>
    /// The HTTP status of each outcome the FHIR library reports (fhir-contract.md §3): the one place that decides it,
    /// for every endpoint that answers with a library result.
    /// </summary>
    public static int StatusOf(OutcomeKind kind) => kind switch
    {
        OutcomeKind.Success => StatusCodes.Status200OK,
        OutcomeKind.Malformed => StatusCodes.Status400BadRequest,
        OutcomeKind.NotFound => StatusCodes.Status404NotFound,
        OutcomeKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "An outcome kind without an HTTP status."),
    };

    /// <summary>
    /// Where an exception and those it wraps were thrown: their types and frames (method names), for whoever mends it;
    /// never a message, which may quote what the caller sent.
    /// </summary>
    private static string Frames(Exception e)
    {
        var where = new System.Text.StringBuilder();
        for (var (inner, depth) = (e, 0); inner is not null && depth < 8; (inner, depth) = (inner.InnerException, depth + 1))
        {
            if (depth > 0)
            {
                where.Append("---> ").Append(inner.GetType().Name).Append('\n');
            }

            where.Append(new System.Diagnostics.StackTrace(inner, fNeedFileInfo: false).ToString().TrimEnd()).Append('\n');
        }

        return where.ToString().TrimEnd();
    }

    private static Issue Error(OperationOutcome.IssueType type, LocalizedText text) =>
        new(OperationOutcome.IssueSeverity.Error, type, text, null, []);

    private static IReadOnlyList<Issue> Framework(int status, HttpRequest request) => [status switch
    {
        401 => Error(OperationOutcome.IssueType.Login, new("Authentication is required: send a valid bearer token.", "Authentification requise : envoyer un jeton porteur valide.")),
        403 => Error(OperationOutcome.IssueType.Forbidden, new("The token does not allow this request.", "Le jeton ne permet pas cette requête.")),
        404 => Error(OperationOutcome.IssueType.NotFound, new($"No endpoint at {request.Method} {request.Path}.", $"Aucun point d'accès pour {request.Method} {request.Path}.")),
        405 => Error(OperationOutcome.IssueType.NotSupported, new($"Method {request.Method} is not allowed on {request.Path}.", $"La méthode {request.Method} n'est pas permise sur {request.Path}.")),
        413 => Error(OperationOutcome.IssueType.TooCostly, new("The request body is too large.", "Le corps de la requête est trop volumineux.")),
        415 => Error(OperationOutcome.IssueType.NotSupported, new("Unsupported media type.", "Type de média non pris en charge.")),
        503 => Error(OperationOutcome.IssueType.Transient, new("The service is unavailable; retry later.", "Le service est indisponible ; réessayer plus tard.")),
        _ => Error(OperationOutcome.IssueType.Processing, new($"The request failed with HTTP {status}.", $"La requête a échoué (HTTP {status})."))
    }];

    private static async Task WriteAsync(HttpContext context, int status, IReadOnlyList<Issue> issues, string? challenge = null, int? retryAfter = null)
    {
        // As for successful answers: _format, else Accept, else the format of the body (an XML caller gets XML).
        var format = FhirHttp.ResponseFormat(context.Request, FhirHttp.BodyFormat(context.Request));
        var outcome = OperationOutcomes.From(issues, FhirHttp.Language(context.Request));
        // Clear() drops the headers too; a 405 must keep its Allow header (RFC 9110 §15.5.6).
        var allow = context.Response.Headers.Allow;
        context.Response.Clear();
        if (challenge is not null)
        {
            context.Response.Headers.WWWAuthenticate = challenge;
        }

        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (status == 405 && allow.Count > 0)
        {
            context.Response.Headers.Allow = allow;
        }

        await FhirHttp.Write(outcome, status, format).ExecuteAsync(context);
    }
}
