using System.Globalization;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Tests.Cpg;

/// <summary>
/// What a CarePlan proposes, as comparable lines: its categories, then activity by activity the recommendation, the
/// detail or the RequestGroup with every action (code, order, pre-check, conditions, related actions) and the requests
/// they reference (codes, dose, fractions, preference, priority, window). Used to show that <c>$apply</c> and
/// <c>$assess</c> propose the same thing, whatever the way their resources reference each other.
/// </summary>
public static class ApplyProposals
{
    /// <summary>The lines of <paramref name="plan"/>; <paramref name="resolve"/> finds a referenced resource.</summary>
    public static List<string> Of(CarePlan plan, Func<string, Resource?> resolve)
    {
        var lines = new List<string>
        {
            "categories: " + string.Join(",", plan.Category.SelectMany(c => c.Coding).Select(c => c.Code)),
            "instantiates: " + string.Join(",", plan.InstantiatesCanonical),
        };
        foreach (var activity in plan.Activity)
        {
            var recommendation = (activity.Extension.SingleOrDefault(e => e.Url == PackageCanonicals.ActivityRecommendationExtension)?.Value as CodeableConcept)?.Coding.Single().Code;
            if (activity.Detail is { } detail)
            {
                lines.Add($"detail {recommendation}: {Codes(detail.Code)} {string.Join(",", detail.InstantiatesCanonical)} reason={detail.ReasonReference.Count} {detail.Description}");
                continue;
            }

            var group = Assert.IsType<RequestGroup>(resolve(activity.Reference?.Reference ?? ""));
            lines.Add($"group {recommendation}: {Codes(group.Code)} {group.Priority} {string.Join(",", group.InstantiatesCanonical)} reason={group.ReasonReference.Count}");
            Actions(group.Action, "  ", lines, resolve);
        }

        return lines;
    }

    private static void Actions(List<RequestGroup.ActionComponent> actions, string indent, List<string> lines, Func<string, Resource?> resolve)
    {
        foreach (var action in actions)
        {
            lines.Add($"{indent}action {action.ElementId}: {string.Join(",", action.Code.Select(Codes))} {action.SelectionBehavior} {action.PrecheckBehavior} {action.RequiredBehavior} {action.Title}");
            lines.AddRange(action.Condition.Select(c => $"{indent}  if {c.Kind} {c.Expression?.Language}: {c.Expression?.Expression_}"));
            lines.AddRange(action.RelatedAction.Select(r => $"{indent}  {r.Relationship} {r.ActionId} {Offset(r.Offset)}"));
            if (action.Resource is { } reference)
            {
                var request = Assert.IsType<ServiceRequest>(resolve(reference.Reference ?? ""));
                var dose = request.GetExtension(PackageCanonicals.RegimenDoseExtension);
                lines.Add($"{indent}  request {Codes(request.Code)} {request.Status} {request.Priority} {string.Join(",", request.InstantiatesCanonical)} " +
                    $"dose={dose?.GetExtensionValue<Quantity>("totalDose")?.Value?.ToString(CultureInfo.InvariantCulture)} " +
                    $"fractions={dose?.GetExtensionValue<PositiveInt>("fractions")?.Value} " +
                    $"preference={request.GetExtensionValue<Code>(PackageCanonicals.RegimenPreferenceExtension)?.Value} " +
                    $"window={request.Occurrence} notes={string.Join(" | ", request.Note.Select(n => n.Text))}");
            }

            Actions(action.Action, indent + "  ", lines, resolve);
        }
    }

    private static string Codes(CodeableConcept? concept) => concept is null ? "" : string.Join("+", concept.Coding.Select(c => c.Code));

    private static string Offset(DataType? offset) => offset is Hl7.Fhir.Model.Range range
        ? $"{range.Low?.Value}-{range.High?.Value} {range.High?.Code}"
        : "";
}
