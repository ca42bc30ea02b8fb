using System.Text.Json;
using System.Text.Json.Nodes;

namespace BoneMetRT.TestEhr;

/// <summary>A patient of the test EHR, for the patient lists.</summary>
/// <param name="Id">Patient id.</param>
/// <param name="Name">Display name (the people are fictitious).</param>
/// <param name="Scenario">Name of the example file the patient comes from.</param>
/// <param name="ExampleDate">The example's <c>assessmentDate</c>, when it has one.</param>
public sealed record EhrPatient(string Id, string Name, string Scenario, string? ExampleDate);

/// <summary>
/// The EHR's records: every example request of <c>examples/valid</c> (a Parameters with a <c>data</c> Bundle, or a
/// Bundle) gives one patient and its resources. Resources get server ids (the Patient without an id takes the file
/// name; an id already used by another file gets a suffix) and every reference is rewritten to <c>Type/id</c>, as a
/// FHIR server would store them. Plain JSON: nothing of BoneMetRT's own code is used.
/// </summary>
public sealed class PatientStore
{
    private readonly Dictionary<string, JsonObject> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JsonObject>> _byPatient = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _compartment = new(StringComparer.Ordinal);
    private readonly List<EhrPatient> _patients = [];
    private readonly Dictionary<string, int> _versions = new(StringComparer.Ordinal);

    /// <summary>Id of the EHR's one user (a Practitioner): the <c>sub</c> of its tokens, their <c>fhirUser</c>.</summary>
    public const string ClinicianId = "sandbox-clinician";

    /// <summary>A store holding only the EHR's user, as a Practitioner (in no patient's compartment): what a saved Provenance names as enterer.</summary>
    public PatientStore()
    {
        _byKey[$"Practitioner/{ClinicianId}"] = new JsonObject
        {
            ["resourceType"] = "Practitioner",
            ["id"] = ClinicianId,
            ["name"] = new JsonArray(new JsonObject { ["text"] = "Sandbox clinician (fictitious) / Clinicien du bac à sable (fictif)" }),
        };
    }

    /// <summary>Patients in file order.</summary>
    public IReadOnlyList<EhrPatient> Patients => _patients;

    private readonly Lock _lock = new();

    /// <summary>A resource by type and id, or null.</summary>
    public JsonObject? Read(string type, string id)
    {
        lock (_lock)
        {
            return _byKey.GetValueOrDefault($"{type}/{id}");
        }
    }

    /// <summary>The patient whose compartment holds a resource, or null.</summary>
    public string? PatientOf(string type, string id)
    {
        lock (_lock)
        {
            return _compartment.GetValueOrDefault($"{type}/{id}");
        }
    }

    /// <summary>The resources of one type in a patient's compartment, in a stable order.</summary>
    public IReadOnlyList<JsonObject> Search(string type, string patientId)
    {
        lock (_lock)
        {
            return _byPatient.TryGetValue(patientId, out var all)
                ? all.Where(r => r["resourceType"]?.GetValue<string>() == type).ToList()
                : [];
        }
    }

    /// <summary>The lock a transaction holds from its first read to its last write (all or nothing, no interleaving).</summary>
    internal Lock Sync => _lock;

    /// <summary>True when <c>Type/id</c> is stored.</summary>
    public bool Exists(string key)
    {
        lock (_lock)
        {
            return _byKey.ContainsKey(key);
        }
    }

    /// <summary>The stored resources of a type, in every compartment (for conditional creates and references).</summary>
    public IReadOnlyList<JsonObject> All(string type)
    {
        lock (_lock)
        {
            return _byKey.Where(kv => kv.Key.StartsWith(type + "/", StringComparison.Ordinal)).Select(kv => kv.Value).ToList();
        }
    }

    /// <summary>The current version of a stored resource (1 for the loaded examples).</summary>
    public int VersionOf(string key)
    {
        lock (_lock)
        {
            return _versions.GetValueOrDefault(key, 1);
        }
    }

    /// <summary>
    /// Stores resources (creates, or a new version of an existing <c>Type/id</c>), each in a patient's compartment or in
    /// none (a Device). The caller has checked them; a transaction calls this once, under <see cref="Sync"/>.
    /// </summary>
    internal void Commit(IReadOnlyList<(string Key, JsonObject Resource, string? Patient)> writes)
    {
        lock (_lock)
        {
            foreach (var (key, resource, patient) in writes)
            {
                if (_byKey.TryGetValue(key, out var old))
                {
                    foreach (var list in _byPatient.Values)
                    {
                        list.Remove(old);
                    }

                    _compartment.Remove(key);
                    _versions[key] = _versions.GetValueOrDefault(key, 1) + 1;
                }

                _byKey[key] = resource;
                if (patient is not null)
                {
                    _compartment[key] = patient;
                    if (!_byPatient.TryGetValue(patient, out var list))
                    {
                        _byPatient[patient] = list = [];
                    }

                    list.Add(resource);
                    if (key == $"Patient/{patient}" && !_patients.Any(p => p.Id == patient))
                    {
                        _patients.Add(new EhrPatient(patient, NameOf(resource), "transaction", null));
                    }
                }
            }
        }
    }

