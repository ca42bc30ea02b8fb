using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace BoneMetRT.TestEhr;

/// <summary>
/// The EHR's FHIR R4 API (JSON): <c>metadata</c>, read, search by <c>patient</c>/<c>subject</c> with <c>_count</c>
/// and <c>Bundle.link</c> next, and a transaction (creates, conditional creates, updates: an app's write-back). Every read and search needs a bearer token of this EHR with a matching scope; a
/// patient-level scope only reaches the token's patient.
/// </summary>
public static class FhirApi
{
    private const string FhirJson = "application/fhir+json; charset=utf-8";

    /// <summary>Maps the endpoints.</summary>
    public static void MapFhirApi(this WebApplication app)
    {
        app.MapGet("/fhir/metadata", (HttpRequest r, IOptions<TestEhrOptions> o) => Fhir(200, Capability(EhrUrls.Of(r, o.Value))));
        app.MapGet("/fhir/{type}/{id}", Read);
        app.MapGet("/fhir/{type}", Search);
        app.MapPost("/fhir", Transaction);
    }

    private sealed record Access(string? Level, string? Patient);

    private static async Task<(Access? Access, IResult? Refusal)> Authorize(HttpRequest request, TestEhrOptions o, Tokens tokens, string type, char permission)
    {
        var urls = EhrUrls.Of(request, o);
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Challenge("A bearer token of this EHR is required.", "Un jeton porteur (bearer) de ce DPI est requis."));
        }

        var token = await tokens.ValidateAsync(header["Bearer ".Length..].Trim(), urls.Issuer, urls.FhirBase);
        if (token is null)
        {
            return (null, Challenge("The bearer token is invalid or expired.", "Le jeton porteur est invalide ou expiré."));
        }

        var granted = (token.TryGetPayloadValue<string>("scope", out var s) ? s : "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var level = Scopes.Level(granted, type, permission);
        var (en, fr) = permission switch { 'r' => ("read", "la lecture"), 's' => ("search", "la recherche"), 'u' => ("update", "la mise à jour"), _ => ("create", "la création") };
        if (level is null)
        {
            return (null, Outcome(403, "forbidden", $"The token's scopes do not allow {en} on {type}.", $"Les scopes du jeton ne permettent pas {fr} sur {type}."));
        }

        var patient = token.TryGetPayloadValue<string>("patient", out var p) ? p : null;
        if (level == "patient" && patient is null)
        {
            return (null, Outcome(403, "forbidden", "A patient-level scope needs a token with a patient context.", "Un scope de niveau patient exige un jeton avec un contexte patient."));
        }

        return (new Access(level, level == "patient" ? patient : null), null);
    }

    private static async Task<IResult> Read(string type, string id, HttpRequest request, IOptions<TestEhrOptions> options, Tokens tokens, PatientStore store)
    {
        if (!Scopes.ResourceTypes.Contains(type))
        {
            return Outcome(404, "not-supported", $"This EHR does not serve {type}.", $"Ce DPI ne sert pas {type}.");
        }

        var (access, refusal) = await Authorize(request, options.Value, tokens, type, 'r');
        if (refusal is not null)
        {
            return refusal;
        }

        var resource = store.Read(type, id);
        if (resource is null)
        {
            return Outcome(404, "not-found", $"{type}/{id} is not known.", $"{type}/{id} est inconnu.");
        }

        if (access!.Patient is not null && store.PatientOf(type, id) != access.Patient)
        {
            return Outcome(403, "forbidden", $"{type}/{id} is outside the token's patient compartment.", $"{type}/{id} est hors du compartiment du patient du jeton.");
        }

        return Fhir(200, resource);
    }

    private static async Task<IResult> Search(string type, HttpRequest request, IOptions<TestEhrOptions> options, Tokens tokens, PatientStore store)
    {
        var o = options.Value;
        if (!Scopes.ResourceTypes.Contains(type) || type == "Patient")
        {
            return Outcome(404, "not-supported", $"This EHR does not search {type}; it searches Condition, Observation and Procedure by patient.",
                $"Ce DPI ne recherche pas {type} ; il recherche Condition, Observation et Procedure par patient.");
        }

        var (access, refusal) = await Authorize(request, o, tokens, type, 's');
        if (refusal is not null)
        {
            return refusal;
        }

        var patient = (request.Query["patient"].FirstOrDefault() ?? request.Query["subject"].FirstOrDefault() ?? "").Split('/')[^1];
        if (patient.Length == 0)
        {
            return Outcome(400, "required", "This EHR needs a 'patient' (or 'subject') search parameter.", "Ce DPI exige un paramètre de recherche « patient » (ou « subject »).");
        }

        if (access!.Patient is not null && patient != access.Patient)
        {
            return Outcome(403, "forbidden", "The search is outside the token's patient compartment.", "La recherche sort du compartiment du patient du jeton.");
        }

        var count = int.TryParse(request.Query["_count"], CultureInfo.InvariantCulture, out var c) && c > 0 ? Math.Min(c, o.MaxPageSize) : o.MaxPageSize;
        var offset = int.TryParse(request.Query["_offset"], CultureInfo.InvariantCulture, out var f) && f > 0 ? f : 0;
        var all = store.Search(type, patient);
        var base_ = EhrUrls.Of(request, o).FhirBase;
        string Page(int at) => AuthServer.WithQuery($"{base_}/{type}", ("patient", patient), ("_count", count.ToString(CultureInfo.InvariantCulture)),
            ("_offset", at.ToString(CultureInfo.InvariantCulture)));

        var links = new JsonArray(new JsonObject { ["relation"] = "self", ["url"] = Page(offset) });
        if (offset + count < all.Count)
        {
            links.Add(new JsonObject { ["relation"] = "next", ["url"] = Page(offset + count) });
        }

        var entries = new JsonArray();
        foreach (var r in all.Skip(offset).Take(count))
        {
            entries.Add(new JsonObject
            {
                ["fullUrl"] = $"{base_}/{type}/{r["id"]!.GetValue<string>()}",
                ["resource"] = r.DeepClone(),
                ["search"] = new JsonObject { ["mode"] = "match" },
            });
        }

        var bundle = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "searchset",
            ["total"] = all.Count,
            ["link"] = links,
        };
        if (entries.Count > 0)
        {
            bundle["entry"] = entries; // FHIR JSON has no empty arrays
        }

        return Fhir(200, bundle);
    }

    /// <summary>
    /// A transaction (<c>POST [base]</c>, Bundle type transaction; see <see cref="TestEhr.Transaction"/>): every entry
    /// must be of a writable type and allowed by the token (create for POST, update for PUT); with patient-level scopes,
    /// about the token's patient. All or nothing.
    /// </summary>
    private static async Task<IResult> Transaction(HttpRequest request, IOptions<TestEhrOptions> options, Tokens tokens, PatientStore store)
    {
        JsonObject? bundle;
        try
        {
            bundle = await JsonNode.ParseAsync(request.Body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            bundle = null;
        }

        if (bundle?["resourceType"]?.GetValue<string>() != "Bundle" || bundle["type"]?.GetValue<string>() != "transaction")
        {
            return Outcome(400, "invalid", "POST [base] takes a transaction Bundle.", "POST [base] attend un Bundle de type transaction.");
        }

        string? tokenPatient = null;
        var checkedScopes = new HashSet<(string, char)>();
        foreach (var entry in bundle["entry"] as JsonArray ?? [])
        {
            var type = entry?["resource"]?["resourceType"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
            var permission = entry?["request"]?["method"] is JsonValue m && m.TryGetValue<string>(out var method) && method == "PUT" ? 'u' : 'c';
            if (type is null || !Scopes.WritableTypes.Contains(type) || !checkedScopes.Add((type, permission)))
            {
                continue; // an unknown type is refused, with its entry named, by the transaction itself
            }

            var (access, refusal) = await Authorize(request, options.Value, tokens, type, permission);
            if (refusal is not null)
            {
                return refusal;
            }

            tokenPatient ??= access!.Patient;
        }

        var result = TestEhr.Transaction.Process(store, bundle, EhrUrls.Of(request, options.Value).FhirBase, tokenPatient);
        return Fhir(result.Status, result.Body);
    }

    private static JsonObject Capability(EhrUrls urls) => new()
    {
        ["resourceType"] = "CapabilityStatement",
        ["status"] = "active",
        ["date"] = "2026-01-01",
        ["kind"] = "instance",
        ["fhirVersion"] = "4.0.1",
        ["format"] = new JsonArray("application/fhir+json"),
        ["implementation"] = new JsonObject { ["description"] = "BoneMetRT test EHR (fictitious patients) / DPI de test BoneMetRT (patients fictifs)", ["url"] = urls.FhirBase },
        ["rest"] = new JsonArray(new JsonObject
        {
            ["mode"] = "server",
            ["security"] = new JsonObject
            {
                ["service"] = new JsonArray(new JsonObject
                {
                    ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/restful-security-service", ["code"] = "SMART-on-FHIR" }),
                }),
                ["extension"] = new JsonArray(new JsonObject
                {
                    ["url"] = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                    ["extension"] = new JsonArray(
                        new JsonObject { ["url"] = "authorize", ["valueUri"] = urls.Issuer + "/authorize" },
                        new JsonObject { ["url"] = "token", ["valueUri"] = urls.Issuer + "/token" }),
                }),
            },
            ["resource"] = new JsonArray(Scopes.ResourceTypes.Select(t => (JsonNode)(t == "Patient"
                ? new JsonObject { ["type"] = t, ["interaction"] = new JsonArray(new JsonObject { ["code"] = "read" }) }
                : new JsonObject
                {
                    ["type"] = t,
                    ["interaction"] = new JsonArray(new JsonObject { ["code"] = "read" }, new JsonObject { ["code"] = "search-type" }),
                    ["searchParam"] = new JsonArray(new JsonObject { ["name"] = "patient", ["type"] = "reference" }, new JsonObject { ["name"] = "subject", ["type"] = "reference" }),
                })).ToArray()),
        }),
    };

    private static IResult Challenge(string en, string fr)
    {
        var result = Outcome(401, "login", en, fr);
        return new WithHeader(result, "WWW-Authenticate", "Bearer");
    }

    /// <summary>An OperationOutcome with one error issue, in English with the French text after it.</summary>
    public static IResult Outcome(int status, string code, string en, string fr) => Fhir(status, TransactionResult.Outcome(code, en, fr));

    private static IResult Fhir(int status, JsonNode body) => Results.Text(PatientStore.Json(body), FhirJson, statusCode: status);

    private sealed class WithHeader(IResult inner, string name, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers[name] = value;
            return inner.ExecuteAsync(context);
        }
    }
}
