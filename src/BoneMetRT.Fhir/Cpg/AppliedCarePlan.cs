using BoneMetRT.Fhir.Normalize;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Cpg;

/// <summary>
/// Turns the <c>$assess</c> answer into the answer of <c>$apply</c>, in the shape HAPI clinical-reasoning's R4
/// <c>PlanDefinition/$apply</c> returns: one CarePlan whose RequestGroups, and the resources they reference, are
/// contained, every reference between them local (<c>#id</c>). Nothing is decided here: the activities, their order and
/// every contained resource are those of <c>$assess</c>; only the categories come from the PlanDefinition's actions whose
/// conditions hold.
/// </summary>
internal static class AppliedCarePlan
{
    /// <summary>The CarePlan of <paramref name="assessment"/>, with the outputs it refers to contained.</summary>
    public static CarePlan From(Bundle assessment, IReadOnlyList<PlanDefinition.ActionComponent> applicable)
    {
        var entries = assessment.Entry.Where(e => e.Resource is not null).Select(e => (Url: e.FullUrl ?? "", Resource: e.Resource!)).ToList();
        var source = entries.Single(e => e.Resource is CarePlan);
        var plan = (CarePlan)source.Resource.DeepCopy();

        // References to outputs become local; references to the caller's inputs under a urn:uuid (which only resolves
        // inside the $assess Bundle) become Type/id where the input has an id; the others stay as the caller wrote them.
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var contained = new List<Resource>();
        foreach (var (url, resource) in entries.Where(e => e.Resource is not CarePlan and not Provenance))
        {
            if (IsInput(resource))
            {
                if (resource.Id is { Length: > 0 } id && url.StartsWith("urn:", StringComparison.Ordinal))
                {
                    map[url] = $"{resource.TypeName}/{id}";
                }

                continue;
            }

            var copy = (Resource)resource.DeepCopy();
            contained.Add(copy);
            map[url] = "#" + copy.Id;
        }

        plan.Contained = contained;
        // descendants() walks the contained resources too.
        Rewrite(plan, map);

        // The messages of the run travel with the plan (dom-3: a contained resource must be referenced).
        foreach (var outcome in contained.OfType<OperationOutcome>())
        {
            plan.SupportingInfo.Add(new ResourceReference("#" + outcome.Id));
        }

        plan.Category = [.. applicable.Select(a => Category(a, plan.Category))];
        return plan;
    }

    /// <summary>The category of an applicable situation action: the $assess category of the same code where there is one (with its text in the answer's language).</summary>
    private static CodeableConcept Category(PlanDefinition.ActionComponent action, List<CodeableConcept> found)
    {
        var code = action.Code.SelectMany(c => c.Coding).First(c => c.System == CodeSystems.BoneMet).Code;
        return (CodeableConcept?)found.FirstOrDefault(c => c.Coding.Any(x => x.System == CodeSystems.BoneMet && x.Code == code))?.DeepCopy()
            ?? new CodeableConcept(CodeSystems.BoneMet, code, action.Title) { Text = action.Title };
    }

    private static bool IsInput(Resource resource) =>
        resource.Meta?.Tag.Any(t => t.System == CodeSystems.BoneMet && t.Code == "input") == true;

    private static void Rewrite(Resource resource, Dictionary<string, string> map)
    {
        foreach (var reference in resource.Select("descendants().ofType(Reference)").OfType<ResourceReference>())
        {
            if (reference.Reference is { } target && map.TryGetValue(target, out var local))
            {
                reference.Reference = local;
            }
        }
    }
}
