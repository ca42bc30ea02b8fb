namespace BoneMetRT.Fhir.Normalize;

/// <summary>
/// The code systems the engine reads a Condition's code in (setting <c>BoneMetRT:Terminology:AcceptedSystems</c>).
/// A coding in any other system is not read; a Condition left with nothing the engine reads is reported as ignored,
/// naming the systems it was coded in.
/// </summary>
/// <remarks>
/// Only the systems the package's shipped expansions hold can be accepted (<see cref="Known"/>): accepting a system
/// the value sets do not list would read nothing from it while claiming to, so an unknown URI is refused at start-up.
/// Body sites are read in SNOMED CT whatever this says: it is the only system of the bone-site value sets.
/// </remarks>
public sealed class TerminologySettings
{
    /// <summary>The systems the shipped value sets list codes in: SNOMED CT, ICD-10 (WHO), ICD-10-CM, the French CIM-10.</summary>
    public static IReadOnlyList<string> Known { get; } = [CodeSystems.Snomed, CodeSystems.Icd10, CodeSystems.Icd10Cm, CodeSystems.Cim10];

    /// <summary>Every known system accepted (the default).</summary>
    public static TerminologySettings Default { get; } = new(Known);

    private readonly HashSet<string> _accepted;

    /// <summary>Accepts the given systems.</summary>
    /// <exception cref="ArgumentException">The list is empty or names a system that is not in <see cref="Known"/>.</exception>
    public TerminologySettings(IEnumerable<string> accepted)
    {
        _accepted = new HashSet<string>(accepted, StringComparer.Ordinal);
        if (Problem(_accepted) is { } problem)
        {
            throw new ArgumentException(problem, nameof(accepted));
        }
    }

    /// <summary>The accepted systems, in the order of <see cref="Known"/>.</summary>
    public IReadOnlyList<string> Accepted => [.. Known.Where(_accepted.Contains)];

    /// <summary>True when codes of <paramref name="system"/> are read.</summary>
    public bool Accepts(string? system) => system is not null && _accepted.Contains(system);

    /// <summary>Why a list of systems cannot be the setting, or null when it can.</summary>
    public static string? Problem(IEnumerable<string>? systems)
    {
        var list = systems?.ToList() ?? [];
        if (list.Count == 0)
        {
            return "BoneMetRT:Terminology:AcceptedSystems must name at least one code system.";
        }

        var unknown = list.Where(s => !Known.Contains(s, StringComparer.Ordinal)).ToList();
        return unknown.Count == 0
            ? null
            : $"BoneMetRT:Terminology:AcceptedSystems holds {string.Join(", ", unknown)}, which the shipped value sets do not list; accepted systems are among {string.Join(", ", Known)}.";
    }
}
