using BoneMetRT.Domain.Facts;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Normalize;

/// <summary>
/// Reads every counted spinal-cord-compression Condition into its own <see cref="MsccFacts"/>: each compressing level
/// is scored and treated on its own (two compressions are two urgent courses, not "the most recent one").
/// </summary>
internal static class CompressionReader
{
    /// <summary>The compressions of the record.</summary>
    public static List<MsccFacts> Read(ReadContext ctx, PatientRecord record, IReadOnlyList<LesionFacts> lesions, ObservationReader items)
    {
        var list = new List<MsccFacts>();
        foreach (var (i, c, key) in record.Compressions)
        {
            ctx.Use(i);
            var level = BodySites.Level(c.BodySite);
            var lesion = Lesion(ctx, i, c, level, record, lesions);
            list.Add(new MsccFacts
            {
                Id = key,
                Label = BodySites.Label(c.BodySite) ?? level ?? "",
                Level = level,
                LesionId = lesion,
                // As precise as the record holds it: the engine decides whether the Rades interval can be told.
                Onset = FhirDates.Partial(c.Onset) is { } onset ? Fact<PartialDate>.Of(onset, key) : Fact<PartialDate>.Missing,
                Ambulatory = Motor<AmbulatoryStatus>(items, ItemCodes.AmbulatoryStatus, key, lesion),
                MotorDeficitDays = Motor<decimal>(items, ItemCodes.MotorDeficitDuration, key, lesion),
            });
        }

        return list;
    }

    /// <summary>
    /// The lesion the compression comes from: the one its <c>evidence.detail</c> names, else the only lesion at the same
    /// vertebral level. Never "the only vertebral lesion": a compression at T4 and a metastasis at L1 are two sites, and
    /// aiming the urgent course at L1 would treat the wrong vertebra.
    /// </summary>
    private static string? Lesion(ReadContext ctx, int i, Condition c, string? level, PatientRecord record, IReadOnlyList<LesionFacts> lesions)
    {
        foreach (var detail in c.Evidence.SelectMany(e => e.Detail))
        {
            if (ctx.Follow(i, detail, "evidence.detail") is Condition target && record.Lesions.FirstOrDefault(l => ReferenceEquals(l.Resource, target)) is { } linked)
            {
                return linked.Key;
            }
        }

        if (level is null)
        {
            return null;
        }

        var sameLevel = lesions.Where(l => l.Level == level).ToList();
        return sameLevel.Count == 1 ? sameLevel[0].Id : null;
    }

    /// <summary>
    /// A motor item focused on the compression (or on its lesion) is that compression's; one without focus is the
    /// patient's and holds for every compression. Both kinds are weighed together, most recent first.
    /// </summary>
    private static Fact<T> Motor<T>(ObservationReader items, string item, string key, string? lesion) =>
        FactResolution.Resolve(items.Candidates<T>(item, key)
            .Concat(lesion is null ? [] : items.Candidates<T>(item, lesion))
            .Concat(items.Candidates<T>(item, null)));
}
