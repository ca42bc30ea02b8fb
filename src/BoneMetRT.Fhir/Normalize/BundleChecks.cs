using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Normalize;

/// <summary>
/// The structure of the request, checked before anything clinical is read: the Bundle type, entries that would make
/// a reference ambiguous, which Patient is assessed, and which resources are about that patient. Each failure is a
/// structural error (unprocessable, contract §3).
/// </summary>
internal static class BundleChecks
{
    private static readonly HashSet<Bundle.BundleType> AcceptedTypes =
        [Bundle.BundleType.Collection, Bundle.BundleType.Batch, Bundle.BundleType.Transaction, Bundle.BundleType.Searchset];

    /// <summary>True when Bundle.type is one the contract accepts.</summary>
    public static bool TypeAccepted(ReadContext ctx)
    {
        var bundle = ctx.Index.Bundle;
        if (bundle.Type is { } type && AcceptedTypes.Contains(type))
        {
            return true;
        }

        ctx.Error(new($"Bundle.type must be collection, batch, transaction or searchset (got '{bundle.TypeElement?.JsonValue ?? "none"}').",
            $"Bundle.type doit être collection, batch, transaction ou searchset (reçu « {bundle.TypeElement?.JsonValue ?? "aucun"} »)."), $"{ctx.Index.Prefix}.type");
        return false;
    }

    /// <summary>
    /// Two entries with the same fullUrl or the same <c>Type/id</c> make every reference to them ambiguous: the request
    /// is inconsistent (unprocessable), not something to resolve by taking the first.
    /// </summary>
    public static bool Unambiguous(ReadContext ctx)
    {
        var index = ctx.Index;
        var entries = index.Resources.Select(x => (x.Index, x.Resource, index.Bundle.Entry[x.Index].FullUrl)).ToList();
        var duplicates = entries.Where(x => !string.IsNullOrEmpty(x.FullUrl)).GroupBy(x => x.FullUrl!, StringComparer.Ordinal)
            .Concat(entries.Where(x => !string.IsNullOrEmpty(x.Resource.Id)).GroupBy(x => $"{x.Resource.TypeName}/{x.Resource.Id}", StringComparer.Ordinal))
            .Where(g => g.Count() > 1)
            .DistinctBy(g => string.Join(',', g.Select(x => x.Index)))
            .ToList();
        foreach (var group in duplicates)
        {
            ctx.Error(new($"{group.Count()} entries are '{group.Key}': a reference to it would be ambiguous.",
                    $"{group.Count()} entrées sont « {group.Key} » : une référence vers elle serait ambiguë."),
                [.. group.Select(x => index.Expression(x.Index))]);
        }

        return duplicates.Count == 0;
    }

    /// <summary>The Patient assessed: the one <paramref name="subject"/> names, or the only one; null (with an error) otherwise.</summary>
    public static Resource? ChoosePatient(ReadContext ctx, string? subject)
    {
        var index = ctx.Index;
        var patients = index.Resources.Where(x => x.Resource is Patient).ToList();
        if (subject is not null)
        {
            var match = patients.Where(p => index.Key(p.Index) == subject || $"Patient/{p.Resource.Id}" == subject || index.Bundle.Entry[p.Index].FullUrl == subject).ToList();
            if (match.Count == 1)
            {
                return match[0].Resource;
            }

            ctx.Error(new($"The subject '{subject}' is not a Patient of the Bundle.", $"Le sujet « {subject} » n'est pas un Patient du Bundle."), "Parameters.parameter.where(name = 'subject')");
            return null;
        }

        switch (patients.Count)
        {
            case 0:
                ctx.Error(new("The Bundle holds no Patient: the engine needs the patient the data are about.", "Le Bundle ne contient aucun Patient : le moteur a besoin du patient concerné."), index.Prefix);
                return null;
            case > 1:
                ctx.Error(new($"The Bundle holds {patients.Count} Patients and no 'subject' parameter says which one to assess.",
                    $"Le Bundle contient {patients.Count} Patients et aucun paramètre « subject » n'indique lequel évaluer."),
                    [.. patients.Select(p => index.Expression(p.Index))]);
                return null;
            default:
                return patients[0].Resource;
        }
    }

    /// <summary>
    /// True when a Condition, Observation or Procedure is about the assessed patient. A clinical resource without a
    /// subject, or whose subject points to nothing, is an error; any other resource type is not an input and is ignored.
    /// </summary>
    public static bool BelongsToPatient(ReadContext ctx, int i, Resource resource, Resource patient)
    {
        var reference = resource switch
        {
            Condition c => c.Subject,
            Observation o => o.Subject,
            Procedure p => p.Subject,
            _ => null,
        };

        if (reference is null)
        {
            if (resource is Condition or Observation or Procedure)
            {
                ctx.Error(new($"This {resource.TypeName} has no subject.", $"Ce {resource.TypeName} n'a pas de sujet."), ctx.Index.Expression(i, "subject"));
            }
            else
            {
                ctx.Ignore(i, new($"{resource.TypeName} is not an input of the engine.", $"{resource.TypeName} n'est pas une donnée d'entrée du moteur."));
            }

            return false;
        }

        var target = ctx.Follow(i, reference, "subject");
        if (target is null)
        {
            return false;
        }

        if (!ReferenceEquals(target, patient))
        {
            ctx.Ignore(i, new("it is about another patient than the one assessed.", "il concerne un autre patient que celui évalué."));
            return false;
        }

        return true;
    }
}
