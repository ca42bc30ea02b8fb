using System.Globalization;
using System.Text;
using BoneMetRT.Domain;
using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Regimens;
using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Normalize;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Features.CdsHooks;

/// <summary>
/// <c>order-select</c> and <c>order-sign</c>: each draft radiotherapy ServiceRequest (SNOMED 1217123003, a bonemet regimen
/// code, or the regimen-dose extension) for a bone metastasis the engine knows is compared with the engine's answer for
/// that lesion. A single 8 Gy on a compressing vertebra, SBRT without the specialised tumour board, a post-operative course
/// before its window or on unhealed skin, or a regimen other than the preferred one give a <c>warning</c> card with the
/// reasons and an <c>update</c> of the draft (same id) to the preferred regimen. A draft that agrees gives no card.
/// </summary>
public static class CdsOrderCheck
{
    /// <summary>Cards for the draft orders.</summary>
    public static IReadOnlyList<CdsCard> Check(CdsProposal p, Bundle draftOrders, DateOnly today, Language lang, CdsLinkTargets links)
    {
        var cards = new List<CdsCard>();
        foreach (var draft in draftOrders.Entry.Select(e => e.Resource).OfType<ServiceRequest>().Where(IsRadiotherapy))
        {
            if (CheckOne(p, draft, today, lang, links) is { } card)
            {
                cards.Add(card);
            }
        }

        return cards;
    }

    /// <summary>True for a radiotherapy request.</summary>
    public static bool IsRadiotherapy(ServiceRequest sr) =>
        sr.Code?.Coding.Any(c => (c.System == CodeSystems.Snomed && c.Code == Terminology.RadiotherapyCourseSnomed)
            || (c.System == CodeSystems.BoneMet && Regimen.All.Any(r => r.Code == c.Code))) == true
        || RadiotherapyOrderDetails.RegimenItem(sr) is not null
        || sr.GetExtension(PackageCanonicals.RegimenDoseExtension) is not null;

    /// <summary>The regimen of a draft: its bonemet code, else its dose extension; null when it states none.</summary>
    public static Regimen? RegimenOf(ServiceRequest sr)
    {
        if (RadiotherapyOrderDetails.RegimenCode(sr) is { } coded)
        {
            return Regimen.All.First(r => r.Code == coded);
        }

        var dose = sr.GetExtension(PackageCanonicals.RegimenDoseExtension);
        var total = (dose?.GetExtensionValue<Quantity>("totalDose"))?.Value;
        var fractions = (dose?.GetExtensionValue<PositiveInt>("fractions"))?.Value;
        var sbrt = sr.Code?.Text?.Contains("SBRT", StringComparison.OrdinalIgnoreCase) == true || sr.Code?.Text?.Contains("stéréotax", StringComparison.OrdinalIgnoreCase) == true;
        return total is null || fractions is null ? null
            : Regimen.All.Where(r => r.TotalDoseGy == total && r.Fractions == fractions).OrderBy(r => (r.Technique == Technique.Sbrt) != sbrt).FirstOrDefault();
    }

