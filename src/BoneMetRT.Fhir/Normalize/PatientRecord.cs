using BoneMetRT.Domain.Facts;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;
using IssueSeverity = Hl7.Fhir.Model.OperationOutcome.IssueSeverity;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

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
        var all = c.Code?.Coding ?? [];
        var codings = all.Where(x => ctx.Terminology.Accepts(x.System)).ToList();
        if (codings.Any(x => IsBoneMetastasis(x.System, x.Code)))
        {
            if (Active(ctx, i, c))
            {
                record.Lesions.Add(e);
            }
        }
        else if (codings.Any(x => IsSecondaryNeoplasm(x.System, x.Code)))
        {
            if (Active(ctx, i, c) && SecondaryInBone(ctx, i, c))
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
        else if (PrimaryReader.PrimaryOf(c, codings) is { } primary)
        {
            record.Primaries.Add((e, primary.Type));
        }
        else if (all.Where(x => !ctx.Terminology.Accepts(x.System)).Select(x => x.System ?? "(no system)").Distinct().ToList() is { Count: > 0 } refused)
        {
            var systems = string.Join(", ", refused);
            var accepted = string.Join(", ", ctx.Terminology.Accepted);
            ctx.Ignore(i, new($"Condition coded in a code system the service does not read ({systems}); it reads {accepted} (setting BoneMetRT:Terminology:AcceptedSystems), and none of the Condition's codes in those is a bone metastasis, a spinal cord compression, a pathological fracture, a visceral metastasis or a recognised primary cancer.",
                $"Condition codée dans un système de codes que le service ne lit pas ({systems}) ; il lit {accepted} (paramètre BoneMetRT:Terminology:AcceptedSystems), et aucun des codes de la Condition dans ceux-ci n'est une métastase osseuse, une compression médullaire, une fracture pathologique, une métastase viscérale ou un cancer primitif reconnu."));
        }
        else
        {
            ctx.Ignore(i, new("Condition whose code is not a bone metastasis, a spinal cord compression, a pathological fracture, a visceral metastasis or a recognised primary cancer.",
                "Condition dont le code n'est ni une métastase osseuse, ni une compression médullaire, ni une fracture pathologique, ni une métastase viscérale, ni un cancer primitif reconnu."));
        }
    }

    /// <summary>
    /// A secondary malignant neoplasm coded without its site (mCODE's SecondaryCancerCondition: 128462008 and the site in
    /// <c>bodySite</c>) is a bone lesion when its bodySite is a bone of the shipped <c>bone-sites</c> value sets. Any other
    /// bodySite, or none, is not read as bone: the engine cannot tell a liver from a bone it does not list, so it says
    /// so (a warning: it may be a lesion the engine does not see) instead of guessing either way. It is not read as a
    /// visceral metastasis either, for the same reason.
    /// </summary>
    private static bool SecondaryInBone(ReadContext ctx, int i, Condition c)
    {
        if (BodySites.Bone(c.BodySite) is not null)
        {
            return true;
        }

        var site = BodySites.Label(c.BodySite);
        var (en, fr) = site is null
            ? ("has no bodySite: whether it is in a bone is not known", "n'a pas de bodySite : on ne sait pas s'il est osseux")
            : ($"has a bodySite ('{site}') that is not a bone the engine recognises (ValueSet bone-sites)", $"a un bodySite (« {site} ») qui n'est pas un os reconnu par le moteur (ValueSet bone-sites)");
        ctx.Add(new(IssueSeverity.Warning, IssueType.Incomplete,
            new($"This secondary malignant neoplasm {en}. It is not counted as a bone lesion, nor as a visceral metastasis. If it is a bone metastasis, give the bone in bodySite (SNOMED CT, ValueSet bone-sites) or code it as one (ValueSet bone-metastasis-codes); if it is visceral, send visceral-metastases.",
                $"Ce néoplasme malin secondaire {fr}. Il n'est compté ni comme lésion osseuse, ni comme métastase viscérale. S'il s'agit d'une métastase osseuse, indiquer l'os dans bodySite (SNOMED CT, ValueSet bone-sites) ou la coder comme telle (ValueSet bone-metastasis-codes) ; s'il est viscéral, transmettre visceral-metastases."),
            "missing-item", [ctx.Index.Expression(i, c.BodySite.Count > 0 ? "bodySite" : "code")]));
        ctx.Ignore(i, new("secondary malignant neoplasm not known to be in a bone (see the warning on its bodySite).",
            "néoplasme malin secondaire dont la localisation osseuse n'est pas connue (voir l'avertissement sur son bodySite)."));
        return false;
    }
}
