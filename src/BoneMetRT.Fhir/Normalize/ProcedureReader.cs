using BoneMetRT.Domain;
using BoneMetRT.Domain.Facts;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;

namespace BoneMetRT.Fhir.Normalize;

/// <summary>
/// Reads completed Procedures into typed, dated <see cref="ProcedureFacts"/>: what was done (fixation, decompression,
/// resection, vertebral augmentation, radiotherapy, biopsy, other surgery), when (as precise as written; undated is
/// passed on as missing, and the engine holds the post-operative window and says so), on which lesion or compression,
/// the dose of an earlier radiotherapy course, and whether the skin has healed since an operation.
/// </summary>
internal static class ProcedureReader
{
    /// <summary>URL tail of the mCODE / CodeX RT extension giving the dose delivered to a volume.</summary>
    private const string DoseDeliveredToVolume = "dose-delivered-to-volume";

    /// <summary>
    /// Procedure.category codes that say the kind when the code does not: SNOMED 387713003 "Surgical procedure" (the
    /// usual category of surgery), 108290001 "Radiation oncology AND/OR radiotherapy" (mCODE's radiotherapy category)
    /// and 1287742003 "Radiotherapy".
    /// </summary>
    private static readonly Dictionary<string, ProcedureKind> CategorySnomed = new()
    {
        ["387713003"] = ProcedureKind.OtherSurgery,
        ["108290001"] = ProcedureKind.Radiotherapy,
        ["1287742003"] = ProcedureKind.Radiotherapy,
    };

    /// <summary>The procedures of the record.</summary>
    public static List<ProcedureFacts> Read(ReadContext ctx, PatientRecord record, ObservationReader items)
    {
        var list = new List<ProcedureFacts>();
        var skin = new SkinLedger();
        foreach (var e in record.Procedures)
        {
            if (Procedure(ctx, e, record, items, skin) is { } p)
            {
                list.Add(p);
            }
        }

        skin.Report(ctx);
        return list;
    }

    private static ProcedureFacts? Procedure(ReadContext ctx, Entry<Procedure> e, PatientRecord record, ObservationReader items, SkinLedger skin)
    {
        var (i, p, key) = e;
        var (kind, byCode) = Kind(p);
        if (kind is null)
        {
            ctx.Ignore(i, new("Procedure whose code is not one the engine recognises (fixation, decompression, resection, vertebral augmentation, radiotherapy, biopsy, surgery): it is not read as surgery.",
                "Procedure dont le code n'est pas reconnu par le moteur (fixation, décompression, résection, cimentoplastie, radiothérapie, biopsie, chirurgie) : elle n'est pas lue comme une chirurgie."));
            return null;
        }

        if (!Targets(ctx, i, p, record, out var targets))
        {
            return null;
        }

        // A procedure that names no lesion or compression is passed on only when its code says it was on a bone or was
        // radiotherapy: the engine then treats its site on its own, or warns about overlap with an earlier course. A
        // generic "surgical procedure", a biopsy or a kind read from text alone may be anywhere: not read.
        if (targets.Count == 0 && !(byCode && kind is ProcedureKind.Fixation or ProcedureKind.Decompression or ProcedureKind.Resection or ProcedureKind.Radiotherapy))
        {
            ctx.Ignore(i, new("Procedure not linked to a bone metastasis or a spinal cord compression (by reasonReference, or by the same bodySite code and level), and its code does not say it was on a bone.",
                "Procedure non reliée à une métastase osseuse ou une compression médullaire (par reasonReference, ou par le même code et niveau de bodySite), et son code ne dit pas qu'elle portait sur un os."));
            return null;
        }

        ctx.Use(i);
        var performed = FhirDates.Partial(p.Performed);
        var facts = new ProcedureFacts
        {
            Id = key,
            Kind = kind.Value,
            Label = Label(p, kind.Value),
            PerformedOn = performed is { } on ? Fact<PartialDate>.Of(on, key) : Fact<PartialDate>.Missing,
            TargetIds = targets,
        };

        if (kind == ProcedureKind.Radiotherapy)
        {
            var (dose, fractions) = Dose(p);
            facts = facts with { DoseGy = dose, Fractions = fractions };
        }

        if (facts.IsSurgery)
        {
            // skin-healed may focus the Procedure, the lesion or compression operated on, or nothing (the patient).
            var values = new[] { key }.Concat(targets).Distinct(StringComparer.Ordinal).Select(k => (string?)k).Append(null)
                .SelectMany(k => items.Dated<bool>(ItemCodes.SkinHealed, k)).ToList();
            facts = facts with { SkinHealed = skin.Since(performed, values) };
        }

        return facts;
    }

    /// <summary>The kind of a procedure: its code, else its category, else its text; and whether a code said so.</summary>
    private static (ProcedureKind? Kind, bool ByCode) Kind(Procedure p)
    {
        if ((p.Code?.Coding ?? []).Select(c => ProcedureKindOf(c.System, c.Code)).FirstOrDefault(k => k is not null) is { } coded)
        {
            return (coded, true);
        }

        if (p.Category?.Coding.Where(c => c.System == CodeSystems.Snomed).Select(c => c.Code is { } code && CategorySnomed.TryGetValue(code, out var k) ? k : (ProcedureKind?)null)
            .FirstOrDefault(k => k is not null) is { } category)
        {
            return (category, true);
        }

        var texts = new[] { p.Code?.Text }.Concat((p.Code?.Coding ?? []).Select(c => c.Display));
        return (texts.Select(ProcedureKindFromText).FirstOrDefault(k => k is not null), false);
    }

