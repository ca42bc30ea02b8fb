using BoneMetRT.Domain.Facts;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;

namespace BoneMetRT.Fhir.Normalize;

/// <summary>A resource of the Bundle with its entry position and source key.</summary>
internal sealed record Entry<T>(int Index, T Resource, string Key) where T : Resource;

/// <summary>
/// The assessed patient's resources that may count, sorted by what they are: each list holds only resources that
/// passed the status, verification and assessment-date rules. The readers build the facts from it.
/// </summary>
internal sealed class PatientRecord
{
    /// <summary>Bone-metastasis Conditions, active and confirmed.</summary>
    public List<Entry<Condition>> Lesions { get; } = [];

    /// <summary>Spinal cord compression Conditions, active and confirmed.</summary>
    public List<Entry<Condition>> Compressions { get; } = [];

    /// <summary>Pathological fracture Conditions, active and confirmed.</summary>
    public List<Entry<Condition>> Fractures { get; } = [];

    /// <summary>Visceral secondary Conditions, active and confirmed, with the organ.</summary>
    public List<(Entry<Condition> Entry, string Organ)> Visceral { get; } = [];

    /// <summary>Primary-cancer Conditions with their Rades type (null: lung without histology).</summary>
    public List<(Entry<Condition> Entry, PrimaryTumourType? Type)> Primaries { get; } = [];

    /// <summary>Observations with a usable status.</summary>
    public List<Entry<Observation>> Observations { get; } = [];

    /// <summary>Completed Procedures.</summary>
    public List<Entry<Procedure>> Procedures { get; } = [];
}

/// <summary>
/// Sorts the assessed patient's resources into a <see cref="PatientRecord"/>: checks that each is about the patient,
/// drops what does not count (status, verification, clinical status, dated after the assessment) with the reason, and
/// classifies Conditions by code.
/// </summary>
internal static class RecordTriage
{
    /// <summary>Reads the Bundle's entries into the record.</summary>
    public static PatientRecord Sort(ReadContext ctx, Resource patient, DateOnly assessmentDate)
    {
        var record = new PatientRecord();
        foreach (var (i, resource) in ctx.Index.Resources)
        {
            if (ReferenceEquals(resource, patient))
            {
                ctx.Use(i);
                continue;
            }

            if (!BundleChecks.BelongsToPatient(ctx, i, resource, patient))
            {
                continue;
            }

            var key = ctx.Index.Key(i);
            switch (resource)
            {
                case Condition c when Verified(ctx, i, c) && !AssessmentDateFilter.IsAfter(ctx, i, c, assessmentDate):
                    Classify(ctx, record, new(i, c, key));
                    break;
                case Observation o when StatusUsable(ctx, i, o) && !AssessmentDateFilter.IsAfter(ctx, i, o, assessmentDate):
                    record.Observations.Add(new(i, o, key));
                    break;
                case Procedure p when Completed(ctx, i, p) && !AssessmentDateFilter.IsAfter(ctx, i, p, assessmentDate):
                    record.Procedures.Add(new(i, p, key));
                    break;
                case Condition or Observation or Procedure:
                    break; // reported by the checks above
                default:
                    ctx.Ignore(i, new($"{resource.TypeName} is not an input of the engine.", $"{resource.TypeName} n'est pas une donnée d'entrée du moteur."));
                    break;
            }
        }

        return record;
    }

    /// <summary>
    /// A Condition counts only when it is not in error, not refuted, and not merely suspected: a provisional, differential
    /// or unconfirmed metastasis, compression or primary is not a diagnosis the guideline's rules are written for, and
    /// counting it would make the engine propose treatment (or score Rades) on a hypothesis. No verificationStatus is
    /// read as the sender's usual confirmed diagnosis (FHIR leaves it optional).
    /// </summary>
    private static bool Verified(ReadContext ctx, int i, Condition c)
    {
        var verification = c.VerificationStatus?.Coding.FirstOrDefault()?.Code;
        switch (verification)
        {
            case "entered-in-error" or "refuted":
                ctx.Ignore(i, new($"Condition with verificationStatus '{verification}'.", $"Condition avec verificationStatus « {verification} »."));
                return false;
            case "provisional" or "differential" or "unconfirmed":
                ctx.Ignore(i, new($"Condition with verificationStatus '{verification}': a suspected diagnosis is not counted as a confirmed one.",
                    $"Condition avec verificationStatus « {verification} » : un diagnostic suspecté n'est pas compté comme confirmé."));
                return false;
            default:
                return true;
        }
    }

