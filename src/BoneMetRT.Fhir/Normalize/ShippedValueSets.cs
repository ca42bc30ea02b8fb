using System.Collections.Concurrent;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Rades;
using BoneMetRT.Domain.Regimens;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;

namespace BoneMetRT.Fhir.Normalize;

/// <summary>
/// The value sets of the FHIR package the engine matches lesion, primary-cancer and bone-site codes by, read from
/// their shipped expansions (embedded in this assembly from <c>fhir-profiles/</c>): the package is the one source of
/// these codes, so the profiles, the <c>$validate</c> operation and the engine cannot disagree on them.
/// </summary>
public static class ShippedValueSets
{
    private static readonly ConcurrentDictionary<string, ShippedValueSet> Loaded = new(StringComparer.Ordinal);

    /// <summary>The bone-site value sets and what being in each tells: the kind of bone and, for long bones, the Mirels site.</summary>
    private static readonly (string Id, BoneKind Kind, MirelsSite? Site)[] BoneSiteSets =
    [
        ("bone-sites-upper-limb", BoneKind.LongBone, MirelsSite.UpperLimb),
        ("bone-sites-lower-limb", BoneKind.LongBone, MirelsSite.LowerLimb),
        ("bone-sites-peritrochanteric", BoneKind.LongBone, MirelsSite.Peritrochanteric),
        ("bone-sites-vertebral", BoneKind.Vertebra, null),
        ("bone-sites-other", BoneKind.Other, null),
    ];

    private static readonly Lazy<IReadOnlyDictionary<string, BoneSite>> Bones = new(ReadBones);

    private static readonly Lazy<IReadOnlyList<(ShippedValueSet Set, PrimaryTumourType Type)>> PrimarySets = new(() =>
        [.. RadesTable.Primary.Select(row => (Load("primary-cancer-" + row.Code), row.Value))]);

    /// <summary>Codes of one bone metastasis (ValueSet <c>bone-metastasis-codes</c>).</summary>
    public static ShippedValueSet BoneMetastasis => Load("bone-metastasis-codes");

    /// <summary>Codes of a secondary malignant neoplasm whose site is in <c>bodySite</c> (ValueSet <c>secondary-neoplasm-codes</c>).</summary>
    public static ShippedValueSet SecondaryNeoplasm => Load("secondary-neoplasm-codes");

    /// <summary>Codes of a lung primary that do not say small-cell or not (ValueSet <c>primary-cancer-lung-unspecified</c>).</summary>
    public static ShippedValueSet LungUnspecified => Load("primary-cancer-lung-unspecified");

    /// <summary>One value set per Rades primary category (<c>primary-cancer-{code}</c>, the codes of <c>primary-tumour-type</c>).</summary>
    public static IReadOnlyList<(ShippedValueSet Set, PrimaryTumourType Type)> Primaries => PrimarySets.Value;

    /// <summary>Every SNOMED CT bone site of the <c>bone-sites-*</c> value sets, by code.</summary>
    public static IReadOnlyDictionary<string, BoneSite> BoneSites => Bones.Value;

    /// <summary>The shipped value set <c>ValueSet-{id}.json</c>.</summary>
    /// <exception cref="InvalidOperationException">The package holds no such value set, or it has no expansion.</exception>
    public static ShippedValueSet Load(string id) => Loaded.GetOrAdd(id, static id =>
    {
        var name = $"fhir-profiles/ValueSet-{id}.json";
        using var stream = typeof(ShippedValueSets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The FHIR package holds no {name}.");
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        var parsed = FhirSerialization.Parse(ms.ToArray(), FhirFormat.Json);
        return parsed.Value is ValueSet vs
            ? new ShippedValueSet(vs)
            : throw new InvalidOperationException($"{name} is not a ValueSet: {string.Join("; ", parsed.Issues.Select(i => i.Text.En))}");
    });

    /// <summary>
    /// A bone site's label is its designation (the short name the engine writes in its answers, e.g. "humerus", "T10
    /// vertebra"), else its display; a vertebra's level is read from that label, so the label and the level cannot drift.
    /// </summary>
    private static IReadOnlyDictionary<string, BoneSite> ReadBones()
    {
        var bones = new Dictionary<string, BoneSite>(StringComparer.Ordinal);
        foreach (var (id, kind, site) in BoneSiteSets)
        {
            foreach (var c in Load(id).Codes.Where(c => c.System == CodeSystems.Snomed && c.Code is not null))
            {
                var label = c.Designation.FirstOrDefault(d => d.Language is null or "en")?.Value ?? c.Display ?? c.Code!;
                var level = kind == BoneKind.Vertebra ? VertebralLevel.Parse(label) : null;
                if (!bones.TryAdd(c.Code!, new BoneSite(kind, site, label, level)))
                {
                    throw new InvalidOperationException($"SNOMED CT {c.Code} is in two bone-site value sets: what kind of bone it is would be a guess.");
                }
            }
        }

        return bones;
    }
}
