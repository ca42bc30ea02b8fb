using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Tests.Builders;

/// <summary>
/// Resolves every <c>Reference.reference</c> of a response Bundle the way a FHIR consumer does (R4 "Resolving
/// references in Bundles"): an output must point at a fullUrl of the Bundle, exactly; a copied input keeps the
/// caller's own references, which resolve to a fullUrl, or relative to the fullUrl of the entry that holds them, or
/// are absolute URLs the caller gave.
/// </summary>
public static class ResponseReferences
{
    /// <summary>The references that do not resolve, as <c>entry fullUrl → reference</c>.</summary>
    public static List<string> Unresolved(Bundle bundle)
    {
        var fullUrls = bundle.Entry.Select(e => e.FullUrl).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var byTypeAndId = bundle.Entry.Where(e => e.Resource?.Id is not null)
            .Select(e => $"{e.Resource!.TypeName}/{e.Resource.Id}").ToHashSet(StringComparer.Ordinal);
        var unresolved = new List<string>();
        foreach (var entry in bundle.Entry)
        {
            var input = entry.IsInput();
            foreach (var reference in entry.Resource!.Select("descendants().ofType(Reference)").OfType<ResourceReference>())
            {
                var r = reference.Reference;
                if (string.IsNullOrEmpty(r) || r.StartsWith('#') || fullUrls.Contains(r))
                {
                    continue;
                }

                var resolved = input && (
                    r.StartsWith("http://", StringComparison.Ordinal) || r.StartsWith("https://", StringComparison.Ordinal)
                    || (BaseOf(entry.FullUrl) is { } b && fullUrls.Contains(b + r))
                    || (entry.FullUrl is null && byTypeAndId.Contains(r)));
                if (!resolved)
                {
                    unresolved.Add($"{entry.FullUrl} → {r}");
                }
            }
        }

        return unresolved;
    }

    /// <summary>The service base of a RESTful fullUrl (<c>http://x/fhir/Type/id</c> → <c>http://x/fhir/</c>).</summary>
    private static string? BaseOf(string? fullUrl)
    {
        if (fullUrl is null || !(fullUrl.StartsWith("http://", StringComparison.Ordinal) || fullUrl.StartsWith("https://", StringComparison.Ordinal)))
        {
            return null;
        }

        var parts = fullUrl.TrimEnd('/').Split('/');
        return parts.Length > 4 ? string.Join('/', parts[..^2]) + "/" : null;
    }
}