    private static CdsCard? CheckOne(CdsProposal p, ServiceRequest draft, DateOnly today, Language lang, CdsLinkTargets links)
    {
        string L(string en, string fr) => lang == Language.Fr ? fr : en;
        var subjects = Subjects(p, draft);
        if (subjects.Count == 0)
        {
            return null; // not about a bone metastasis the engine knows
        }

        var acts = p.Activities.Where(a => subjects.Contains(a.Subject)).ToList();
        if (acts.Count == 0)
        {
            return null;
        }

        var engine = acts.Where(a => a.Request is not null).ToList();
        var preferred = engine.FirstOrDefault(a => a.Preferred);
        var compressing = engine.Any(a => a.Request!.Priority is RequestPriority.Urgent or RequestPriority.Stat or RequestPriority.Asap)
            || subjects.Any(s => p.RisksOf(s, acts).Any(r => r.Code?.Coding.Any(c => c.Code == "rades-score") == true));
        var regimen = RegimenOf(draft);
        var preferredRegimen = preferred?.Regimen is { } pc ? Regimen.All.FirstOrDefault(r => r.Code == pc) : null;
        var name = regimen is null ? L("the drafted course", "le schéma prescrit") : regimen.Name.In(lang);
        var reasons = new List<string>();
        var wrongRegimen = false;

        if (engine.Count == 0)
        {
            var first = acts.FirstOrDefault(a => a.Code != RecommendationCodes.CorticosteroidCover) ?? acts[0];
            reasons.Add(L($"The guideline proposes no radiotherapy for this lesion now: {Text(first)} first.",
                $"Le référentiel ne propose pas de radiothérapie pour cette lésion maintenant : d'abord {Text(first)}."));
        }

        // Surgery first (Mirels ≥ 9, established fracture): the engine's course is post-operative, after the operation.
        if (engine.Count > 0 && acts.FirstOrDefault(a => a.Code is RecommendationCodes.ProphylacticFixation or RecommendationCodes.OrthopaedicOpinion) is { } surgery)
        {
            var (en, fr) = surgery.Code == RecommendationCodes.ProphylacticFixation
                ? ("prophylactic fixation", "la fixation prophylactique")
                : ("surgical stabilisation", "la stabilisation chirurgicale");
            reasons.Add(L($"The guideline proposes {en} first: radiotherapy of this lesion is post-operative, 15 to 21 days after the operation, on healed skin.",
                $"Le référentiel propose d'abord {fr} : la radiothérapie de cette lésion est post-opératoire, 15 jours à 3 semaines après l'intervention, sur peau cicatrisée."));
        }

        if (compressing && regimen?.Code == Regimen.Rt8Gy1.Code)
        {
            wrongRegimen = true;
            reasons.Add(L($"A single 8 Gy fraction on a vertebra with spinal cord compression: the guideline proposes {preferredRegimen?.Name.En ?? "a fractionated course"} (8 Gy/1 only exceptionally).",
                $"Une fraction unique de 8 Gy sur une vertèbre avec compression médullaire : le référentiel propose {preferredRegimen?.Name.Fr ?? "un schéma fractionné"} (8 Gy/1 seulement exceptionnellement)."));
        }

        if (regimen?.Technique == Technique.Sbrt)
        {
            if (p.Activities.Any(a => a.Code == RecommendationCodes.SpecialisedTumourBoard))
            {
                reasons.Add(L("SBRT before the specialised tumour board (RCP-OOS) has reviewed the case: the guideline asks for it before any ablative treatment.",
                    "Stéréotaxie avant l'avis de la RCP spécialisée (RCP-OOS) : le référentiel l'exige avant tout traitement ablatif."));
            }
            else if (!engine.Any(a => a.Regimen == regimen.Code))
            {
                wrongRegimen = true;
                reasons.Add(L("SBRT is not proposed for this lesion: ablative treatment needs the oligometastatic situation and the specialised tumour board (RCP-OOS).",
                    "La stéréotaxie n'est pas proposée pour cette lésion : un traitement ablatif suppose la situation oligométastatique et l'avis de la RCP spécialisée (RCP-OOS)."));
            }
        }

        var window = engine.Select(a => a.Request!.Occurrence).OfType<Period>().FirstOrDefault();
        var postoperative = window is not null;
        var start = Start(draft) ?? today;
        if (window?.Start is { } ws && DateOnly.TryParse(ws[..Math.Min(10, ws.Length)], CultureInfo.InvariantCulture, out var opens) && start < opens)
        {
            reasons.Add(L($"Post-operative radiotherapy before day 15: the window opens on {opens:yyyy-MM-dd}.",
                $"Radiothérapie post-opératoire avant J15 : la fenêtre s'ouvre le {opens:yyyy-MM-dd}."));
        }
        else
        {
            window = null; // only a start before the window moves the date
        }

        if (engine.Any(a => a.Request!.Status == RequestStatus.OnHold))
        {
            reasons.Add(L("Post-operative radiotherapy on unhealed (or undocumented) skin: the guideline holds it until the scar has healed.",
                "Radiothérapie post-opératoire sur une peau non cicatrisée (ou non documentée) : le référentiel la suspend jusqu'à cicatrisation."));
        }

        if (!wrongRegimen && preferredRegimen is not null && regimen?.Code != preferredRegimen.Code)
        {
            wrongRegimen = true;
            var alternative = regimen is not null && engine.Any(a => a.Regimen == regimen.Code);
            reasons.Add(alternative
                ? L($"{name} is an alternative; the guideline prefers {preferredRegimen.Name.En} here.", $"{name} est une alternative ; le référentiel préfère ici {preferredRegimen.Name.Fr}.")
                : L($"{name} is not a regimen the guideline proposes here; it prefers {preferredRegimen.Name.En}.", $"{name} n'est pas un schéma proposé ici par le référentiel ; il préfère {preferredRegimen.Name.Fr}."));
        }

        if (reasons.Count == 0)
        {
            return null;
        }

        var label = subjects.Select(p.Label).FirstOrDefault(l => l is not null);
        var summary = $"{L("Radiotherapy order to review", "Prescription de radiothérapie à revoir")}{(label is null ? "" : $" — {label}")}: {reasons[0]}";
        var md = new StringBuilder();
        md.Append("**").Append(L("Why", "Pourquoi")).Append("**\n\n");
        foreach (var r in reasons)
        {
            md.Append("- ").Append(r).Append('\n');
        }

        md.Append("\n**").Append(L("The guideline's proposal for this lesion", "La proposition du référentiel pour cette lésion")).Append("**\n\n");
        foreach (var a in acts)
        {
            md.Append("- ").Append(Text(a)).Append(a.Request is null ? "" : a.Preferred ? L(" — preferred", " — préféré") : L(" — alternative", " — alternative")).Append('\n');
        }

        var section = compressing ? Sections.Rades : postoperative ? Sections.PostOperative : regimen?.Technique == Technique.Sbrt ? Sections.Oligometastatic : Sections.RegimenChoice;
        md.Append('\n').Append(L("Source: ", "Source : ")).Append(section.Title.In(lang)).Append(" — ").Append(section.Cite).Append('\n');

        var suggestions = new List<CdsSuggestion>();
        if ((wrongRegimen && preferred is not null) || window is not null)
        {
            var update = Updated(draft, wrongRegimen ? preferred?.Request : null, window);
            var text = wrongRegimen && preferredRegimen is not null
                ? L($"Change the order to {preferredRegimen.Name.En}", $"Modifier la prescription en {preferredRegimen.Name.Fr}")
                : L("Move the order into the post-operative window", "Placer la prescription dans la fenêtre post-opératoire");
            suggestions.Add(new CdsSuggestion(text, Guid.NewGuid().ToString(), true, [new CdsAction("update", text, CdsCards.Json(update))]));
        }

        return new CdsCard
        {
            Uuid = Guid.NewGuid().ToString(),
            Summary = summary.Length <= 139 ? summary : summary[..138].TrimEnd() + "…",
            Detail = md.ToString(),
            Indicator = "warning",
            Source = new CdsSource($"BoneMetRT — {L("guideline", "référentiel")} §{(section.SeedSection.Length > 0 ? section.SeedSection : section.SpecAnchor)}", $"{links.Guideline}#s{section.SpecAnchor}"),
            Suggestions = suggestions.Count > 0 ? suggestions : null,
            SelectionBehavior = suggestions.Count > 0 ? "at-most-one" : null,
            Links = [new CdsLink(L("Open BoneMetRT (scores and proposal)", "Ouvrir BoneMetRT (scores et proposition)"), links.AppLaunch, "smart")],
        };
    }