    /// <summary>Loads every <c>*.json</c> file of a folder; files without exactly one Patient are skipped.</summary>
    public static PatientStore Load(string folder)
    {
        var store = new PatientStore();
        var files = Directory.GetFiles(folder, "*.json").OrderBy(f => f, StringComparer.Ordinal).ToList();
        for (var k = 0; k < files.Count; k++)
        {
            store.Add(Path.GetFileNameWithoutExtension(files[k]), JsonNode.Parse(File.ReadAllText(files[k])) as JsonObject, k);
        }

        return store;
    }

    /// <summary>Finds <c>examples/valid</c> upwards from the given folders.</summary>
    public static string? FindExamples(params string[] starts)
    {
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "examples", "valid");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private void Add(string stem, JsonObject? request, int fileIndex)
    {
        if (request is null)
        {
            return;
        }

        string? exampleDate = null;
        var bundle = request;
        if (request["resourceType"]?.GetValue<string>() == "Parameters")
        {
            bundle = null;
            foreach (var p in request["parameter"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                switch (p["name"]?.GetValue<string>())
                {
                    case "data":
                        bundle = p["resource"] as JsonObject;
                        break;
                    case "assessmentDate":
                        exampleDate = (p["valueDateTime"] ?? p["valueDate"])?.GetValue<string>();
                        break;
                }
            }
        }

        var entries = bundle?["entry"]?.AsArray().OfType<JsonObject>().Where(e => e["resource"] is JsonObject).ToList() ?? [];
        if (entries.Count(e => e["resource"]!["resourceType"]?.GetValue<string>() == "Patient") != 1)
        {
            return;
        }

        // Pass 1: server ids, and what every way of referring to a resource becomes.
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        var resources = new List<(JsonObject Resource, string Type, string Id)>();
        foreach (var entry in entries)
        {
            var resource = (JsonObject)entry["resource"]!.DeepClone();
            var type = resource["resourceType"]!.GetValue<string>();
            var oldId = resource["id"]?.GetValue<string>();
            var fullUrl = entry["fullUrl"]?.GetValue<string>();
            var id = oldId ?? (type == "Patient" ? stem : fullUrl?.Split(':', '/').LastOrDefault(s => s.Length > 0) ?? $"{stem}-{resources.Count}");
            var unique = id;
            for (var n = 0; _byKey.ContainsKey($"{type}/{unique}") || resources.Any(r => r.Type == type && r.Id == unique); n++)
            {
                unique = n == 0 ? $"{id}-{fileIndex:00}" : $"{id}-{fileIndex:00}-{n}";
            }

            if (fullUrl is not null)
            {
                renames[fullUrl] = $"{type}/{unique}";
            }

            if (oldId is not null)
            {
                renames[$"{type}/{oldId}"] = $"{type}/{unique}";
            }

            resource["id"] = unique;
            resources.Add((resource, type, unique));
        }

        // Pass 2: references as a server stores them, then the index.
        foreach (var (resource, _, _) in resources)
        {
            Rewrite(resource, renames);
        }

        var patient = resources.Single(r => r.Type == "Patient");
        _byPatient[patient.Id] = resources.Select(r => r.Resource).ToList();
        foreach (var (resource, type, id) in resources)
        {
            _byKey[$"{type}/{id}"] = resource;
            _compartment[$"{type}/{id}"] = patient.Id;
        }

        _patients.Add(new EhrPatient(patient.Id, NameOf(patient.Resource), stem, exampleDate));
    }

    internal static void Rewrite(JsonNode? node, IReadOnlyDictionary<string, string> renames)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["reference"] is JsonValue v && v.TryGetValue<string>(out var reference) && renames.TryGetValue(reference, out var renamed))
                {
                    o["reference"] = renamed;
                }

                foreach (var child in o.Select(p => p.Value).ToList())
                {
                    Rewrite(child, renames);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Rewrite(child, renames);
                }

                break;
        }
    }

    private static string NameOf(JsonObject patient)
    {
        var name = patient["name"]?.AsArray().OfType<JsonObject>().FirstOrDefault();
        var given = string.Join(' ', name?["given"]?.AsArray().Select(g => g?.GetValue<string>()) ?? []);
        var family = name?["family"]?.GetValue<string>();
        var text = $"{given} {family}".Trim();
        return text.Length > 0 ? text : patient["id"]!.GetValue<string>();
    }

    /// <summary>Serializes a resource as FHIR JSON.</summary>
    public static string Json(JsonNode node) => node.ToJsonString(JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
