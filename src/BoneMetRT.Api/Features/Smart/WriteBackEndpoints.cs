using BoneMetRT.Api.Infrastructure;
using BoneMetRT.Domain;
using BoneMetRT.Fhir.WriteBack;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Features.Smart;

/// <summary>
/// <c>POST /app/write-back?base=…&amp;enterer=…</c>: the SMART app sends the answer of <c>$assess</c> it shows and gets
/// back the transaction that saves it (<see cref="ResponseTransaction"/>), which it then posts to the EHR with its own
/// token. The rule lives in one place, in C#, for the app and for the tests that store answers on the test EHR. Nothing
/// is stored here and nothing is sent anywhere; patient data in the body, so a token is needed where <c>$assess</c>
/// needs one.
/// </summary>
public static class WriteBackEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static WebApplication MapWriteBack(this WebApplication app)
    {
        app.MapPost("/app/write-back", WriteBack).RequireSmartTokenWhenConfigured();
        return app;
    }

    private static async Task<IResult> WriteBack(HttpRequest request, string? @base, string? enterer, IOptions<BoneMetRTOptions> options, CancellationToken ct)
    {
        if (@base is not null && !(Uri.TryCreate(@base, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            throw new FhirRequestException(400, OperationOutcome.IssueType.Value,
                new LocalizedText("'base' must be the EHR's FHIR base URL (http or https).", "« base » doit être l'URL de base FHIR du DPI (http ou https)."));
        }

        if (enterer is not null && !(Uri.TryCreate(enterer, UriKind.Absolute, out _) || enterer.Split('/') is [{ Length: > 0 }, { Length: > 0 }]))
        {
            throw new FhirRequestException(400, OperationOutcome.IssueType.Value,
                new LocalizedText("'enterer' must be a reference such as Practitioner/123 (the fhirUser of the launch).",
                    "« enterer » doit être une référence telle que Practitioner/123 (le fhirUser du lancement)."));
        }

        var format = FhirHttp.RequestFormat(request);
        var body = await FhirHttp.ReadBodyAsync(request, options, ct);
        if (FhirHttp.LimitEntries(FhirHttp.Parse(body, format), options) is not Bundle { Type: Bundle.BundleType.Collection } answer)
        {
            throw new FhirRequestException(422, OperationOutcome.IssueType.Invalid,
                new LocalizedText("The body must be an answer of $assess (a collection Bundle).", "Le corps doit être une réponse de $assess (un Bundle de type collection)."));
        }

        var transaction = ResponseTransaction.Build(answer, new WriteBackRequest(@base, enterer));
        return FhirHttp.Write(transaction, 200, FhirHttp.ResponseFormat(request, format));
    }
}
