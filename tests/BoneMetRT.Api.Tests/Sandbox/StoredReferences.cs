using System.Text.Json.Nodes;
using BoneMetRT.Fhir;
using BoneMetRT.TestEhr;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Tests.Sandbox;

/// <summary>Reading the test EHR's store in the tests: everything it holds, and the references that do not resolve.</summary>
public static class StoredReferences
{
    /// <summary>Every type the EHR can hold.</summary>
    public static IEnumerable<string> Types => Scopes.WritableTypes.Append("Practitioner");

    /// <summary>Every stored resource, serialized, in a stable order (to compare two states of a store).</summary>
    public static string Dump(PatientStore store) => string.Join('\n',
        Types.SelectMany(store.All).Select(PatientStore.Json).Order(StringComparer.Ordinal));

    /// <summary>Every reference of every stored resource that resolves neither to a stored resource nor to a contained one.</summary>
    public static List<string> Dangling(PatientStore store)
    {
        var dangling = new List<string>();
        foreach (var resource in Types.SelectMany(store.All))
        {
            var contained = (resource["contained"] as JsonArray ?? []).Select(c => c?["id"]?.GetValue<string>()).ToHashSet();
            foreach (var reference in References(resource))
            {
                var ok = reference.StartsWith('#')
                    ? contained.Contains(reference[1..])
                    : reference.Split('/') is [var type, var id] && store.Read(type, id) is not null;
                if (!ok)
                {
                    dangling.Add($"{resource["resourceType"]}/{resource["id"]} → {reference}");
                }
            }
        }

        return dangling;
    }

    /// <summary>A Firely resource as the JSON the EHR reads.</summary>
    public static JsonObject Json(Resource resource) => (JsonObject)JsonNode.Parse(FhirSerialization.ToText(resource, FhirFormat.Json))!;

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject o => (o["reference"] is JsonValue v && v.TryGetValue<string>(out var r) ? [r] : Array.Empty<string>())
            .Concat(o.SelectMany(p => References(p.Value))),
        JsonArray a => a.SelectMany(References),
        _ => [],
    };
}
