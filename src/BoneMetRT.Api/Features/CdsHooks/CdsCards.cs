using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using BoneMetRT.Domain;
using BoneMetRT.Domain.Assessment;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Features.CdsHooks;

/// <summary>Absolute addresses the cards point at.</summary>
/// <param name="AppLaunch">The SMART app's launch page.</param>
/// <param name="Guideline">The guideline page; <c>#s1</c> … <c>#s8</c> are appended.</param>
public sealed record CdsLinkTargets(string AppLaunch, string Guideline);

/// <summary>
/// Cards of <c>patient-view</c> from the <c>$assess</c> answer: one card per lesion or compression the CarePlan proposes
/// something for (and one for patient-wide proposals). <c>critical</c> when a request is urgent or rests on a Rades
/// assessment (spinal cord compression), <c>warning</c> for Mirels ≥ 8, a withheld score, a re-irradiation or an
/// established fracture, <c>info</c> otherwise,
/// including recommendation codes this service does not know. No CarePlan activity: no card.
/// </summary>
public static class CdsCards
{
    /// <summary>Builds the cards.</summary>
    public static IReadOnlyList<CdsCard> PatientView(CdsProposal proposal, Language lang, CdsLinkTargets links)
    {
        var cards = new List<CdsCard>();
        var groups = proposal.Activities.GroupBy(a => a.Subject).ToList();
        var mapped = groups.Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        // A profile the record declares and the service does not hold (profile-not-checked) is about the record's
        // conformance, not its clinical content: it stays in the $assess answer's OperationOutcome, and is no
        // "missing or conflicting data" on a clinician's card.
        var clinical = proposal.Issues.Where(i => !CdsProposal.Is(i.Issue, "profile-not-checked")).ToList();
        // Issues about no lesion with a card (patient-wide missing items) go with the first card.
        var orphans = clinical.Where(i => !mapped.Contains(i.Subject)).Select(i => i.Issue).ToList();
        for (var n = 0; n < groups.Count; n++)
        {
            var group = groups[n];
            var issues = clinical.Where(i => i.Subject == group.Key).Select(i => i.Issue).Concat(n == 0 ? orphans : []).ToList();
            cards.Add(Card(proposal, group.Key, [.. group], issues, lang, links, groups.Count > 1 ? n : null));
        }

        return cards;
    }

    private static CdsCard Card(CdsProposal p, string subject, List<ProposedActivity> activities, List<OperationOutcome.IssueComponent> issues, Language lang,
        CdsLinkTargets links, int? part)
    {
        string L(string en, string fr) => lang == Language.Fr ? fr : en;
        var scores = p.ScoresOf(subject, activities).ToList();
        var risks = p.RisksOf(subject, activities).ToList();
        var mirels = scores.Where(o => CdsProposal.CodeOf(o) == "mirels-score").Select(CdsProposal.ValueOf).DefaultIfEmpty(-1).Max();
        // Information-level missing items (a situation not assessed) do not withhold a score.
        var withheld = issues.Where(i => i.Severity is OperationOutcome.IssueSeverity.Warning or OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal
            && (CdsProposal.Is(i, "missing-item") || CdsProposal.Is(i, "conflicting-item"))).ToList();
        var scoreWithheld = withheld.Count > 0 && mirels < 0;
        var urgent = activities.Any(a => a.Request?.Priority is RequestPriority.Urgent or RequestPriority.Stat or RequestPriority.Asap)
            || risks.Any(r => r.Code?.Coding.Any(c => c.Code == "rades-score") == true);
        // A re-irradiation or an established fracture is not routine either: the team must look before ordering.
        var surgicalOrRepeat = activities.Any(a => a.Code is RecommendationCodes.ReirradiationReview or RecommendationCodes.OrthopaedicOpinion)
            || issues.Any(i => CdsProposal.Is(i, "reirradiation"));
        var indicator = urgent ? "critical" : mirels >= 8 || scoreWithheld || surgicalOrRepeat ? "warning" : "info";

        var label = p.Label(subject);
        var lead = Lead(activities, lang);
        var head = urgent ? L("Spinal cord compression: urgent radiotherapy", "Compression médullaire : radiothérapie urgente")
            : mirels >= 8 ? L($"Fracture risk (Mirels {mirels})", $"Risque fracturaire (Mirels {mirels})")
            : scoreWithheld ? L($"Score withheld ({withheld.Count} item(s) missing or conflicting)", $"Score non calculé ({withheld.Count} item(s) manquant(s) ou contradictoire(s))")
            : L("Bone metastasis", "Métastase osseuse");
        var summary = Truncate($"{head}{(label is null ? "" : $" — {label}")}: {lead}", 139);

        var section = Section(activities, urgent, mirels >= 0 || scoreWithheld);
        var detail = Detail(activities, scores, risks, issues, lang, section);
        var suggestion = new CdsSuggestion(L("Create the draft proposal (CarePlan and requests) for review", "Créer la proposition en brouillon (CarePlan et demandes) pour validation"),
            Guid.NewGuid().ToString(), true, Proposal(p, activities, lang, part));
        return new CdsCard
        {
            Uuid = Guid.NewGuid().ToString(),
            Summary = summary,
            Detail = detail,
            Indicator = indicator,
            Source = new CdsSource($"BoneMetRT — {L("guideline", "référentiel")} §{(section.SeedSection.Length > 0 ? section.SeedSection : section.SpecAnchor)}",
                $"{links.Guideline}#s{section.SpecAnchor}"),
            Suggestions = [suggestion],
            SelectionBehavior = "at-most-one",
            Links = [new CdsLink(L("Open BoneMetRT (scores and proposal)", "Ouvrir BoneMetRT (scores et proposition)"), links.AppLaunch, "smart")],
        };
    }

