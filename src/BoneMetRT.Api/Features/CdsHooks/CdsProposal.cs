using System.Globalization;
using BoneMetRT.Domain.Regimens;
using BoneMetRT.Fhir;
using BoneMetRT.Fhir.Normalize;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Features.CdsHooks;

/// <summary>One activity of the engine's CarePlan, with its recommendation code and its request (for a regimen).</summary>
/// <param name="Activity">The CarePlan activity.</param>
/// <param name="Code">Recommendation code (<c>radiotherapy</c>, <c>tumour-board-review</c>, or a code this service does not know yet).</param>
/// <param name="Request">The ServiceRequest of a regimen, or null.</param>
/// <param name="Subject">Normalized reference of the lesion or compression concerned, or "" when patient-wide.</param>
public sealed record ProposedActivity(CarePlan.ActivityComponent Activity, string Code, ServiceRequest? Request, string Subject)
{
    /// <summary>The RequestGroup the activity points at (the choice of regimen and its order), when it does.</summary>
    public RequestGroup? Group { get; init; }

    /// <summary>Regimen code of the request (<c>rt-8gy-1fx</c> …), or null.</summary>
    public string? Regimen => Request is null ? null : RadiotherapyOrderDetails.RegimenCode(Request);

    /// <summary>The regimen in words (its orderDetail item's text), or null.</summary>
    public string? RegimenText => Request is null ? null : RadiotherapyOrderDetails.RegimenItem(Request)?.Text ?? Request.Code?.Text;

    /// <summary>True for the preferred regimen.</summary>
    public bool Preferred => (Request?.GetExtensionValue<Code>(PackageCanonicals.RegimenPreferenceExtension))?.Value == "preferred";
}

/// <summary>
/// The <c>$assess</c> answer read back for the cards and the order checks: the CarePlan's activities by lesion, the scores,
/// the risk assessments and the OperationOutcome issues mapped to the lesion they concern. Codes it does not know are kept
/// (as activities to show), so a newer engine with new recommendation codes still gives cards.
/// </summary>
public sealed class CdsProposal
{
    private CdsProposal(Bundle result, Bundle input)
    {
        Result = result;
        Input = input;
        var resources = result.Entry.Where(e => e.Resource is not null).ToList();
        CarePlan = resources.Select(e => e.Resource).OfType<CarePlan>().FirstOrDefault();
        var requests = resources.Where(e => e.Resource is ServiceRequest).ToDictionary(e => e.FullUrl ?? "", e => (ServiceRequest)e.Resource!, StringComparer.Ordinal);
        RiskUrls = resources.Where(e => e.Resource is RiskAssessment).ToDictionary(e => e.FullUrl ?? "", e => (RiskAssessment)e.Resource!, StringComparer.Ordinal);
        var groups = resources.Where(e => e.Resource is RequestGroup).ToDictionary(e => e.FullUrl ?? "", e => (RequestGroup)e.Resource!, StringComparer.Ordinal);
        foreach (var activity in CarePlan?.Activity ?? [])
        {
            var code = (activity.GetExtensionValue<CodeableConcept>(PackageCanonicals.ActivityRecommendationExtension))?.Coding.FirstOrDefault()?.Code ?? "unknown";
            if (activity.Reference?.Reference is { } groupUrl && groups.TryGetValue(groupUrl, out var group))
            {
                // A course: one choice among regimens (the group's actions); the step before it is its own CarePlan activity.
                var options = Leaves(group.Action).Select(a => a.Resource?.Reference).OfType<string>()
                    .Select(u => requests.TryGetValue(u, out var r) ? r : null).OfType<ServiceRequest>()
                    .Where(r => RadiotherapyOrderDetails.RegimenCode(r) is not null).ToList();
                foreach (var option in options)
                {
                    Activities.Add(new ProposedActivity(activity, code, option, Norm(option.ReasonReference.FirstOrDefault()?.Reference)) { Group = group });
                }

                if (options.Count == 0)
                {
                    Activities.Add(new ProposedActivity(activity, code, null, Norm(group.Subject?.Reference)) { Group = group });
                }

                continue;
            }

            var request = activity.Reference?.Reference is { } url && requests.TryGetValue(url, out var sr) ? sr : null;
            var subject = request?.ReasonReference.FirstOrDefault()?.Reference ?? activity.Detail?.ReasonReference.FirstOrDefault()?.Reference;
            Activities.Add(new ProposedActivity(activity, code, request, Norm(subject)));
        }

        Scores = resources.Select(e => e.Resource).OfType<Observation>().Where(o => o.Code?.Coding.Any(c => c.System == CodeSystems.BoneMet) == true && o.Value is Integer).ToList();
        var outcome = resources.Select(e => e.Resource).OfType<OperationOutcome>().FirstOrDefault();
        foreach (var issue in outcome?.Issue ?? [])
        {
            Issues.Add((issue, issue.Expression.Select(x => SubjectOfExpression(x ?? "")).FirstOrDefault(s => s.Length > 0) ?? ""));
        }
    }

    /// <summary>The actions of a RequestGroup that point at a resource, at any depth.</summary>
    public static IEnumerable<RequestGroup.ActionComponent> Leaves(IEnumerable<RequestGroup.ActionComponent> actions) =>
        actions.SelectMany(a => a.Action.Count > 0 ? Leaves(a.Action) : [a]);

