using BoneMetRT.Domain;
using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Situations;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Denormalize;

/// <summary>
/// One RequestGroup (profile bonemet-request-group) per radiotherapy course of a lesion, in the form CPG-on-FHIR
/// gives an applied recommendation: an action <c>course</c> that chooses exactly one of the regimen ServiceRequests
/// (the preferred one pre-checked); when a step must come first (fixation or surgical opinion before post-operative
/// radiotherapy, the specialised tumour board before SBRT), an action <c>step</c> for it and a <c>relatedAction</c>
/// placing the course after its end (15–21 days after surgery); preconditions (healed skin, a known operation day)
/// as applicability conditions. The step's own ServiceRequest is emitted here because R4 requires every leaf action
/// to reference a resource (rgp-1).
/// </summary>
internal sealed class RequestGroupBuilder(DenormalizeContext c, RadiotherapyRequestBuilder requests)
{
    /// <summary>Builds the group of a recommendation with regimens; <paramref name="emitted"/> receives the ServiceRequests it references.</summary>
    public Bundle.EntryComponent Build(Recommendation rec, List<Bundle.EntryComponent> emitted)
    {
        var ablative = rec.Code == RecommendationCodes.SpecialisedTumourBoard;
        var rg = new RequestGroup
        {
            InstantiatesCanonical = [PackageCanonicals.PlanDefinition],
            Status = RequestStatus.Draft,
            Intent = RequestIntent.Proposal,
            Priority = rec.Urgent ? RequestPriority.Urgent : RequestPriority.Routine,
            Code = new CodeableConcept(CodeSystems.BoneMet, rec.Code) { Text = c.L(rec.Text) },
            Subject = c.PatientRef,
            AuthoredOn = c.When.Value,
            Author = new ResourceReference(c.DeviceUrl),
        };
        if (c.IsCondition(rec.SubjectId))
        {
            rg.ReasonReference.Add(c.Ref(rec.SubjectId!));
        }

        rg.Note.Add(Narrative.Note(rec.Rationale, c.Lang));

        var lines = new List<string>();
        RequestGroup.RelatedActionComponent? after = null;
        if (Step(rec, ablative) is { } step)
        {
            var stepEntry = StepRequest(step);
            emitted.Add(stepEntry);
            rg.Action.Add(new RequestGroup.ActionComponent
            {
                ElementId = "step",
                TitleElement = Narrative.Text(step.Text, c.Lang),
                Code = [DenormalizeContext.BoneMetCode(step.Code)],
                Resource = new ResourceReference(stepEntry.FullUrl),
            });
            after = new RequestGroup.RelatedActionComponent
            {
                ActionId = "step",
                Relationship = ActionRelationshipType.AfterEnd,
            };
            if (rec.After is { } seq)
            {
                // Guideline §1.4: post-operative radiotherapy 15 to 21 days after the operation.
                after.Offset = new Hl7.Fhir.Model.Range
                {
                    Low = new Quantity(seq.MinDays, "d", CodeSystems.Ucum) { Unit = "days" },
                    High = new Quantity(seq.MaxDays, "d", CodeSystems.Ucum) { Unit = "days" },
                };
                lines.Add(c.L(new LocalizedText($"Then, {seq.Text.En}:", $"Puis, {seq.Text.Fr} :")));
            }
            else
            {
                lines.Add(c.L(new LocalizedText("Then, if the board agrees:", "Puis, si la RCP l'accepte :")));
            }

            lines.Insert(0, c.L(step.Text));
        }

        var course = new RequestGroup.ActionComponent
        {
            ElementId = "course",
            TitleElement = Narrative.Text(ablative
                ? new LocalizedText($"Stereotactic ablative radiotherapy of {rec.SubjectLabel}", $"Radiothérapie stéréotaxique ablative de {rec.SubjectLabel}")
                : rec.Text, c.Lang),
            Code = [DenormalizeContext.BoneMetCode(rec.Code)],
            Priority = rec.Urgent ? RequestPriority.Urgent : RequestPriority.Routine,
            GroupingBehavior = ActionGroupingBehavior.LogicalGroup,
            SelectionBehavior = ActionSelectionBehavior.ExactlyOne,
            // A proposal: the course is expected unless the clinician documents why not; an ablative course is only
            // an option the specialised board may take up.
            RequiredBehavior = ablative ? ActionRequiredBehavior.Could : ActionRequiredBehavior.MustUnlessDocumented,
        };
        if (after is not null)
        {
            course.RelatedAction.Add(after);
        }

        foreach (var condition in Preconditions(rec))
        {
            course.Condition.Add(new RequestGroup.ConditionComponent
            {
                Kind = ActionConditionKind.Applicability,
                Expression = new Expression
                {
                    DescriptionElement = Narrative.Text(condition, c.Lang),
                    Language = "text/plain",
                    ExpressionElement = Narrative.Text(condition, c.Lang),
                },
            });
            lines.Add(c.L(new LocalizedText($"Provided that: {condition.En}", $"À condition que : {condition.Fr}")));
        }

        lines.Add(c.L(new LocalizedText("Choose one regimen:", "Choisir un schéma :")));
        var n = 0;
        foreach (var option in rec.Regimens)
        {
            var sr = requests.Build(rec, option, n);
            emitted.Add(sr);
            course.Action.Add(new RequestGroup.ActionComponent
            {
                ElementId = $"regimen-{n}",
                TitleElement = Narrative.Text(option.Regimen.Name, c.Lang),
                Code = [new CodeableConcept(CodeSystems.BoneMet, option.Regimen.Code) { Text = c.L(option.Regimen.Name) }],
                // Pre-checked: the preferred regimen is selected unless the clinician picks another.
                PrecheckBehavior = option.Preferred ? ActionPrecheckBehavior.Yes : ActionPrecheckBehavior.No,
                Resource = new ResourceReference(sr.FullUrl),
            });
            lines.Add($"{c.L(option.Regimen.Name)} — {c.L(option.Preferred ? new LocalizedText("preferred, pre-selected", "préféré, présélectionné") : new LocalizedText("alternative", "alternative"))}");
            n++;
        }

        rg.Action.Add(course);
        lines.Add(c.L(rec.Rationale));
        lines.Add(rec.Reference.Cite);
        rg.Text = Narrative.Of(c.Lang, c.L(rec.Text) + (rec.SubjectLabel is { Length: > 0 } label && !c.L(rec.Text).Contains(label, StringComparison.Ordinal) ? $" — {label}" : ""),
            lines);
        return c.Entry($"request-group/{rec.Code}/{rec.SubjectId}", rg, PackageCanonicals.RequestGroupProfile);
    }