    /// <summary>What is proposed, in a few words: the decisions that are not a regimen, then the preferred regimen.</summary>
    private static string Lead(List<ProposedActivity> activities, Language lang)
    {
        var parts = new List<string>();
        var decisions = activities.Where(a => a.Request is null && a.Code != RecommendationCodes.CorticosteroidCover).Select(a => ShortName(a, lang)).Distinct().ToList();
        if (decisions.Count > 0)
        {
            parts.Add(string.Join(" + ", decisions));
        }

        var preferred = activities.FirstOrDefault(a => a.Request is not null && a.Preferred) ?? activities.FirstOrDefault(a => a.Request is not null);
        if (preferred is not null)
        {
            parts.Add(lang == Language.Fr ? $"{preferred.RegimenText} proposé" : $"{preferred.RegimenText} proposed");
        }

        return parts.Count > 0 ? string.Join("; ", parts) : ShortName(activities[0], lang);
    }

    /// <summary>
    /// A short name for the summary line. Codes this service does not know yet (a newer engine) fall back to the
    /// activity's own text, shortened, so that they still give a readable card.
    /// </summary>
    public static string ShortName(ProposedActivity a, Language lang)
    {
        LocalizedText? known = a.Code switch
        {
            RecommendationCodes.TumourBoard => new("tumour board review (RCP)", "avis de la RCP"),
            RecommendationCodes.SpecialisedTumourBoard => new("specialised tumour board (RCP-OOS)", "avis de la RCP spécialisée (RCP-OOS)"),
            RecommendationCodes.ProphylacticFixation => new("prophylactic fixation first", "fixation prophylactique d'abord"),
            RecommendationCodes.ConsolidationSurgery => new("discuss consolidation surgery", "discuter une chirurgie de consolidation"),
            RecommendationCodes.NeurosurgicalOpinion => new("neurosurgical opinion", "avis neurochirurgical"),
            RecommendationCodes.CorticosteroidCover => new("corticosteroid cover", "couverture par corticoïdes"),
            "reirradiation-review" => new("re-irradiation review", "discussion d'une ré-irradiation"),
            "orthopaedic-surgery-opinion" => new("orthopaedic surgery opinion", "avis de chirurgie orthopédique"),
            _ => null,
        };
        if (known is not null && a.Request is null)
        {
            return known.In(lang);
        }

        var text = ActivityText(a);
        return text.Length <= 60 ? text : text[..59].TrimEnd() + "…";
    }

    private static string? RegimenText(ServiceRequest sr) => RadiotherapyOrderDetails.RegimenItem(sr)?.Text ?? sr.Code?.Text;

    private static string ActivityText(ProposedActivity a) =>
        a.RegimenText ?? a.Activity.Detail?.Code?.Text ?? a.Activity.Detail?.Code?.Coding.FirstOrDefault()?.Code ?? a.Code;

    private static GuidelineRef Section(List<ProposedActivity> activities, bool urgent, bool mirels) =>
        urgent ? Sections.Rades
        : activities.Any(a => a.Request?.Occurrence is Period) ? Sections.PostOperative
        : activities.Any(a => a.Code == RecommendationCodes.SpecialisedTumourBoard || a.Regimen?.StartsWith("sbrt", StringComparison.Ordinal) == true) ? Sections.Oligometastatic
        : mirels ? Sections.Mirels
        : activities.Any(a => a.Request is not null) ? Sections.DoseFractionation
        : Sections.Situations;