    /// <summary>The draft with the preferred regimen's code and dose (SNOMED and other codings kept) and the window, same id.</summary>
    private static ServiceRequest Updated(ServiceRequest draft, ServiceRequest? preferred, Period? window)
    {
        var copy = (ServiceRequest)draft.DeepCopy();
        if (preferred is not null && RadiotherapyOrderDetails.RegimenItem(preferred) is { } regimen)
        {
            // The regimen goes where the engine keeps it (an orderDetail item, CodeX style); a regimen coding the draft
            // carried in code is dropped, SNOMED and other codings of code are kept.
            copy.Code ??= new CodeableConcept();
            copy.Code.Coding.RemoveAll(c => c.System == CodeSystems.BoneMet);
            if (!copy.Code.Coding.Any(c => c.System == CodeSystems.Snomed && c.Code == Terminology.RadiotherapyCourseSnomed))
            {
                copy.Code.Coding.Insert(0, new Coding(CodeSystems.Snomed, Terminology.RadiotherapyCourseSnomed, "Radiotherapy course of treatment"));
            }

            copy.OrderDetail.RemoveAll(d => d.Coding.Any(c => c.System == CodeSystems.BoneMet && Regimen.All.Any(r => r.Code == c.Code)));
            copy.OrderDetail.Insert(0, (CodeableConcept)regimen.DeepCopy());
            copy.Extension.RemoveAll(e => e.Url == PackageCanonicals.RegimenDoseExtension);
            if (preferred.GetExtension(PackageCanonicals.RegimenDoseExtension) is { } dose)
            {
                copy.Extension.Add((Extension)dose.DeepCopy());
            }
        }

        if (window is not null)
        {
            copy.Occurrence = (Period)window.DeepCopy();
        }

        return copy;
    }

