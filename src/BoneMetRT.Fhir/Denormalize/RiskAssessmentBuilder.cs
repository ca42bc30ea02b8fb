using System.Globalization;
using BoneMetRT.Domain;
using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Mirels;
using BoneMetRT.Domain.Rades;
using BoneMetRT.Domain.Scoring;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Denormalize;

/// <summary>
/// The RiskAssessments (profiles bonemet-mirels-risk, bonemet-rades-risk), one per computed score; each is remembered
/// in the context as the risk its lesion's (or compression's) requests rest on.
/// </summary>
internal sealed class RiskAssessmentBuilder(DenormalizeContext c)
{
    public Bundle.EntryComponent Mirels(MirelsResult m, string scoreUrl)
    {
        var ra = Risk("mirels", scoreUrl, m.Items.SelectMany(i => i.Sources), m.LesionId,
            new(ItemCodes.PathologicalFracture, "Pathological fracture", "Fracture pathologique"), m.Band!.FractureRisk, m.Band.QualitativeRisk,
            m.Band.Decision, m.Rationale);
        if (m.Lysis.Outcome is LysisOutcome.Positive or LysisOutcome.Negative)
        {
            ra.Note.Add(Narrative.Note(m.Lysis.Rationale, c.Lang));
        }

        ra.Text = Narrative.Of(c.Lang, c.L(new LocalizedText($"Fracture risk — {m.LesionLabel}", $"Risque fracturaire — {m.LesionLabel}")),
            [c.L(new LocalizedText($"Mirels {m.Total}/12: about {m.Band.FractureRisk.ToString("P0", CultureInfo.InvariantCulture)} risk of pathological fracture ({m.Band.QualitativeRisk}).",
                $"Mirels {m.Total}/12 : risque de fracture pathologique d'environ {m.Band.FractureRisk.ToString("P0", CultureInfo.InvariantCulture)} ({m.Band.QualitativeRisk}).")),
             c.L(m.Band.Decision), c.L(m.Lysis.Rationale), $"{c.L(Sections.Mirels.Title)} — {Sections.Mirels.Cite}"]);
        var entry = c.Entry("mirels-risk/" + m.LesionId, ra, PackageCanonicals.MirelsRiskProfile);
        c.AddRisk(m.LesionId, entry.FullUrl!);
        return entry;
    }

    public Bundle.EntryComponent Rades(RadesResult r, string scoreUrl)
    {
        // The prediction is the adverse outcome (not ambulatory), as for Mirels (a fracture): a screen that colours
        // "high" as danger then shows group I, the worst prognosis, as the high risk. Rades gives the rate of staying
        // ambulatory; its complement is the risk, and the chance "low / intermediate / high" of staying ambulatory
        // becomes a high / moderate / low risk.
        var adverse = r.Group!.QualitativeRisk switch
        {
            "low" => "high",
            "high" => "low",
            _ => "moderate",
        };
        var ra = Risk("rades", scoreUrl, r.Items.SelectMany(i => i.Sources), r.MsccId,
            new("not-ambulatory-after-radiotherapy", "Not ambulatory after radiotherapy", "Non ambulatoire après radiothérapie"),
            1m - r.Group.AmbulatoryRate, adverse, r.Group.Meaning, r.Rationale);
        foreach (var caveat in r.Findings.Where(f => f.Kind == FindingKind.Caveat))
        {
            ra.Note.Add(Narrative.Note(caveat.Text, c.Lang));
        }

        ra.Text = Narrative.Of(c.Lang, c.L(new LocalizedText("Ambulatory status after radiotherapy (Rades)", "Statut ambulatoire après radiothérapie (Rades)")),
            [c.L(new LocalizedText($"Not ambulatory after radiotherapy: about {(1m - r.Group.AmbulatoryRate).ToString("P0", CultureInfo.InvariantCulture)} ({adverse} risk).",
                $"Non ambulatoire après radiothérapie : environ {(1m - r.Group.AmbulatoryRate).ToString("P0", CultureInfo.InvariantCulture)} (risque {adverse switch { "high" => "élevé", "low" => "faible", _ => "modéré" }}).")),
             c.L(r.Rationale), .. r.Findings.Where(f => f.Kind == FindingKind.Caveat).Select(f => c.L(f.Text)), $"{c.L(Sections.Rades.Title)} — {Sections.Rades.Cite}"]);
        var entry = c.Entry("rades-risk/" + r.MsccId, ra, PackageCanonicals.RadesRiskProfile);
        c.AddRisk(r.MsccId, entry.FullUrl!);
        if (c.MsccLesion(r.MsccId) is { } lesion)
        {
            // The urgent radiotherapy is proposed for the compressing lesion: its requests rest on the Rades risk too.
            c.AddRisk(lesion, entry.FullUrl!);
        }

        return entry;
    }

    private RiskAssessment Risk(string method, string scoreUrl, IEnumerable<string> sources, string condition,
        (string Code, string En, string Fr) outcome, decimal probability, string qualitative, LocalizedText mitigation, LocalizedText rationale)
    {
        var ra = new RiskAssessment
        {
            Status = ObservationStatus.Final,
            Method = DenormalizeContext.BoneMetCode(method),
            Code = DenormalizeContext.BoneMetCode(method == "mirels" ? ItemCodes.MirelsScore : ItemCodes.RadesScore),
            Subject = c.PatientRef,
            Occurrence = c.When,
            Condition = c.Ref(condition),
            Basis = [new ResourceReference(scoreUrl), .. sources.Distinct().Select(c.Ref)],
            MitigationElement = Narrative.Text(mitigation, c.Lang),
        };
        var prediction = new RiskAssessment.PredictionComponent
        {
            Outcome = new CodeableConcept(CodeSystems.BoneMet, outcome.Code, outcome.En) { Text = c.Lang == Language.Fr ? outcome.Fr : outcome.En },
            Probability = new FhirDecimal(probability * 100), // R4 ras-2: a percentage
            QualitativeRisk = new CodeableConcept(PackageCanonicals.RiskProbability, qualitative),
            RationaleElement = Narrative.Text(rationale, c.Lang),
        };
        ra.Prediction.Add(prediction);
        return ra;
    }
}