    private static string Detail(List<ProposedActivity> activities, List<Observation> scores, List<RiskAssessment> risks,
        List<OperationOutcome.IssueComponent> issues, Language lang, GuidelineRef section)
    {
        string L(string en, string fr) => lang == Language.Fr ? fr : en;
        var md = new StringBuilder();
        var colon = L(": ", " : "); // French typography puts a space before the colon
        var said = new List<string>(); // texts already written, so that a rationale repeated by the risk assessment is not written twice
        md.Append("**").Append(L("Proposed (draft, for review by the treating team)", "Proposé (brouillon, à valider par l'équipe soignante)")).Append("**\n\n");
        foreach (var a in activities)
        {
            md.Append("- ");
            if (a.Request is null && a.Activity.Detail?.Description is { Length: > 0 } description)
            {
                // The description starts with the activity's text and goes on with its rationale.
                md.Append(Esc(description));
                said.Add(description);
            }
            else
            {
                md.Append(Esc(ActivityText(a)));
            }

            if (a.Request is { } sr)
            {
                md.Append(" — ").Append(a.Preferred ? L("preferred", "préféré") : L("alternative", "alternative"));
                if (sr.Priority is RequestPriority.Urgent)
                {
                    md.Append(", ").Append(L("urgent", "urgent"));
                }

                if (sr.Status == RequestStatus.OnHold)
                {
                    md.Append(", ").Append(L("on hold", "suspendu"));
                }

                if (sr.Occurrence is Period period)
                {
                    md.Append(", ").Append(L("window", "fenêtre")).Append(' ').Append(period.Start).Append(" → ").Append(period.End);
                }

                if (sr.Note.FirstOrDefault()?.Text is { Length: > 0 } why)
                {
                    md.Append(colon).Append(Esc(why));
                }
            }
            md.Append('\n');
        }

        if (scores.Count > 0 || risks.Count > 0)
        {
            md.Append("\n**").Append(L("Scores", "Scores")).Append("**\n\n");
            foreach (var o in scores)
            {
                var max = CdsProposal.CodeOf(o) == "rades-score" ? 44 : 12;
                md.Append("- ").Append(Esc(o.Code.Text ?? CdsProposal.CodeOf(o))).Append(colon).Append(CdsProposal.ValueOf(o)).Append('/').Append(max)
                    .Append(o.Interpretation.FirstOrDefault()?.Text is { } band && band != CdsProposal.ValueOf(o).ToString(CultureInfo.InvariantCulture) ? $" ({Esc(band)})" : "").Append('\n');
            }

            foreach (var r in risks)
            {
                foreach (var prediction in r.Prediction)
                {
                    var probability = (prediction.Probability as FhirDecimal)?.Value;
                    md.Append("- ").Append(Esc(prediction.Outcome?.Text ?? "")).Append(probability is { } pr ? $"{colon}≈ {pr.ToString("0.#", CultureInfo.InvariantCulture)} %" : "").Append('\n');
                    if (prediction.Rationale is { Length: > 0 } rationale && !said.Any(t => t.Contains(rationale, StringComparison.Ordinal)))
                    {
                        md.Append("  - ").Append(Esc(rationale)).Append('\n');
                        said.Add(rationale);
                    }
                }

                if (r.Mitigation is { Length: > 0 } mitigation && !said.Any(t => t.Contains(mitigation, StringComparison.Ordinal)))
                {
                    md.Append("  - ").Append(Esc(mitigation)).Append('\n');
                }
            }
        }

        var notes = issues.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Warning).ToList();
        if (notes.Count > 0)
        {
            md.Append("\n**").Append(L("Missing or conflicting data", "Données manquantes ou contradictoires")).Append("**\n\n");
            foreach (var i in notes)
            {
                md.Append("- ").Append(Esc(i.Details?.Text ?? i.Diagnostics ?? "")).Append('\n');
            }
        }

        md.Append('\n').Append(L("Source", "Source")).Append(colon).Append(Esc(section.Title.In(lang))).Append(" — ").Append(Esc(section.Cite)).Append('\n');
        return md.ToString();
    }

