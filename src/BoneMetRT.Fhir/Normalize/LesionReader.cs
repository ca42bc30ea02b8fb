using System.Globalization;
using BoneMetRT.Domain.Facts;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Normalize;

/// <summary>
/// Reads each counted bone-metastasis Condition into a <see cref="LesionFacts"/>: its bone, vertebral level and label
/// from <c>bodySite</c>, its own items (Mirels, lysis, pain…) from the Observations focused on it, and an established
/// pathological fracture of its bone.
/// </summary>
internal static class LesionReader
{
    /// <summary>The lesions of the record.</summary>
    public static List<LesionFacts> Read(ReadContext ctx, PatientRecord record, ObservationReader items)
    {
        var fractures = FractureReader.Read(ctx, record);
        return [.. record.Lesions.Select(l => Lesion(l, items, fractures.TryGetValue(l.Key, out var f) ? f : Fact<bool>.Missing))];
    }

    private static LesionFacts Lesion(Entry<Condition> e, ObservationReader items, Fact<bool> fracture)
    {
        var (i, c, key) = e;
        var bone = BodySites.Bone(c.BodySite);
        var siteFromBody = bone?.MirelsSite is { } ms ? new[] { new Candidate<MirelsSite>(ms, null, key, false) } : [];
        var label = BodySites.Label(c.BodySite) ?? bone?.Label ?? $"lesion {c.Id ?? (i + 1).ToString(CultureInfo.InvariantCulture)}";
        return new LesionFacts
        {
            Id = key,
            Label = label,
            Kind = bone?.Kind ?? BoneKind.Unknown,
            Level = BodySites.Level(c.BodySite),
            PathologicalFracture = fracture,
            Site = FactResolution.Resolve(items.Candidates<MirelsSite>(ItemCodes.MirelsSite, key).Concat(siteFromBody)),
            Size = items.Fact<MirelsSize>(ItemCodes.MirelsSize, key),
            Type = items.Fact<LesionType>(ItemCodes.LesionType, key),
            Pain = items.Fact<MirelsPain>(ItemCodes.MirelsPain, key),
            CorticalLysisAxial = items.Fact<LysisMeasure>(ItemCodes.CorticalLysisAxial, key),
            CorticalLysisCircumferential = items.Fact<decimal>(ItemCodes.CorticalLysisCircumferential, key),
            WellDefined = items.Fact<bool>(ItemCodes.LesionWellDefined, key),
            EpiduralExtension = items.Fact<bool>(ItemCodes.EpiduralExtension, key),
            // Only the lesion's own pain items: a patient-level statement stays on PatientFacts, where the engine
            // applies it to a lesion only when the patient has exactly one (it never makes every lesion painful).
            AnalgesicRefractoryPain = items.Fact<bool>(ItemCodes.AnalgesicRefractoryPain, key),
            NeuropathicPain = items.Fact<bool>(ItemCodes.NeuropathicPain, key),
        };
    }
}

/// <summary>
/// Reads pathological-fracture Conditions (SNOMED 268029009, ICD-10 M84.4 / M84.5) onto the lesion whose bone is
/// broken: an established fracture is a surgical question, not fracture prevention (the engine then withholds Mirels).
/// A fracture is matched to a lesion by an explicit link (<c>evidence.detail</c> → the lesion Condition) or by the same
/// bone (<see cref="BodySites.SameBone"/>); when the bone matches several lesions (left and right femur coded alike),
/// or none, it is not guessed: the fracture is reported as ignored with that reason.
/// </summary>
internal static class FractureReader
{
    /// <summary>Lesion key → its pathological-fracture fact.</summary>
    public static Dictionary<string, Fact<bool>> Read(ReadContext ctx, PatientRecord record)
    {
        var byLesion = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (i, c, key) in record.Fractures)
        {
            var linked = c.Evidence.SelectMany(ev => ev.Detail)
                .Select(d => ctx.Follow(i, d, "evidence.detail"))
                .Select(t => record.Lesions.FirstOrDefault(l => ReferenceEquals(l.Resource, t)))
                .Where(l => l is not null)
                .Select(l => l!)
                .DistinctBy(l => l.Key)
                .ToList();
            var lesions = linked.Count > 0 ? linked : [.. record.Lesions.Where(l => BodySites.SameBone(l.Resource.BodySite, c.BodySite))];
            if (lesions.Count != 1)
            {
                ctx.Ignore(i, lesions.Count == 0
                    ? new("pathological fracture not on the bone of a counted bone metastasis (no evidence.detail link, no lesion with the same bodySite code and level).",
                        "fracture pathologique hors de l'os d'une métastase osseuse prise en compte (pas de lien evidence.detail, pas de lésion de même code et niveau de bodySite).")
                    : new($"pathological fracture whose bone matches {lesions.Count} lesions: which one is broken is not guessed (link it by evidence.detail).",
                        $"fracture pathologique dont l'os correspond à {lesions.Count} lésions : celle qui est fracturée n'est pas devinée (la relier par evidence.detail)."));
                continue;
            }

            ctx.Use(i);
            if (!byLesion.TryGetValue(lesions[0].Key, out var sources))
            {
                byLesion[lesions[0].Key] = sources = [];
            }

            sources.Add(key);
        }

        return byLesion.ToDictionary(x => x.Key, x => Fact<bool>.Of(true, [.. x.Value]), StringComparer.Ordinal);
    }
}
