using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;

namespace BoneMetRT.Fhir.Normalize;

/// <summary>
/// The expansion of one value set of the FHIR package, as shipped in <c>fhir-profiles/</c> (there is no terminology
/// server: the expansion lists the codes, SNOMED CT descendants included, and is the one source of the code tables).
/// </summary>
/// <remarks>
/// SNOMED CT codes are members when listed. ICD-10, ICD-10-CM and CIM-10 codes are hierarchical by their characters, so
/// a code is a member when it or its category is listed: the code without its dot and in capitals, then shortened one
/// character at a time down to three (C79.51 → C7951, C795: listed as C79.5). CIM-10 is written without the dot,
/// ICD-10 with it; both spellings of a code are the same code.
/// </remarks>
public sealed class ShippedValueSet
{
    private readonly Dictionary<(string System, string Code), ValueSet.ContainsComponent> _codes = [];

    /// <summary>Reads the expansion of <paramref name="valueSet"/>.</summary>
    /// <exception cref="InvalidOperationException">The value set has no expansion.</exception>
    public ShippedValueSet(ValueSet valueSet)
    {
        Id = valueSet.Id ?? "";
        if (valueSet.Expansion is null)
        {
            throw new InvalidOperationException($"ValueSet/{valueSet.Id} ships no expansion: the engine has no terminology server to expand it.");
        }

        foreach (var c in Flatten(valueSet.Expansion.Contains))
        {
            if (c.System is not null && c.Code is not null && c.Abstract != true)
            {
                _codes.TryAdd((c.System, Key(c.System, c.Code)), c);
            }
        }
    }

    /// <summary>The value set's id.</summary>
    public string Id { get; }

    /// <summary>The listed codes.</summary>
    public IEnumerable<ValueSet.ContainsComponent> Codes => _codes.Values;

    /// <summary>True when the coding is a member (see the remarks on ICD categories).</summary>
    public bool Contains(string? system, string? code) => Find(system, code) is not null;

    /// <summary>The expansion entry the coding is a member through (itself, or its ICD category), or null.</summary>
    public ValueSet.ContainsComponent? Find(string? system, string? code)
    {
        if (system is null || string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var key = Key(system, code);
        if (_codes.TryGetValue((system, key), out var exact))
        {
            return exact;
        }

        if (!IsIcdFamily(system))
        {
            return null;
        }

        for (var length = key.Length - 1; length >= 3; length--)
        {
            if (_codes.TryGetValue((system, key[..length]), out var category))
            {
                return category;
            }
        }

        return null;
    }

    private static string Key(string system, string code) =>
        IsIcdFamily(system) ? code.Trim().Replace(".", "", StringComparison.Ordinal).ToUpperInvariant() : code.Trim();

    private static IEnumerable<ValueSet.ContainsComponent> Flatten(IEnumerable<ValueSet.ContainsComponent> contains) =>
        contains.SelectMany(c => new[] { c }.Concat(Flatten(c.Contains)));
}
