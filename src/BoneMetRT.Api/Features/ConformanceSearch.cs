using BoneMetRT.Api.Infrastructure;
using BoneMetRT.Fhir.Packaging;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Features;

/// <summary>
/// <c>GET [base]/{type}?url=…&amp;version=…</c> over the package's conformance resources, answering a searchset Bundle.
/// Strict: a parameter the search does not know is refused (400) rather than ignored, because a tester who asks for
/// <c>name=…</c> or <c>url:below=…</c> and gets every resource back would take it for an answer to that question.
/// </summary>
public static class ConformanceSearch
{
    /// <summary>The search parameters, each taking a comma-separated list of values (any of them matches).</summary>
    public static readonly IReadOnlyList<string> SearchParameters = ["url", "version"];

    /// <summary>Parameters that shape the answer without selecting anything (FHIR's result parameters the service honours).</summary>
    public static readonly IReadOnlyList<string> ResultParameters = ["_format", "_pretty"];

    /// <summary>
    /// Searches <paramref name="package"/> for resources of <paramref name="type"/> matching <paramref name="query"/>
    /// (<c>url</c> exact, <c>url|version</c> accepted as a canonical with its version; <c>version</c> exact).
    /// </summary>
    /// <param name="package">The conformance resources served.</param>
    /// <param name="type">The resource type searched; it must be a type of the package.</param>
    /// <param name="query">The query string.</param>
    /// <param name="serviceBase">The absolute FHIR base of the service, for fullUrl and the self link.</param>
    /// <exception cref="FhirRequestException">404 for a type the service does not serve, 400 for an unknown parameter or an empty value.</exception>
    public static Bundle Search(IReadOnlyList<Resource> package, string type, IQueryCollection query, string serviceBase)
    {
        if (!package.Any(r => r.TypeName == type))
        {
            throw NotServed(package, type);
        }

        var criteria = new List<(string Name, string[] Values)>();
        foreach (var (name, values) in query.OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            if (ResultParameters.Contains(name))
            {
                continue;
            }

            if (!SearchParameters.Contains(name))
            {
                throw new FhirRequestException(400, OperationOutcome.IssueType.NotSupported,
                    new($"Unknown search parameter '{name}': a search on {type} takes url and version (exact match, no modifier), and _format and _pretty.",
                        $"Paramètre de recherche inconnu « {name} » : une recherche sur {type} prend url et version (correspondance exacte, sans modificateur), ainsi que _format et _pretty."),
                    name);
            }

            if (values.Count != 1)
            {
                throw new FhirRequestException(400, OperationOutcome.IssueType.Invalid,
                    new($"Search parameter '{name}' is given {values.Count} times: give it once, with its values separated by commas.",
                        $"Le paramètre de recherche « {name} » est donné {values.Count} fois : le donner une fois, ses valeurs séparées par des virgules."),
                    name);
            }

            var split = values[0]!.Split(',');
            if (split.Any(string.IsNullOrWhiteSpace))
            {
                throw new FhirRequestException(400, OperationOutcome.IssueType.Invalid,
                    new($"Search parameter '{name}' has an empty value.", $"Le paramètre de recherche « {name} » a une valeur vide."),
                    name);
            }

            criteria.Add((name, split));
        }

        var matches = package
            .Where(r => r.TypeName == type)
            .Select(r => (Resource: r, Canonical: CanonicalResource.Of(r)))
            .Where(r => r.Canonical is not null && criteria.All(c => c.Name switch
            {
                "url" => c.Values.Any(v => MatchesCanonical(r.Canonical.Value, v)),
                _ => c.Values.Contains(r.Canonical.Value.Version, StringComparer.Ordinal),
            }))
            .Select(r => r.Resource)
            .OrderBy(r => r.Id, StringComparer.Ordinal)
            .ToList();

        var self = $"{serviceBase}/{type}" + (criteria.Count == 0 ? "" : "?" + string.Join('&',
            criteria.Select(c => $"{c.Name}={Uri.EscapeDataString(string.Join(',', c.Values))}")));
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Searchset,
            Total = matches.Count,
            Link = [new Bundle.LinkComponent { Relation = "self", Url = self }],
        };
        foreach (var resource in matches)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"{serviceBase}/{type}/{resource.Id}",
                Resource = resource,
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
            });
        }

        return bundle;
    }

    /// <summary>The 404 for a type that is not among the package's.</summary>
    public static FhirRequestException NotServed(IReadOnlyList<Resource> package, string what)
    {
        var types = string.Join(", ", package.Select(r => r.TypeName).Distinct().Order(StringComparer.Ordinal));
        return new FhirRequestException(404, OperationOutcome.IssueType.NotFound,
            new($"{what} is not a resource of this service (it serves its conformance resources: {types}).",
                $"{what} n'est pas une ressource de ce service (il sert ses ressources de conformité : {types})."));
    }

    /// <summary><c>url</c> exactly, or <c>url|version</c> with both equal.</summary>
    private static bool MatchesCanonical((string? Url, string? Version) canonical, string value)
    {
        var bar = value.IndexOf('|', StringComparison.Ordinal);
        return bar < 0
            ? canonical.Url == value
            : canonical.Url == value[..bar] && canonical.Version == value[(bar + 1)..];
    }
}