    /// <summary>
    /// A lesion, a compression, a fracture or a visceral metastasis counts only while active. The primary cancer is not
    /// filtered on clinicalStatus: a resected primary recorded as resolved or in remission is still the patient's
    /// primary, and its type and date of diagnosis are Rades items (contract §2 sets no status condition on it).
    /// </summary>
    private static bool Active(ReadContext ctx, int i, Condition c)
    {
        var clinical = c.ClinicalStatus?.Coding.FirstOrDefault()?.Code;
        if (clinical is "inactive" or "resolved" or "remission")
        {
            ctx.Ignore(i, new($"Condition with clinicalStatus '{clinical}' (not active).", $"Condition avec clinicalStatus « {clinical} » (non active)."));
            return false;
        }

        return true;
    }

    /// <summary>Guideline §8: entered-in-error, cancelled and registered Observations are ignored.</summary>
    private static bool StatusUsable(ReadContext ctx, int i, Observation o)
    {
        if (o.Status is ObservationStatus.EnteredInError or ObservationStatus.Cancelled or ObservationStatus.Registered)
        {
            ctx.Ignore(i, new($"Observation with status '{o.StatusElement?.JsonValue}' (guideline §8).", $"Observation avec le statut « {o.StatusElement?.JsonValue} » (référentiel §8)."));
            return false;
        }

        return true;
    }

    /// <summary>Only a completed procedure happened (contract §2).</summary>
    private static bool Completed(ReadContext ctx, int i, Procedure p)
    {
        if (p.Status != EventStatus.Completed)
        {
            ctx.Ignore(i, new($"Procedure with status '{p.StatusElement?.JsonValue}' (only a completed procedure counts).",
                $"Procedure avec le statut « {p.StatusElement?.JsonValue} » (seule une intervention réalisée compte)."));
            return false;
        }

        return true;
    }

    private static void Classify(ReadContext ctx, PatientRecord record, Entry<Condition> e)
    {
        var (i, c, _) = e;
        var codings = c.Code?.Coding ?? [];
        if (codings.Any(x => IsBoneMetastasis(x.System, x.Code)))
        {
            if (Active(ctx, i, c))
            {
                record.Lesions.Add(e);
            }
        }
        else if (codings.Any(x => IsSpinalCordCompression(x.System, x.Code)))
        {
            if (Active(ctx, i, c))
            {
                record.Compressions.Add(e);
            }
        }
        else if (codings.Any(x => IsPathologicalFracture(x.System, x.Code)))
        {
            if (Active(ctx, i, c))
            {
                record.Fractures.Add(e);
            }
        }
        else if (codings.Select(x => VisceralOrgan(x.System, x.Code)).FirstOrDefault(o => o is not null) is { } organ)
        {
            if (Active(ctx, i, c))
            {
                record.Visceral.Add((e, organ));
            }
        }
        else if (PrimaryReader.PrimaryOf(c) is { } primary)
        {
            record.Primaries.Add((e, primary.Type));
        }
        else
        {
            ctx.Ignore(i, new("Condition whose code is not a bone metastasis, a spinal cord compression, a pathological fracture, a visceral metastasis or a recognised primary cancer.",
                "Condition dont le code n'est ni une métastase osseuse, ni une compression médullaire, ni une fracture pathologique, ni une métastase viscérale, ni un cancer primitif reconnu."));
        }
    }
}
