using BoneMetRT.Domain;
using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Mirels;
using BoneMetRT.Domain.Rades;
using BoneMetRT.Domain.Scoring;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Denormalize;

/// <summary>The score Observations (profile bonemet-score): one per computed Mirels or Rades score, its items as components.</summary>
internal sealed class ScoreObservationBuilder(DenormalizeContext c)
{
    public Bundle.EntryComponent Mirels(MirelsResult m)
    {
        var entry = Score("mirels-score/" + m.LesionId, ItemCodes.MirelsScore, new("Mirels score", "Score de Mirels"), m.Items, m.Total!.Value, 12,
            m.Band!.Interpretation, m.Band.Label, m.LesionId, m.Rationale);

        // The cortical-lysis rule, when it was decided (Mirels ≥ 9 and both measures known), is a second interpretation
        // of the score (profile bonemet-score): a reader finds "discuss consolidation surgery first" by its code.
        if (m.Lysis.Outcome is LysisOutcome.Positive or LysisOutcome.Negative)
        {
            var met = m.Lysis.Outcome == LysisOutcome.Positive;
            ((Observation)entry.Resource!).Interpretation.Add(new CodeableConcept
            {
                Coding = [new Coding(CodeSystems.BoneMet, met ? "lysis-rule-positive" : "lysis-rule-negative", met ? "Cortical lysis rule met" : "Cortical lysis rule not met")],
                TextElement = Narrative.Text(met
                    ? new LocalizedText("Cortical lysis rule met", "Critère de lyse corticale rempli")
                    : new LocalizedText("Cortical lysis rule not met", "Critère de lyse corticale non rempli"), c.Lang),
            });
        }

        return entry;
    }

    public Bundle.EntryComponent Rades(RadesResult r) =>
        Score("rades-score/" + r.MsccId, ItemCodes.RadesScore, new("Rades score", "Score de Rades"), r.Items, r.Total!.Value, 44,
            r.Group!.Interpretation, new($"group {r.Group.Number}", $"groupe {r.Group.Number}"), c.MsccLesion(r.MsccId), r.Rationale);

    private Bundle.EntryComponent Score(string role, string code, LocalizedText name, IReadOnlyList<ScoreItem> items, int total, int max,
        string interpretation, LocalizedText band, string? focus, LocalizedText rationale)
    {
        var obs = new Observation
        {
            Status = ObservationStatus.Final,
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "survey", "Survey")],
            Code = DenormalizeContext.BoneMetCode(code, name.En),
            Subject = c.PatientRef,
            Effective = c.When,
            Value = new Integer(total),
            Interpretation = [DenormalizeContext.BoneMetCode(interpretation)],
            Method = DenormalizeContext.BoneMetCode(code == ItemCodes.MirelsScore ? "mirels" : "rades"),
        };
        obs.Interpretation[0].Text = c.L(band);
        obs.Code.Text = c.L(name);
        if (focus is not null)
        {
            obs.Focus.Add(c.Ref(focus));
        }

        foreach (var item in items)
        {
            obs.Component.Add(new Observation.ComponentComponent
            {
                Code = new CodeableConcept(CodeSystems.BoneMet, item.Item, item.Name.En) { Text = $"{c.L(item.Name)}: {c.L(item.Answer!)}" },
                Value = new Integer(item.Points),
            });
        }

        foreach (var source in items.SelectMany(i => i.Sources).Distinct().Where(s => c.Input.Index.ByKey(s) is Observation))
        {
            obs.DerivedFrom.Add(c.Ref(source));
        }

        obs.Note.Add(Narrative.Note(rationale, c.Lang));
        obs.Text = Narrative.Of(c.Lang, $"{c.L(name)}: {total}/{max} ({c.L(band)})",
            [.. items.Select(i => $"{c.L(i.Name)}: {c.L(i.Answer!)} — {i.Points}"), c.L(rationale)]);
        return c.Entry(role, obs, PackageCanonicals.ScoreProfile);
    }
}