    /// <summary>
    /// Create actions for the draft proposal of this card: the CarePlan (with this card's activities only when the
    /// answer has several cards, so that accepting two cards does not create the same activity twice) and its
    /// ServiceRequests, as the EHR would store them: references to the patient's own resources made relative, the
    /// requests referenced by id, and references to outputs that are not created (the engine Device, the risk
    /// assessments) left out.
    /// </summary>
    private static IReadOnlyList<CdsAction> Proposal(CdsProposal p, List<ProposedActivity> activities, Language lang, int? part)
    {
        string L(string en, string fr) => lang == Language.Fr ? fr : en;
        var actions = new List<CdsAction>();
        if (p.CarePlan is null)
        {
            return actions;
        }

        var plan = (CarePlan)p.CarePlan.DeepCopy();
        if (part is { } n)
        {
            plan.Id = $"{plan.Id}-{n + 1}";
            plan.Text = null; // the narrative covers every card's activities
            var keep = activities.Select(a => a.Activity).ToList();
            plan.Activity = [.. p.CarePlan.Activity.Select((a, i) => (a, i)).Where(x => keep.Contains(x.a)).Select(x => (CarePlan.ActivityComponent)plan.Activity[x.i])];
        }

        plan.Author = null;
        plan.SupportingInfo.Clear();
        Outputs(p, plan);
        Relative(plan);
        actions.Add(new CdsAction("create", L("Draft CarePlan of the proposal", "CarePlan brouillon de la proposition"), Json(plan)));

        // The courses' RequestGroups (the choice and its order), then every request they or the activities point at.
        var groups = activities.Select(a => a.Group).OfType<RequestGroup>().Distinct().ToList();
        var requests = groups.SelectMany(g => CdsProposal.Leaves(g.Action)).Select(a => p.Output(a.Resource?.Reference)).OfType<ServiceRequest>()
            .Concat(activities.Select(a => a.Request).OfType<ServiceRequest>()).Distinct().ToList();
        foreach (var group in groups)
        {
            var copy = (RequestGroup)group.DeepCopy();
            copy.Author = null;
            Outputs(p, copy);
            Relative(copy);
            actions.Add(new CdsAction("create", L("Draft choice of regimen and its order (RequestGroup)", "Choix du schéma et séquence en brouillon (RequestGroup)"), Json(copy)));
        }

        foreach (var sr in requests)
        {
            var copy = (ServiceRequest)sr.DeepCopy();
            copy.Requester = null;
            copy.SupportingInfo.Clear();
            copy.BasedOn = [new ResourceReference($"CarePlan/{plan.Id}")];
            Outputs(p, copy);
            Relative(copy);
            actions.Add(new CdsAction("create", L($"Draft request: {RegimenText(sr)}", $"Demande brouillon : {RegimenText(sr)}"), Json(copy)));
        }

        return actions;
    }

    /// <summary>
    /// References to outputs created with the card (the plan, its RequestGroups and requests) as <c>Type/id</c>, the
    /// ids the created resources keep; references to outputs that are not created (Device, RiskAssessment) removed.
    /// </summary>
    private static void Outputs(CdsProposal p, Resource resource)
    {
        foreach (var reference in References(resource).ToList())
        {
            if (reference.Reference is { } r && r.StartsWith("urn:uuid:", StringComparison.Ordinal) && p.Output(r) is { } target)
            {
                reference.Reference = target is CarePlan or RequestGroup or ServiceRequest ? $"{target.TypeName}/{target.Id}" : null;
            }
        }
    }

    /// <summary>References to the patient's resources as <c>Type/id</c> (relative to the EHR's server).</summary>
    private static void Relative(Resource resource)
    {
        foreach (var reference in References(resource))
        {
            if (reference.Reference is { } r && !r.StartsWith("urn:", StringComparison.Ordinal))
            {
                reference.Reference = CdsProposal.Norm(r);
            }
        }
    }

    private static IEnumerable<ResourceReference> References(Base element)
    {
        foreach (var (_, value) in element.EnumerateElements())
        {
            var children = value switch
            {
                Base one => [one],
                IEnumerable<Base> many => many,
                _ => [],
            };
            foreach (var child in children)
            {
                if (child is ResourceReference reference)
                {
                    yield return reference;
                }

                foreach (var inner in References(child))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>A FHIR resource as a JSON node for an action.</summary>
    public static JsonNode Json(Resource resource) => JsonNode.Parse(FhirSerialization.Serialize(resource, FhirFormat.Json))!;

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)].TrimEnd() + "…";

    // Engine texts go into Markdown: characters that would change the rendering are escaped.
    private static string Esc(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '[' or ']' or '<' or '>' or '`' or '#')
            {
                sb.Append('\\');
            }

            sb.Append(c is '\n' or '\r' ? ' ' : c);
        }

        return sb.ToString();
    }
}