    /// <summary>The output resource of the answer at a fullUrl, or null.</summary>
    public Resource? Output(string? fullUrl) =>
        fullUrl is null ? null : Result.Entry.FirstOrDefault(e => e.FullUrl == fullUrl)?.Resource;

    /// <summary>The <c>$assess</c> Bundle.</summary>
    public Bundle Result { get; }

    /// <summary>The input Bundle.</summary>
    public Bundle Input { get; }

    /// <summary>The CarePlan, if any.</summary>
    public CarePlan? CarePlan { get; }

    /// <summary>Activities in CarePlan order.</summary>
    public List<ProposedActivity> Activities { get; } = [];

    /// <summary>Score Observations (Mirels, Rades).</summary>
    public List<Observation> Scores { get; }

    /// <summary>RiskAssessments by fullUrl.</summary>
    public Dictionary<string, RiskAssessment> RiskUrls { get; }

    /// <summary>OperationOutcome issues with the normalized subject they concern ("" when none).</summary>
    public List<(OperationOutcome.IssueComponent Issue, string Subject)> Issues { get; } = [];

    /// <summary>Reads the answer of <c>$assess</c> on <paramref name="input"/>.</summary>
    public static CdsProposal Read(Bundle result, Bundle input) => new(result, input);

    /// <summary>A reference as <c>Type/id</c> when it ends so (absolute, relative or a key), else as given; "" for none.</summary>
    public static string Norm(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return "";
        }

        var parts = reference.Split('/');
        return parts.Length >= 2 && parts[^2].Length > 0 && char.IsUpper(parts[^2][0]) ? $"{parts[^2]}/{parts[^1]}" : reference;
    }

    /// <summary>The input resource a normalized reference names.</summary>
    public Resource? InputResource(string subject) =>
        subject.Length == 0 ? null : Input.Entry.FirstOrDefault(e => e.Resource is { } r && (Norm($"{r.TypeName}/{r.Id}") == subject || e.FullUrl == subject))?.Resource;

    /// <summary>Site of a lesion as text (bodySite, else the code's text), or null.</summary>
    public string? Label(string subject) => InputResource(subject) is Condition c
        ? c.BodySite.Select(b => b.Text ?? b.Coding.FirstOrDefault()?.Display).FirstOrDefault(t => !string.IsNullOrEmpty(t)) ?? c.Code?.Text
        : null;

    /// <summary>Score Observations of a subject (focus), with the Rades score of a compression whose request rests on it.</summary>
    public IEnumerable<Observation> ScoresOf(string subject, IEnumerable<ProposedActivity> activities)
    {
        var risks = RisksOf(subject, activities).ToList();
        return Scores.Where(o => o.Focus.Any(f => Norm(f.Reference) == subject)
            || risks.Any(r => r.Basis.Any(b => Result.Entry.FirstOrDefault(e => e.FullUrl == b.Reference)?.Resource == o)));
    }

    /// <summary>RiskAssessments of a subject (its condition, or supporting the subject's requests).</summary>
    public IEnumerable<RiskAssessment> RisksOf(string subject, IEnumerable<ProposedActivity> activities)
    {
        var supporting = activities.SelectMany(a => a.Request?.SupportingInfo ?? []).Select(r => r.Reference).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return RiskUrls.Where(kv => supporting.Contains(kv.Key) || (subject.Length > 0 && Norm(kv.Value.Condition?.Reference) == subject)).Select(kv => kv.Value).Distinct();
    }

    /// <summary>True when an issue is the bonemet code given.</summary>
    public static bool Is(OperationOutcome.IssueComponent issue, string code) =>
        issue.Details?.Coding.Any(c => c.System == CodeSystems.BoneMet && c.Code == code) == true;

    /// <summary>Value of a score Observation.</summary>
    public static int ValueOf(Observation o) => (o.Value as Integer)?.Value ?? 0;

    /// <summary>The score code (<c>mirels-score</c>, <c>rades-score</c>).</summary>
    public static string CodeOf(Observation o) => o.Code?.Coding.FirstOrDefault(c => c.System == CodeSystems.BoneMet)?.Code ?? "";

    // Issue expressions are FHIRPath into the input Bundle ("Bundle.entry[3].resource..."): the lesion is the entry
    // itself, or what an item Observation focuses on.
    private string SubjectOfExpression(string expression)
    {
        const string prefix = "Bundle.entry[";
        if (!expression.StartsWith(prefix, StringComparison.Ordinal))
        {
            return "";
        }

        var end = expression.IndexOf(']', StringComparison.Ordinal);
        if (end < 0 || !int.TryParse(expression.AsSpan(prefix.Length, end - prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var i) || i >= Input.Entry.Count)
        {
            return "";
        }

        return Input.Entry[i].Resource switch
        {
            Observation { Focus.Count: > 0 } o => Norm(o.Focus[0].Reference),
            Condition c => Norm($"Condition/{c.Id}"),
            Procedure { ReasonReference.Count: > 0 } p => Norm(p.ReasonReference[0].Reference),
            _ => "",
        };
    }
}
