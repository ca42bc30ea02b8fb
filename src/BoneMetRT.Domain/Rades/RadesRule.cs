using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Scoring;

namespace BoneMetRT.Domain.Rades;

/// <summary>Computes the Rades score of a metastatic spinal cord compression, with the NSCLC caveat.</summary>
/// <remarks>Seed §1.3, Tableau 4; guideline.md §3. A missing item withholds the score (§8).</remarks>
public static class RadesRule
{
    /// <summary>The caveat the seed insists on for non-small-cell lung cancer.</summary>
    public static readonly LocalizedText NsclcCaveat = new(
        "Caution: the single 5-point value for non-small-cell lung cancer predates targeted therapy and immunotherapy; adapt the decision to the tumour's molecular profile and the patient's overall prognosis.",
        "Attention : l'attribution d'un score unique de 5 points au CBNPC est dépassée depuis l'arrivée des thérapies ciblées et de l'immunothérapie ; adapter la décision au profil moléculaire tumoral et au pronostic global du patient.");

    /// <summary>Scores the patient's compression.</summary>
    public static RadesResult Evaluate(PatientFacts patient, MsccFacts mscc)
    {
        var findings = new List<Finding>();
        var names = RadesTable.Items;

        var intervalFindings = new List<Finding>();
        var interval = IntervalFact(patient.PrimaryDiagnosisDate, mscc.Onset, names[1].Code, names[1].Name, mscc.Id, intervalFindings);
        var deficitItem = DeficitItem(mscc, names[4].Code, names[4].Name, findings);
        ScoreItem[] items =
        [
            ItemScoring.Score(patient.PrimaryTumour, names[0].Code, names[0].Name, RadesTable.Primary, "Rades", mscc.Id, findings),
            intervalFindings.Count > 0
                ? ItemScoring.Withheld(names[1].Code, names[1].Name, [.. patient.PrimaryDiagnosisDate.Sources, .. mscc.Onset.Sources], intervalFindings, findings)
                : ItemScoring.Score(interval, names[1].Code, names[1].Name, RadesTable.Interval, "Rades", mscc.Id, findings),
            ItemScoring.Score(patient.VisceralMetastases, names[2].Code, names[2].Name, RadesTable.Visceral, "Rades", mscc.Id, findings),
            ItemScoring.Score(mscc.Ambulatory, names[3].Code, names[3].Name, RadesTable.Ambulatory, "Rades", mscc.Id, findings),
            deficitItem,
        ];

        if (patient.PrimaryTumour is { IsPresent: true, Value: PrimaryTumourType.Nsclc })
        {
            findings.Add(new Finding(Severity.Warning, FindingKind.Caveat, names[0].Code, mscc.Id, NsclcCaveat, Sections.Rades, patient.PrimaryTumour.Sources));
        }

        var total = ItemScoring.Total(items);
        var group = total is { } t ? RadesGroup.ForTotal(t) : null;
        var rationale = group is null
            ? new LocalizedText(
                $"Rades score not computed ({ItemScoring.MissingList(items, Language.En)}): urgent radiotherapy stands; the choice between exclusive radiotherapy and surgery first falls back to the multidisciplinary tumour board.",
                $"Score de Rades non calculé ({ItemScoring.MissingList(items, Language.Fr)}) : la radiothérapie urgente reste indiquée ; le choix entre irradiation exclusive et chirurgie première revient à la RCP.")
            : LocalizedText.Join([
                new($"Rades score {total}/44 ({ItemScoring.Breakdown(items, Language.En)}); ambulatory after radiotherapy about {group.AmbulatoryRate:P0}.",
                    $"Score de Rades {total}/44 ({ItemScoring.Breakdown(items, Language.Fr)}) ; maintien ambulatoire après radiothérapie d'environ {group.AmbulatoryRate:P0}."),
                group.Meaning,
            ]);

        return new RadesResult(mscc.Id, items, total, group, rationale, findings);
    }

    /// <summary>
    /// The interval item from two dates of any precision: decided when every day the two dates can be gives the same
    /// band; otherwise withheld and named, never completed (a diagnosis "2025" is not 1 January 2025).
    /// </summary>
    private static Fact<RadesInterval> IntervalFact(Fact<PartialDate> diagnosis, Fact<PartialDate> onset, string code, LocalizedText name, string msccId, List<Finding> findings)
    {
        string[] sources = [.. diagnosis.Sources, .. onset.Sources];
        if (diagnosis.State == FactState.Conflicting || onset.State == FactState.Conflicting)
        {
            return Fact<RadesInterval>.Conflict(sources);
        }

        if (!diagnosis.IsPresent || !onset.IsPresent)
        {
            return Fact<RadesInterval>.Missing;
        }

        var (d, o) = (diagnosis.Value, onset.Value);
        var shortest = RadesTable.IntervalBetween(d.Latest, o.Earliest);
        var longest = RadesTable.IntervalBetween(d.Earliest, o.Latest);
        if (shortest == longest)
        {
            return Fact<RadesInterval>.Of(shortest, sources);
        }

        findings.Add(new Finding(Severity.Warning, FindingKind.MissingItem, code, msccId, new(
            $"Rades score withheld: item \"{name.En}\" ({code}) cannot be decided from a diagnosis dated {d} and a compression dated {o}: the interval may be 15 months or less, or more. Give the dates to the day (or the month that settles it).",
            $"Score de Rades non calculé : l'item « {name.Fr} » ({code}) ne peut être déterminé avec un diagnostic daté {d} et une compression datée {o} : l'intervalle peut être inférieur ou supérieur à 15 mois. Préciser les dates au jour (ou au mois qui tranche)."),
            Sections.MissingData, sources));
        return Fact<RadesInterval>.Missing;
    }

    private static ScoreItem DeficitItem(MsccFacts mscc, string code, LocalizedText name, List<Finding> findings)
    {
        var days = mscc.MotorDeficitDays;
        if (days.IsPresent && RadesTable.DeficitFromDays(days.Value) is null)
        {
            findings.Add(new Finding(Severity.Error, FindingKind.InvalidItem, code, mscc.Id,
                new($"Rades score withheld: the motor-deficit duration ({days.Value} days) is negative.",
                    $"Score de Rades non calculé : la durée d'installation du déficit moteur ({days.Value} jours) est négative."),
                Sections.Rades, days.Sources));
            return ScoreItem.Unscored(code, name, FactState.Missing, days.Sources);
        }

        var band = days.IsPresent ? Fact<DeficitDuration>.Of(RadesTable.DeficitFromDays(days.Value)!.Value, [.. days.Sources])
            : days.State == FactState.Conflicting ? Fact<DeficitDuration>.Conflict([.. days.Sources]) : Fact<DeficitDuration>.Missing;
        return ItemScoring.Score(band, code, name, RadesTable.Deficit, "Rades", mscc.Id, findings);
    }
}
