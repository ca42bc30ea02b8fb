using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BoneMetRT.Api.Features.CdsHooks;
using BoneMetRT.Api.Infrastructure;
using BoneMetRT.Domain;
using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Normalize;
using BoneMetRT.Fhir.Pipeline;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

// In the namespace Program.cs already imports, so that wiring the service there takes one line each.
namespace BoneMetRT.Api.Features;

/// <summary>
/// The CDS Hooks 2.0 service (docs/cds-hooks.md): discovery at <c>GET {base}</c>, the hooks at <c>POST {base}/{id}</c>
/// and feedback at <c>POST {base}/{id}/feedback</c>, base <c>BoneMetRT:CdsHooks:BasePath</c> (default /cds-services).
/// The hooks run the same <see cref="AssessPipeline"/> as <c>$assess</c>, with the same settings.
/// </summary>
public static partial class CdsHooksEndpoints
{
    /// <summary>Service answering <c>patient-view</c>.</summary>
    public const string PatientViewId = "bonemetrt-patient-view";
    /// <summary>Service answering <c>order-select</c>.</summary>
    public const string OrderSelectId = "bonemetrt-order-select";
    /// <summary>Service answering <c>order-sign</c>.</summary>
    public const string OrderSignId = "bonemetrt-order-sign";

    private static readonly Dictionary<string, string> Hooks = new(StringComparer.Ordinal)
    {
        [PatientViewId] = "patient-view",
        [OrderSelectId] = "order-select",
        [OrderSignId] = "order-sign",
    };

    /// <summary>
    /// Prefetch templates. Observations are narrowed to the codes the engine reads (its own code system, and the LOINC
    /// pain, ECOG and Karnofsky codes). Conditions and Procedures are not narrowed: the engine matches Conditions by ICD-10
    /// prefix (which a token search cannot express) and by code tables that are not public, and takes any surgery whose
    /// reason is a lesion, whatever its code.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Prefetch = new Dictionary<string, string>
    {
        [CdsPatientData.PatientKey] = "Patient/{{context.patientId}}",
        ["conditions"] = "Condition?patient={{context.patientId}}",
        ["observations"] = "Observation?patient={{context.patientId}}&code="
            + $"{CodeSystems.BoneMet}|,{CodeSystems.Loinc}|{Terminology.PainScoreLoinc},{CodeSystems.Loinc}|{Terminology.EcogLoinc},{CodeSystems.Loinc}|{Terminology.KarnofskyLoinc}",
        ["procedures"] = "Procedure?patient={{context.patientId}}",
    };

    /// <summary>Registers the settings (<c>BoneMetRT:CdsHooks</c>), the client JWT checks and the data reader.</summary>
    public static IServiceCollection AddCdsHooks(this IServiceCollection services)
    {
        services.AddOptions<CdsHooksOptions>().BindConfiguration(CdsHooksOptions.Section);
        services.AddSingleton<CdsClientAuth>();
        services.AddTransient<CdsPatientData>();
        services.AddHttpClient(CdsClientAuth.JwksClient, http => http.Timeout = TimeSpan.FromSeconds(10)).RemoveAllLoggers();
        return services;
    }

    /// <summary>Maps discovery, the hooks and feedback under the configured base path.</summary>
    public static IEndpointRouteBuilder MapCdsHooks(this IEndpointRouteBuilder app)
    {
        var basePath = "/" + app.ServiceProvider.GetRequiredService<IOptions<CdsHooksOptions>>().Value.BasePath.Trim('/');
        var group = app.MapGroup(basePath);
        group.MapGet("/", Discovery);
        // A hook call runs the same pipeline as $assess: it shares its gate (503 with Retry-After beyond it).
        group.MapPost("/{id}", Call).WithLoadShedding().WithMetadata(new AuditedEndpoint());
        group.MapPost("/{id}/feedback", Feedback);
        return app;
    }

    [GeneratedRegex("^[A-Za-z0-9\\-\\.]{1,64}$")]
    private static partial Regex FhirId();