    private static string Text(ProposedActivity a) =>
        a.RegimenText ?? a.Activity.Detail?.Code?.Text ?? a.Code;

    private static DateOnly? Start(ServiceRequest sr)
    {
        var value = sr.Occurrence switch
        {
            FhirDateTime dt => dt.Value,
            Period period => period.Start,
            _ => null,
        };
        return value is { Length: >= 10 } v && DateOnly.TryParseExact(v[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
    }

    /// <summary>
    /// The lesions a draft is for: its reasonReference, else an input bone metastasis with the same bodySite code; with
    /// the compression that comes from it, or the lesion a compression comes from (the engine may file the urgent course
    /// under either).
    /// </summary>
    private static HashSet<string> Subjects(CdsProposal p, ServiceRequest draft)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in draft.ReasonReference)
        {
            if (CdsProposal.Norm(r.Reference) is { Length: > 0 } key && p.InputResource(key) is Condition)
            {
                set.Add(key);
            }
        }

        var conditions = p.Input.Entry.Select(e => e.Resource).OfType<Condition>().ToList();
        if (set.Count == 0)
        {
            var sites = draft.BodySite.SelectMany(b => b.Coding).Select(c => (c.System, c.Code)).ToHashSet();
            foreach (var c in conditions.Where(c => c.Code?.Coding.Any(x => Terminology.IsBoneMetastasis(x.System, x.Code) || Terminology.IsSecondaryNeoplasm(x.System, x.Code)) == true
                && c.BodySite.SelectMany(b => b.Coding).Any(x => sites.Contains((x.System, x.Code)))))
            {
                set.Add($"Condition/{c.Id}");
            }
        }

        foreach (var c in conditions)
        {
            var key = $"Condition/{c.Id}";
            var evidence = c.Evidence.SelectMany(e => e.Detail).Select(d => CdsProposal.Norm(d.Reference)).ToList();
            if (evidence.Any(set.Contains) || (set.Contains(key) && evidence.Count > 0))
            {
                set.Add(key);
                set.UnionWith(evidence.Where(e => e.StartsWith("Condition/", StringComparison.Ordinal)));
            }
        }

        return set;
    }
}