    /// <summary>
    /// The lesions and compressions a procedure was for: those its <c>reasonReference</c> names; without one, the lesion
    /// (else the compression) on the same bone (<see cref="BodySites.SameBone"/>) when exactly one is. False when the
    /// procedure gives reasons that are none of them (it is then about something else, and reported).
    /// </summary>
    private static bool Targets(ReadContext ctx, int i, Procedure p, PatientRecord record, out List<string> targets)
    {
        targets = [];
        if (p.ReasonReference.Count > 0)
        {
            foreach (var reason in p.ReasonReference)
            {
                var r = ctx.Follow(i, reason, "reasonReference");
                var hit = record.Lesions.Concat(record.Compressions).FirstOrDefault(x => ReferenceEquals(x.Resource, r));
                if (hit is not null && !targets.Contains(hit.Key))
                {
                    targets.Add(hit.Key);
                }
            }

            if (targets.Count == 0)
            {
                ctx.Ignore(i, new("Procedure whose reasonReference is not a counted bone metastasis or spinal cord compression.",
                    "Procedure dont le reasonReference n'est ni une métastase osseuse ni une compression médullaire prises en compte."));
                return false;
            }

            return true;
        }

        if (p.BodySite.Count == 0)
        {
            return true;
        }

        var lesions = record.Lesions.Where(l => BodySites.SameBone(l.Resource.BodySite, p.BodySite)).ToList();
        var sites = lesions.Count > 0 ? lesions : [.. record.Compressions.Where(c => BodySites.SameBone(c.Resource.BodySite, p.BodySite))];
        if (sites.Count == 1)
        {
            targets.Add(sites[0].Key);
        }

        return true;
    }

    private static string Label(Procedure p, ProcedureKind kind) =>
        p.Code?.Text is { Length: > 0 } text ? text
        : p.Code?.Coding.Select(c => c.Display).FirstOrDefault(d => !string.IsNullOrEmpty(d))
        ?? kind.ToString().ToLowerInvariant();

    /// <summary>
    /// The dose of a radiotherapy course from the mCODE / CodeX RT <c>dose-delivered-to-volume</c> extension
    /// (totalDoseDelivered in cGy or Gy, fractionsDelivered). With several volumes the doses are per volume and which one
    /// is the bone's is not said: none is read rather than the wrong one.
    /// </summary>
    private static (decimal? Gy, int? Fractions) Dose(Procedure p)
    {
        var doses = p.Extension.Where(x => x.Url?.EndsWith(DoseDeliveredToVolume, StringComparison.Ordinal) == true).ToList();
        if (doses.Count != 1)
        {
            return (null, null);
        }

        var total = doses[0].Extension.FirstOrDefault(x => x.Url == "totalDoseDelivered")?.Value as Quantity;
        decimal? gy = total?.Value is not { } v || v < 0 ? null : (total.Code ?? total.Unit) switch
        {
            "cGy" => v / 100,
            "Gy" => v,
            _ => null,
        };
        int? fractions = doses[0].Extension.FirstOrDefault(x => x.Url == "fractionsDelivered")?.Value switch
        {
            UnsignedInt { Value: { } n } => n,
            PositiveInt { Value: { } n } => n,
            Integer { Value: { } n } when n >= 0 => n,
            _ => null,
        };
        return (gy, fractions);
    }

    /// <summary>
    /// skin-healed values are about the wound of an operation: one documented before it (or that cannot be placed after
    /// it) says nothing about that wound and must not release the post-operative hold. A value is kept for a surgery when
    /// its date is on or after the surgery's last possible day; a value kept for no surgery is reported as ignored.
    /// </summary>
    private sealed class SkinLedger
    {
        private readonly HashSet<int> _kept = [];
        private readonly Dictionary<int, LocalizedText> _rejected = [];

        public Fact<bool> Since(PartialDate? surgery, IReadOnlyList<(Candidate<bool> Candidate, PartialDate? Date, int Index)> values)
        {
            var kept = new List<Candidate<bool>>();
            foreach (var (candidate, date, index) in values)
            {
                if (surgery is not { } s)
                {
                    _rejected.TryAdd(index, new("this skin-healed value cannot be placed after the operation, which has no date.",
                        "cette valeur skin-healed ne peut être placée après l'intervention, qui n'a pas de date."));
                }
                else if (date is not { } d)
                {
                    _rejected.TryAdd(index, new("this skin-healed value has no date: it cannot be placed after the operation.",
                        "cette valeur skin-healed n'a pas de date : elle ne peut être placée après l'intervention."));
                }
                else if (d.Earliest >= s.Latest)
                {
                    kept.Add(candidate);
                    _kept.Add(index);
                }
                else
                {
                    var on = s.ToString();
                    _rejected.TryAdd(index, d.Latest < s.Earliest
                        ? new($"this skin-healed value ({d}) was documented before the operation ({on}): it says nothing about its wound.",
                            $"cette valeur skin-healed ({d}) a été documentée avant l'intervention ({on}) : elle ne dit rien de sa cicatrice.")
                        : new($"this skin-healed value ({d}) cannot be placed after the operation ({on}): the dates are too imprecise.",
                            $"cette valeur skin-healed ({d}) ne peut être placée après l'intervention ({on}) : les dates sont trop imprécises."));
                }
            }

            return FactResolution.Resolve(kept);
        }

        public void Report(ReadContext ctx)
        {
            foreach (var (index, why) in _rejected.Where(r => !_kept.Contains(r.Key)))
            {
                ctx.Unuse(index);
                ctx.Ignore(index, why);
            }
        }
    }
}
