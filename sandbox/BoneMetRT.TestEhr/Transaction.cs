using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BoneMetRT.TestEhr;

/// <summary>
/// A FHIR R4 transaction on the test EHR (<c>POST [base]</c>, http.html#transaction), as a FHIR server processes one:
/// POST (create; conditional with <c>ifNoneExist</c> on <c>identifier</c>, <c>_tag</c> or <c>_id</c>) and PUT
/// (<c>Type/id</c>: create or new version). Every entry's fullUrl (a <c>urn:uuid</c> placeholder, or any URL) is
/// replaced in every reference by the <c>Type/id</c> the entry gets; references to the EHR's own base become relative;
/// a conditional reference (<c>Patient?identifier=…</c>) is resolved by search. A reference that then points at neither
/// a stored resource nor an entry of the Bundle (an unresolved placeholder, another server's URL, an unknown
/// <c>Type/id</c>, a missing contained resource) refuses the whole transaction: all or nothing, nothing is stored.
/// </summary>
public static partial class Transaction
{
    private sealed record Item(int Index, string Type, JsonObject Resource, string? FullUrl, string Method, string Key, bool Write, string Status);

    /// <summary>
    /// Processes a transaction Bundle. <paramref name="tokenPatient"/>: with a patient-level token, every resource
    /// written must be in that patient's compartment (a Device, in none, may be written too).
    /// </summary>
    public static TransactionResult Process(PatientStore store, JsonObject bundle, string fhirBase, string? tokenPatient)
    {
        var entries = bundle["entry"] as JsonArray;
        if (entries is null || entries.Count == 0)
        {
            return TransactionResult.Refused(400, "required", "The transaction is empty.", "La transaction est vide.");
        }

        lock (store.Sync)
        {
            var items = new List<Item>();
            var fullUrls = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < entries.Count; i++)
            {
                var (item, refusal) = Plan(store, entries[i] as JsonObject, i);
                if (refusal is not null)
                {
                    return refusal;
                }

                if (item!.FullUrl is { } url && !fullUrls.Add(url))
                {
                    return Bad(i, $"the fullUrl {url} appears twice", $"le fullUrl {url} apparaît deux fois");
                }

                if (item.Method == "PUT" && items.Any(x => x.Key == item.Key))
                {
                    return Bad(i, $"{item.Key} is written twice", $"{item.Key} est écrit deux fois");
                }

                items.Add(item);
            }

            var renames = items.Where(x => x.FullUrl is not null).ToDictionary(x => x.FullUrl!, x => x.Key, StringComparer.Ordinal);
            var keys = items.Select(x => x.Key).ToHashSet(StringComparer.Ordinal);
            var written = new List<(Item Item, JsonObject Resource)>();
            foreach (var item in items.Where(x => x.Write))
            {
                var resource = (JsonObject)item.Resource.DeepClone();
                resource["id"] = item.Key.Split('/')[1];
                PatientStore.Rewrite(resource, renames);
                if (Resolve(store, resource, fhirBase, keys, item.Index) is { } refusal)
                {
                    return refusal;
                }

                written.Add((item, resource));
            }

            var compartments = Compartments(store, written.Select(w => (w.Item.Key, w.Resource)).ToList());
            foreach (var (item, _) in written)
            {
                var patient = compartments[item.Key];
                if (tokenPatient is not null && patient != tokenPatient && !(item.Type == "Device" && patient is null))
                {
                    return TransactionResult.Refused(403, "forbidden", $"Entry {item.Index}: {item.Type} is outside the token's patient compartment.",
                        $"Entrée {item.Index} : {item.Type} est hors du compartiment du patient du jeton.");
                }
            }

            // A PUT of what is already stored changes nothing (no new version).
            var changes = written.Where(w => w.Item.Status == "201 Created" || !SameContent(store.Read(w.Item.Type, w.Item.Key.Split('/')[1]), w.Resource)).ToList();
            store.Commit([.. changes.Select(w => (w.Item.Key, w.Resource, compartments[w.Item.Key]))]);

            return new TransactionResult(200, new JsonObject
            {
                ["resourceType"] = "Bundle",
                ["type"] = "transaction-response",
                ["entry"] = new JsonArray([.. items.Select(x => (JsonNode)new JsonObject
                {
                    ["response"] = new JsonObject
                    {
                        ["status"] = x.Status,
                        ["location"] = $"{x.Key}/_history/{store.VersionOf(x.Key)}",
                    },
                })]),
            });
        }
    }

    /// <summary>What one entry does: its key (new, matched by ifNoneExist, or the PUT's) and its status.</summary>
    private static (Item? Item, TransactionResult? Refusal) Plan(PatientStore store, JsonObject? entry, int i)
    {
        var resource = entry?["resource"] as JsonObject;
        var type = resource?["resourceType"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
        var method = Text(entry?["request"]?["method"]);
        var url = Text(entry?["request"]?["url"]) ?? "";
        var fullUrl = Text(entry?["fullUrl"]);
        if (type is null || !Scopes.WritableTypes.Contains(type))
        {
            return (null, TransactionResult.Refused(400, "not-supported", $"Entry {i}: this EHR only writes {string.Join(", ", Scopes.WritableTypes)}.",
                $"Entrée {i} : ce DPI n'écrit que {string.Join(", ", Scopes.WritableTypes)}."));
        }

        switch (method)
        {
            case "POST" when url == type:
                var condition = Text(entry!["request"]!["ifNoneExist"]);
                if (condition is null)
                {
                    return (new Item(i, type, resource!, fullUrl, method, $"{type}/{Guid.NewGuid():N}", true, "201 Created"), null);
                }

                var (matches, error) = Search(store, type, condition);
                if (error is not null)
                {
                    return (null, Bad(i, error.Value.En, error.Value.Fr));
                }

                return matches!.Count switch
                {
                    0 => (new Item(i, type, resource!, fullUrl, method, $"{type}/{Guid.NewGuid():N}", true, "201 Created"), null),
                    1 => (new Item(i, type, resource!, fullUrl, method, $"{type}/{matches[0]["id"]!.GetValue<string>()}", false, "200 OK"), null),
                    _ => (null, TransactionResult.Refused(412, "duplicate", $"Entry {i}: ifNoneExist '{condition}' matches {matches.Count} resources.",
                        $"Entrée {i} : ifNoneExist « {condition} » correspond à {matches.Count} ressources.")),
                };
            case "PUT" when IdUrl().Match(url) is { Success: true } m && m.Groups[1].Value == type
                && (Text(resource!["id"]) is null || Text(resource["id"]) == m.Groups[2].Value):
                var key = $"{type}/{m.Groups[2].Value}";
                return (new Item(i, type, resource!, fullUrl, method, key, true, store.Exists(key) ? "200 OK" : "201 Created"), null);
            default:
                return (null, Bad(i, $"request must be POST {type} or PUT {type}/[id] with the resource's id",
                    $"request doit être POST {type} ou PUT {type}/[id] avec l'id de la ressource"));
        }
    }

    /// <summary>
    /// Makes every reference of a resource to be stored point at a stored resource or an entry, or refuses: own base →
    /// relative, a conditional reference → the one match, a contained reference → checked against <c>contained</c>.
    /// </summary>
    private static TransactionResult? Resolve(PatientStore store, JsonObject resource, string fhirBase, HashSet<string> keys, int i)
    {
        var contained = (resource["contained"] as JsonArray)?.Select(c => Text(c?["id"])).OfType<string>().ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var holder in References(resource))
        {
            var reference = holder["reference"]!.GetValue<string>();
            if (reference.StartsWith('#'))
            {
                if (reference.Length > 1 && !contained.Contains(reference[1..]))
                {
                    return Dangling(i, reference);
                }

                continue;
            }

            if (reference.StartsWith(fhirBase + "/", StringComparison.Ordinal))
            {
                reference = reference[(fhirBase.Length + 1)..];
            }

            if (reference.Split('?') is [var type, var query] && IsType().IsMatch(type))
            {
                var (matches, _) = Search(store, type, query);
                if (matches is not { Count: 1 })
                {
                    return Bad(i, $"the conditional reference {reference} does not match exactly one resource",
                        $"la référence conditionnelle {reference} ne correspond pas à exactement une ressource");
                }

                reference = $"{type}/{matches[0]["id"]!.GetValue<string>()}";
            }

            var m = IdUrl().Match(reference);
            var key = m.Success ? $"{m.Groups[1].Value}/{m.Groups[2].Value}" : null;
            if (key is null || !(keys.Contains(key) || store.Exists(key)))
            {
                return Dangling(i, reference);
            }

            holder["reference"] = reference;
        }

        return null;
    }

    /// <summary>The compartment (patient id) of each resource written: a Patient's own, its subject's or patient's, a Provenance's targets'.</summary>
    private static Dictionary<string, string?> Compartments(PatientStore store, List<(string Key, JsonObject Resource)> written)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? Of(string key) => result.TryGetValue(key, out var p) ? p : key.Split('/') is [var t, var id] ? store.PatientOf(t, id) : null;
        foreach (var (key, resource) in written.Where(w => w.Resource["resourceType"]!.GetValue<string>() != "Provenance"))
        {
            var subject = Text(resource["subject"]?["reference"]) ?? Text(resource["patient"]?["reference"]);
            result[key] = key.StartsWith("Patient/", StringComparison.Ordinal) ? key[8..]
                : subject?.Split('/') is ["Patient", var id] ? id : null;
        }

        foreach (var (key, resource) in written.Where(w => w.Resource["resourceType"]!.GetValue<string>() == "Provenance"))
        {
            var patients = (resource["target"] as JsonArray ?? []).Select(t => Text(t?["reference"])).OfType<string>().Select(Of).Distinct().ToList();
            result[key] = patients is [var only] ? only : null;
        }

        return result;
    }

    /// <summary>Search for a conditional create or reference: <c>identifier</c>, <c>_tag</c> (<c>system|value</c>, either part optional) and <c>_id</c>, combined with <c>&amp;</c>.</summary>
    private static (List<JsonObject>? Matches, (string En, string Fr)? Error) Search(PatientStore store, string type, string query)
    {
        IEnumerable<JsonObject> matches = store.All(type);
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = part.Split('=', 2) is [var n, var v] ? (n, v) : (part, "");
            var token = value.Split('|', 2).Select(Uri.UnescapeDataString).ToArray();
            bool Matches(JsonNode? coding, string valueField) => token.Length == 1
                ? Text(coding?[valueField]) == token[0]
                : (token[0].Length == 0 || Text(coding?["system"]) == token[0]) && (token[1].Length == 0 || Text(coding?[valueField]) == token[1]);
            matches = name switch
            {
                "identifier" => matches.Where(r => (r["identifier"] as JsonArray ?? []).Any(x => Matches(x, "value"))),
                "_tag" => matches.Where(r => (r["meta"]?["tag"] as JsonArray ?? []).Any(x => Matches(x, "code"))),
                "_id" => matches.Where(r => Text(r["id"]) == Uri.UnescapeDataString(value)),
                _ => null!,
            };
            if (matches is null)
            {
                return (null, ($"the search parameter '{name}' is not supported (identifier, _tag, _id)", $"le paramètre de recherche « {name} » n'est pas pris en charge (identifier, _tag, _id)"));
            }
        }

        return (matches.ToList(), null);
    }

    private static IEnumerable<JsonObject> References(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["reference"] is JsonValue v && v.TryGetValue<string>(out _))
                {
                    yield return o;
                }

                foreach (var child in o.Select(p => p.Value).ToList())
                {
                    foreach (var r in References(child))
                    {
                        yield return r;
                    }
                }

                break;
            case JsonArray a:
                foreach (var child in a.ToList())
                {
                    foreach (var r in References(child))
                    {
                        yield return r;
                    }
                }

                break;
        }
    }

    private static bool SameContent(JsonObject? stored, JsonObject incoming)
    {
        if (stored is null)
        {
            return false;
        }

        var a = (JsonObject)stored.DeepClone();
        var b = (JsonObject)incoming.DeepClone();
        a.Remove("meta");
        b.Remove("meta");
        return JsonNode.DeepEquals(a, b);
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static TransactionResult Bad(int i, string en, string fr) =>
        TransactionResult.Refused(400, "invalid", $"Entry {i}: {en}; nothing was stored.", $"Entrée {i} : {fr} ; rien n'a été enregistré.");

    private static TransactionResult Dangling(int i, string reference) =>
        TransactionResult.Refused(400, "not-found", $"Entry {i}: the reference {reference} points at neither a stored resource nor an entry of the transaction; nothing was stored.",
            $"Entrée {i} : la référence {reference} ne désigne ni une ressource enregistrée ni une entrée de la transaction ; rien n'a été enregistré.");

    [GeneratedRegex(@"^([A-Z][A-Za-z]+)/([A-Za-z0-9\-\.]{1,64})(/_history/[A-Za-z0-9\-\.]{1,64})?$")]
    private static partial Regex IdUrl();

    [GeneratedRegex(@"^[A-Z][A-Za-z]+$")]
    private static partial Regex IsType();
}
