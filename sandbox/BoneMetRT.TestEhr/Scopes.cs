namespace BoneMetRT.TestEhr;

/// <summary>SMART scopes, v2 (<c>patient/Observation.rs</c>) and v1 (<c>patient/Observation.read</c>).</summary>
public static class Scopes
{
    /// <summary>Resource types the EHR serves (read, and search but for Patient).</summary>
    public static readonly string[] ResourceTypes = ["Patient", "Condition", "Observation", "Procedure"];

    /// <summary>
    /// Resource types an app may write in a transaction: a decision-support result saved as a draft, with the engine as
    /// a Device and its Provenance, and the records such a result points at when they do not come from this EHR.
    /// </summary>
    public static readonly string[] WritableTypes =
        ["CarePlan", "RequestGroup", "ServiceRequest", "RiskAssessment", "Observation", "Provenance", "Device", "Patient", "Condition", "Procedure"];

    private static readonly HashSet<string> Plain = ["openid", "fhirUser", "profile", "launch", "launch/patient", "online_access"];

    /// <summary>What the EHR grants of a requested scope string: known scopes; resource scopes reduced to read and search on
    /// the types it serves, and create and update on the types apps may write.</summary>
    public static IReadOnlyList<string> Grant(string? requested)
    {
        var granted = new List<string>();
        foreach (var scope in (requested ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct())
        {
            if (Plain.Contains(scope))
            {
                granted.Add(scope);
            }
            else if (Parse(scope) is { } s)
            {
                var allowed = (s.Type == "*" || ResourceTypes.Contains(s.Type) ? "rs" : "") + (s.Type == "*" || WritableTypes.Contains(s.Type) ? "cu" : "");
                var perms = new string([.. "cruds".Where(p => s.Permissions.Contains(p) && allowed.Contains(p))]);
                if (perms.Length > 0)
                {
                    granted.Add(s.V1 ? scope : $"{s.Context}/{s.Type}.{perms}");
                }
            }
        }

        return granted;
    }

    /// <summary>Does a granted scope list allow <paramref name="permission"/> ('r' read, 's' search, 'c' create, 'u' update) on a type, and at which level.</summary>
    /// <returns>"user" or "system" (any patient), "patient" (the token's patient only), or null (not allowed).</returns>
    public static string? Level(IEnumerable<string> granted, string type, char permission)
    {
        string? level = null;
        foreach (var s in granted.Select(Parse).OfType<Parsed>())
        {
            if ((s.Type == type || s.Type == "*") && s.Permissions.Contains(permission))
            {
                if (s.Context is "user" or "system")
                {
                    return s.Context;
                }

                level = "patient";
            }
        }

        return level;
    }

    private sealed record Parsed(string Context, string Type, string Permissions, bool V1);

    private static Parsed? Parse(string scope)
    {
        var slash = scope.IndexOf('/', StringComparison.Ordinal);
        var dot = scope.LastIndexOf('.');
        if (slash <= 0 || dot <= slash + 1)
        {
            return null;
        }

        var context = scope[..slash];
        if (context is not ("patient" or "user" or "system"))
        {
            return null;
        }

        var type = scope[(slash + 1)..dot];
        var perms = scope[(dot + 1)..];
        return perms switch
        {
            "read" => new Parsed(context, type, "rs", true),
            "*" => new Parsed(context, type, "cruds", true),
            "write" => new Parsed(context, type, "cud", true),
            _ when perms.Length > 0 && perms.All("cruds".Contains) => new Parsed(context, type, perms, false),
            _ => null,
        };
    }
}
