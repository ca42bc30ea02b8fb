using BoneMetRT.Domain;
using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Situations;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Denormalize;

/// <summary>
/// The CarePlan (profile bonemet-careplan): one activity per recommendation. A recommendation with regimens
/// references its RequestGroup (the choice of regimen and its order relative to other steps); the others are
/// activity details.
/// </summary>
internal sealed class CarePlanBuilder(DenormalizeContext c, RequestGroupBuilder groups)
{
    /// <summary>Builds the plan; <paramref name="requests"/> receives the RequestGroups and the ServiceRequests they reference.</summary>
    public Bundle.EntryComponent Build(List<ResourceReference> risks, List<Bundle.EntryComponent> requests)
    {
        var r = c.Result;
        var plan = new CarePlan
        {
            Status = RequestStatus.Draft,
            Intent = CarePlan.CarePlanIntent.Proposal,
            Subject = c.PatientRef,
            Created = c.When.Value,
            Title = c.L(new LocalizedText("Radiotherapy of bone metastases — proposal", "Radiothérapie des métastases osseuses — proposition")),
            Author = new ResourceReference(c.DeviceUrl),
            SupportingInfo = risks,
        };
        // The protocol this proposal applies (CPG-on-FHIR); the operation that made it is the Provenance's policy.
        plan.InstantiatesCanonical = [PackageCanonicals.PlanDefinition];

        // The situations found, and those a proposal stands on (e.g. the post-operative course planned after surgery).
        foreach (var s in r.Situations.Select(s => s.Situation).Concat(r.Recommendations.SelectMany(x => x.Situations)).Distinct().Order())
        {
            plan.Category.Add(new CodeableConcept(CodeSystems.BoneMet, s.Code(), s.Name().En) { Text = c.L(s.Name()) });
        }

        var addressed = r.Mirels.Select(m => m.LesionId)
            .Concat(r.Rades.Select(x => x.MsccId))
            .Concat(r.Recommendations.Select(x => x.SubjectId).OfType<string>())
            .Distinct().Where(c.IsCondition);
        plan.Addresses.AddRange(addressed.Select(c.Ref));

        var lines = new List<string>();
        foreach (var s in r.Situations)
        {
            lines.Add($"{c.L(s.Situation.Name())}: {c.L(s.Rationale)} ({s.Reference.Cite})");
        }

        foreach (var rec in r.Recommendations)
        {
            var activityExt = new Extension(PackageCanonicals.ActivityRecommendationExtension, DenormalizeContext.BoneMetCode(rec.Code));
            if (rec.Regimens.Count > 0)
            {
                // The group first, then the requests it references: the Bundle reads in the order of the plan.
                var referenced = new List<Bundle.EntryComponent>();
                var group = groups.Build(rec, referenced);
                requests.Add(group);
                requests.AddRange(referenced);
                plan.Activity.Add(new CarePlan.ActivityComponent { Extension = [activityExt], Reference = new ResourceReference(group.FullUrl) });
            }
            else
            {
                var detail = new CarePlan.DetailComponent
                {
                    Kind = CarePlan.CarePlanActivityKind.ServiceRequest,
                    InstantiatesCanonical = [PackageCanonicals.ActivityDefinition(rec.Code)],
                    Code = new CodeableConcept(CodeSystems.BoneMet, rec.Code) { Text = c.L(rec.Text) },
                    Status = CarePlan.CarePlanActivityStatus.NotStarted,
                    DescriptionElement = Narrative.Text(LocalizedText.Join([rec.Text, rec.Rationale]), c.Lang),
                };
                if (c.IsCondition(rec.SubjectId))
                {
                    detail.ReasonReference.Add(c.Ref(rec.SubjectId!));
                }

                plan.Activity.Add(new CarePlan.ActivityComponent { Extension = [activityExt], Detail = detail });
            }

            lines.Add($"{c.L(rec.Text)} {c.L(rec.Rationale)} ({rec.Reference.Cite})");
        }

        plan.Note.Add(Narrative.Note(r.Oligometastatic.Rationale, c.Lang));
        lines.Add(c.L(r.Oligometastatic.Rationale));
        plan.Description = c.L(new LocalizedText(
            $"Proposal of the BoneMetRT guideline engine {EngineInfo.Version} for review by the treating team; not an order.",
            $"Proposition du moteur BoneMetRT {EngineInfo.Version}, à valider par l'équipe soignante ; ce n'est pas une prescription."));
        plan.Text = Narrative.Of(c.Lang, plan.Title, lines);
        return c.Entry("careplan", plan, PackageCanonicals.CarePlanProfile);
    }
}