    private static IResult Discovery(HttpRequest request, IOptions<CdsHooksOptions> options)
    {
        var lang = LanguageOf(request, options.Value);
        string L(string en, string fr) => lang == Language.Fr ? fr : en;
        var usage = L("Send a JWT signed by a trusted CDS client (see docs/cds-hooks.md). Prefetch is used when sent; otherwise fhirServer and fhirAuthorization (patient/Patient.r, Condition.s, Observation.s, Procedure.s) are needed.",
            "Envoyer un JWT signé par un client CDS de confiance (voir docs/cds-hooks.md). Le prefetch est utilisé s'il est envoyé ; sinon fhirServer et fhirAuthorization (patient/Patient.r, Condition.s, Observation.s, Procedure.s) sont nécessaires.");
        return Results.Json(new CdsDiscovery(
        [
            new(Hooks[PatientViewId], L("BoneMetRT: radiotherapy of bone metastases", "BoneMetRT : radiothérapie des métastases osseuses"),
                L("When a chart opens, proposes radiotherapy for bone metastases from the guideline (Mirels, Rades, post-operative and oligometastatic situations): one card per lesion, with the draft proposal.",
                    "À l'ouverture du dossier, propose la radiothérapie des métastases osseuses selon le référentiel (Mirels, Rades, situations post-opératoire et oligométastatique) : une carte par lésion, avec la proposition en brouillon."),
                PatientViewId, Prefetch, usage),
            new(Hooks[OrderSelectId], L("BoneMetRT: check a radiotherapy order (selection)", "BoneMetRT : vérifier une prescription de radiothérapie (sélection)"),
                L("Compares a draft radiotherapy ServiceRequest for a bone metastasis with the guideline's proposal for that lesion.",
                    "Compare une ServiceRequest de radiothérapie en brouillon pour une métastase osseuse à la proposition du référentiel pour cette lésion."),
                OrderSelectId, Prefetch, usage),
            new(Hooks[OrderSignId], L("BoneMetRT: check a radiotherapy order (signature)", "BoneMetRT : vérifier une prescription de radiothérapie (signature)"),
                L("Before signature, compares draft radiotherapy orders for bone metastases with the guideline's proposal and offers to update them.",
                    "Avant signature, compare les prescriptions de radiothérapie des métastases osseuses à la proposition du référentiel et propose de les modifier."),
                OrderSignId, Prefetch, usage),
        ]), CdsJson.Options);
    }

