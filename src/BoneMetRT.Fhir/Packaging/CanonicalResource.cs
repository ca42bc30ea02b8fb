using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Packaging;

/// <summary>The canonical URL and version of a package resource, whatever its type.</summary>
public static class CanonicalResource
{
    /// <summary>
    /// The canonical URL and version of <paramref name="resource"/>, or null for a resource without. PlanDefinition and
    /// ActivityDefinition are canonical resources too, though the SDK's conformance interface leaves them out.
    /// </summary>
    public static (string? Url, string? Version)? Of(Resource resource) => resource switch
    {
        IVersionableConformanceResource c => (c.Url, c.Version),
        PlanDefinition p => (p.Url, p.Version),
        ActivityDefinition a => (a.Url, a.Version),
        _ => null,
    };
}
