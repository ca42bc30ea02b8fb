using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Scoring;

namespace BoneMetRT.Domain.Situations;

/// <summary>Whether the oligometastatic conditions hold.</summary>
public enum Eligibility { Eligible, NotEligible, Undetermined }

/// <summary>Oligometastatic eligibility and its reasons.</summary>
public sealed record OligometastaticAssessment(Eligibility Eligibility, LocalizedText Rationale)
{
    /// <summary>What the rule has to tell: each condition it could not check, named.</summary>
    public IReadOnlyList<Finding> Findings { get; init; } = [];
}

/// <summary>
/// Ablative intent is considered for 1–3 bone sites, well delimited on imaging, without visceral metastasis, and
/// only after a specialised tumour board (RCP-OOS) validates it.
/// </summary>
/// <remarks>Seed §1.5 and §2; guideline.md §5.</remarks>
public static class OligometastaticRule
{
    /// <summary>Most bone sites for the oligometastatic situation.</summary>
    public const int MaxSites = 3;

    /// <summary>Evaluates eligibility; the result names each missing condition in its findings.</summary>
    public static OligometastaticAssessment Evaluate(PatientFacts patient)
    {
        var findings = new List<Finding>();
        return Assess(patient, findings) with { Findings = findings };
    }

    private static OligometastaticAssessment Assess(PatientFacts patient, List<Finding> findings)
    {
        // Bone sites: the lesions, and the compressions no lesion was matched to (each is a vertebra of its own).
        var lesionIds = patient.Lesions.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        var n = patient.Lesions.Count + patient.Compressions.Where(c => c.LesionId is null || !lesionIds.Contains(c.LesionId))
            .Select(c => c.Level ?? c.Id).Distinct(StringComparer.Ordinal).Count();
        if (n == 0)
        {
            return new(Eligibility.NotEligible, new("No bone metastasis was sent.", "Aucune métastase osseuse transmise."));
        }

        if (n > MaxSites)
        {
            return new(Eligibility.NotEligible, new($"{n} bone sites: more than the 1 to 3 of the oligometastatic situation.",
                $"{n} sites osseux : plus que les 1 à 3 de la situation oligo-métastatique."));
        }

        if (patient.VisceralMetastases is { IsPresent: true, Value: true })
        {
            return new(Eligibility.NotEligible, new("Visceral metastases are present: the oligometastatic situation requires none.",
                "Présence de métastases viscérales : la situation oligo-métastatique n'en admet pas."));
        }

        var poorlyDefined = patient.Lesions.Where(l => l.WellDefined is { IsPresent: true, Value: false }).ToList();
        if (poorlyDefined.Count > 0)
        {
            var labels = string.Join(", ", poorlyDefined.Select(l => l.Label));
            return new(Eligibility.NotEligible, new($"Not well delimited on imaging: {labels}.", $"Volume mal délimité en imagerie : {labels}."));
        }

        var unknown = new List<LocalizedText>();
        if (!patient.VisceralMetastases.IsPresent)
        {
            unknown.Add(new("visceral metastases (visceral-metastases)", "métastases viscérales (visceral-metastases)"));
            findings.Add(Missing(ItemCodes.VisceralMetastases, null, patient.VisceralMetastases,
                patient.VisceralMetastases.State == FactState.Conflicting
                    ? new("Oligometastatic eligibility undetermined: the record contradicts itself on visceral metastases.",
                        "Éligibilité oligo-métastatique indéterminée : le dossier se contredit sur la présence de métastases viscérales.")
                    : new("Oligometastatic eligibility undetermined: whether visceral metastases are present is not documented.",
                        "Éligibilité oligo-métastatique indéterminée : la présence de métastases viscérales n'est pas documentée.")));
        }

        foreach (var lesion in patient.Lesions.Where(l => !l.WellDefined.IsPresent))
        {
            unknown.Add(new($"well-delimited volume of {lesion.Label} (lesion-well-defined)", $"volume bien délimité de {lesion.Label} (lesion-well-defined)"));
            findings.Add(Missing(ItemCodes.LesionWellDefined, lesion.Id, lesion.WellDefined, lesion.WellDefined.State == FactState.Conflicting
                ? new($"Oligometastatic eligibility undetermined: the record contradicts itself on whether {lesion.Label} is well delimited on imaging.",
                    $"Éligibilité oligo-métastatique indéterminée : le dossier se contredit sur le caractère bien délimité de {lesion.Label} en imagerie.")
                : new($"Oligometastatic eligibility undetermined: whether {lesion.Label} is well delimited on imaging is not documented.",
                    $"Éligibilité oligo-métastatique indéterminée : le caractère bien délimité de {lesion.Label} en imagerie n'est pas documenté.")));
        }

        if (unknown.Count > 0)
        {
            return new(Eligibility.Undetermined, new(
                $"{n} bone site(s); to decide on the oligometastatic situation, document: {string.Join("; ", unknown.Select(u => u.En))}.",
                $"{n} site(s) osseux ; pour statuer sur la situation oligo-métastatique, documenter : {string.Join(" ; ", unknown.Select(u => u.Fr))}."));
        }

        return new(Eligibility.Eligible, new(
            $"{n} bone site(s), well delimited, no visceral metastasis: ablative intent may be considered, only after validation by the specialised tumour board (RCP-OOS). It aims at pain and local control; no survival benefit has been shown.",
            $"{n} site(s) osseux, bien délimité(s), sans métastase viscérale : une intention ablative peut être envisagée, uniquement après validation en RCP spécialisée (RCP-OOS). Elle vise le contrôle antalgique et local ; aucun bénéfice de survie n'a été démontré."));
    }

    private static Finding Missing(string item, string? subject, Fact<bool> fact, LocalizedText text) => new(
        fact.State == FactState.Conflicting ? Severity.Error : Severity.Information, // guideline §8: a conflict is an error
        fact.State == FactState.Conflicting ? FindingKind.ConflictingItem : FindingKind.MissingItem,
        item, subject, text, Sections.Oligometastatic, fact.Sources);
}