    private static async Task<IResult> Call(string id, HttpRequest request, CdsClientAuth auth, CdsPatientData data, AssessPipeline pipeline,
        IOptions<BoneMetRTOptions> service, IOptions<CdsHooksOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (!Hooks.TryGetValue(id, out var hook))
        {
            throw new FhirRequestException(404, OperationOutcome.IssueType.NotFound, new($"No CDS service '{id}' here.", $"Aucun service CDS « {id} » ici."));
        }

        if (await auth.AuthenticateAsync(request, CalledUrl(request, options.Value), ct) is { } client)
        {
            // Who called, for the audit trail: the CDS client the JWT was checked against.
            request.HttpContext.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
                [new System.Security.Claims.Claim("iss", client), new System.Security.Claims.Claim("client_id", client)], "cds-hooks-jwt"));
        }

        var call = await ReadJsonAsync<CdsRequest>(request, service, ct);
        if (call.Hook != hook)
        {
            throw Bad($"This service answers the hook '{hook}', not '{call.Hook}'.", $"Ce service répond au hook « {hook} », pas « {call.Hook} ».", "hook");
        }

        if (string.IsNullOrWhiteSpace(call.HookInstance))
        {
            throw Bad("hookInstance is required.", "hookInstance est obligatoire.", "hookInstance");
        }

        if (call.FhirAuthorization is not null && string.IsNullOrWhiteSpace(call.FhirServer))
        {
            throw Bad("fhirAuthorization is given without fhirServer.", "fhirAuthorization est donné sans fhirServer.", "fhirServer");
        }

        var patientId = (call.Context?["patientId"] as JsonValue)?.TryGetValue<string>(out var pid) == true ? pid : null;
        if (patientId is null || !FhirId().IsMatch(patientId))
        {
            throw Bad("context.patientId is required and must be a FHIR id.", "context.patientId est obligatoire et doit être un id FHIR.", "context.patientId");
        }

        AuditTrail.SetPatient(request.HttpContext, patientId);

        Bundle? drafts = null;
        if (hook != "patient-view")
        {
            drafts = call.Context?["draftOrders"] is JsonObject node && FhirHttp.Parse(System.Text.Encoding.UTF8.GetBytes(node.ToJsonString()), FhirFormat.Json) is Bundle b
                ? b
                : throw Bad("context.draftOrders must be a Bundle of the draft orders.", "context.draftOrders doit être un Bundle des prescriptions en brouillon.", "context.draftOrders");
            if (!drafts.Entry.Select(e => e.Resource).OfType<ServiceRequest>().Any(CdsOrderCheck.IsRadiotherapy))
            {
                return Results.Json(new CdsResponse([]), CdsJson.Options); // nothing of ours to check: no need to read the chart
            }
        }

        var lang = LanguageOf(request, options.Value);
        var bundle = await data.LoadAsync(call, patientId, ct);
        var result = pipeline.Assess(bundle, new AssessOptions(Validate: service.Value.ValidateInput, Language: lang));
        if (!result.IsSuccess)
        {
            return FhirHttp.Write(result, request, FhirFormat.Json);
        }

        var proposal = CdsProposal.Read((Bundle)result.Value, bundle);
        var links = Links(request, service.Value, options.Value);
        var cards = drafts is null
            ? CdsCards.PatientView(proposal, lang, links)
            : CdsOrderCheck.Check(proposal, drafts, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), lang, links);
        return Results.Json(new CdsResponse(cards), CdsJson.Options);
    }

    private static async Task<IResult> Feedback(string id, HttpRequest request, CdsClientAuth auth, IOptions<BoneMetRTOptions> service,
        IOptions<CdsHooksOptions> options, ILoggerFactory logs, CancellationToken ct)
    {
        if (!Hooks.ContainsKey(id))
        {
            throw new FhirRequestException(404, OperationOutcome.IssueType.NotFound, new($"No CDS service '{id}' here.", $"Aucun service CDS « {id} » ici."));
        }

        if (await auth.AuthenticateAsync(request, CalledUrl(request, options.Value), ct) is { } client)
        {
            // Who called, for the audit trail: the CDS client the JWT was checked against.
            request.HttpContext.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
                [new System.Security.Claims.Claim("iss", client), new System.Security.Claims.Claim("client_id", client)], "cds-hooks-jwt"));
        }

        var body = await ReadJsonAsync<CdsFeedbackRequest>(request, service, ct);
        if (body.Feedback is not { Count: > 0 } items || items.Any(i => string.IsNullOrWhiteSpace(i.Card) || i.Outcome is not ("accepted" or "overridden")))
        {
            throw Bad("feedback must list items with a card uuid and an outcome 'accepted' or 'overridden'.",
                "feedback doit lister des éléments avec l'uuid d'une carte et un résultat « accepted » ou « overridden ».", "feedback");
        }

        // Card uuids are this service's random ids and the counts say nothing about the patient; override reasons
        // (free text) and suggestion contents are never logged.
        var log = logs.CreateLogger("BoneMetRT.CdsHooks.Feedback");
        foreach (var item in items)
        {
            log.LogInformation("CDS feedback on {Service}: card {Card} {Outcome}, {Accepted} suggestion(s) accepted, override reason {HasReason}",
                id, FhirId().IsMatch(item.Card!) ? item.Card : "(not a card id)", item.Outcome, item.AcceptedSuggestions?.Count ?? 0, item.OverrideReason is null ? "absent" : "given");
        }

        return Results.Ok();
    }

    private static async Task<T> ReadJsonAsync<T>(HttpRequest request, IOptions<BoneMetRTOptions> service, CancellationToken ct)
        where T : class
    {
        var type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (type is not ("application/json" or "application/fhir+json"))
        {
            throw new FhirRequestException(415, OperationOutcome.IssueType.NotSupported,
                new("Send the call as application/json.", "Envoyer l'appel en application/json."));
        }

        var bytes = await FhirHttp.ReadBodyAsync(request, service, ct);
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, CdsJson.Options) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw Bad($"The body is not a valid CDS Hooks JSON object ({e.Path ?? "$"}).", $"Le corps n'est pas un objet JSON CDS Hooks valide ({e.Path ?? "$"}).", e.Path ?? "$");
        }
    }

    private static FhirRequestException Bad(string en, string fr, string at) => new(400, OperationOutcome.IssueType.Invalid, new(en, fr), at);

    private static Language LanguageOf(HttpRequest request, CdsHooksOptions options) =>
        request.Headers.AcceptLanguage.Count > 0 ? FhirHttp.Language(request)
        : options.Language.StartsWith("fr", StringComparison.OrdinalIgnoreCase) ? Language.Fr : Language.En;

    private static string Origin(HttpRequest request, CdsHooksOptions options) =>
        options.PublicBaseUrl.TrimEnd('/') is { Length: > 0 } configured ? configured : $"{request.Scheme}://{request.Host}{request.PathBase}";

    /// <summary>The URL the client called: the <c>aud</c> its JWT must carry.</summary>
    private static string CalledUrl(HttpRequest request, CdsHooksOptions options) => Origin(request, options) + request.Path;

    private static CdsLinkTargets Links(HttpRequest request, BoneMetRTOptions service, CdsHooksOptions options)
    {
        var origin = Origin(request, options);
        var guideline = service.SmartApp.GuidelineUrl;
        return new CdsLinkTargets($"{origin}/app/launch.html",
            Uri.TryCreate(guideline, UriKind.Absolute, out _) ? guideline : $"{origin}/app/{guideline.TrimStart('/')}");
    }
}