    /// <summary>
    /// The step that comes first: the recommendation the sequence names (same subject), or for an ablative course the
    /// specialised tumour board that the recommendation itself is.
    /// </summary>
    private Recommendation? Step(Recommendation rec, bool ablative)
    {
        if (ablative)
        {
            return rec;
        }

        return rec.After is { } seq
            ? c.Result.Recommendations.FirstOrDefault(x => x.Code == seq.AfterCode && x.SubjectId == rec.SubjectId)
            : null;
    }

    /// <summary>Preconditions of a post-operative course: healed skin, and a known day of operation to place the window.</summary>
    private static IEnumerable<LocalizedText> Preconditions(Recommendation rec)
    {
        if (rec.Window is null && rec.After is null)
        {
            yield break;
        }

        yield return new LocalizedText("the skin over the operation is healed (checked before the start).",
            "la peau est cicatrisée au site opératoire (vérifié avant le début).");
        if (rec.Window?.Status == WindowStatus.HeldDateUnknown)
        {
            yield return new LocalizedText("the day of the operation is known, so that the 15-to-21-day window can be placed.",
                "le jour de l'intervention est connu, pour placer la fenêtre de 15 jours à 3 semaines.");
        }
    }

    /// <summary>A plain ServiceRequest for the step before the course (surgery, opinion, board): what the group's first action requests.</summary>
    private Bundle.EntryComponent StepRequest(Recommendation step)
    {
        var sr = new ServiceRequest
        {
            InstantiatesCanonical = [PackageCanonicals.ActivityDefinition(step.Code)],
            Status = RequestStatus.Draft,
            Intent = RequestIntent.Proposal,
            Category = [DenormalizeContext.BoneMetCode(step.Code)],
            Priority = step.Urgent ? RequestPriority.Urgent : RequestPriority.Routine,
            Code = new CodeableConcept(CodeSystems.BoneMet, step.Code) { Text = c.L(step.Text) },
            Subject = c.PatientRef,
            AuthoredOn = c.When.Value,
            Requester = new ResourceReference(c.DeviceUrl),
        };
        if (c.IsCondition(step.SubjectId))
        {
            sr.ReasonReference.Add(c.Ref(step.SubjectId!));
        }

        sr.Note.Add(Narrative.Note(step.Rationale, c.Lang));
        sr.Text = Narrative.Of(c.Lang, c.L(step.Text), [c.L(step.Rationale), step.Reference.Cite]);
        return c.Entry($"step/{step.Code}/{step.SubjectId}", sr, "");
    }
}
