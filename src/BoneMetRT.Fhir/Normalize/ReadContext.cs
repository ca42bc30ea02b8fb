using BoneMetRT.Domain;
using Hl7.Fhir.Model;
using IssueSeverity = Hl7.Fhir.Model.OperationOutcome.IssueSeverity;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace BoneMetRT.Fhir.Normalize;

/// <summary>
/// What one normalization has said about the Bundle so far: the issues, which entries were used and why the others
/// were not. Every reader receives it explicitly and reports through it, so that "every resource is either used or
/// reported as ignored" is checked once, at the end (<see cref="Finish"/>), instead of by each reader.
/// </summary>
internal sealed class ReadContext(InputIndex index, TerminologySettings terminology)
{
    private readonly List<Issue> _issues = [];
    private readonly HashSet<int> _used = [];
    private readonly Dictionary<int, LocalizedText> _ignored = [];

    /// <summary>The input Bundle's index.</summary>
    public InputIndex Index { get; } = index;

    /// <summary>The code systems a Condition's code is read in.</summary>
    public TerminologySettings Terminology { get; } = terminology;

    /// <summary>Issues so far.</summary>
    public IReadOnlyList<Issue> Issues => _issues;

    /// <summary>True once an error (the request is unprocessable) was reported.</summary>
    public bool HasErrors => _issues.Any(i => i.IsError);

    /// <summary>The entry feeds a fact.</summary>
    public void Use(int i) => _used.Add(i);

    /// <summary>The entry was provisionally used and turned out not to be (e.g. a skin-healed value older than the operation).</summary>
    public void Unuse(int i) => _used.Remove(i);

    /// <summary>True when the entry feeds a fact.</summary>
    public bool IsUsed(int i) => _used.Contains(i);

    /// <summary>Positions of the entries the engine reads (the Provenance's sources).</summary>
    public IReadOnlySet<int> Used => _used;

    /// <summary>Records why an entry is not used; the first reason given is the one reported.</summary>
    public void Ignore(int i, LocalizedText why) => _ignored.TryAdd(i, why);

    /// <summary>An issue that is not about ignoring a resource.</summary>
    public void Add(Issue issue) => _issues.Add(issue);

    /// <summary>A structural error of the request (unprocessable).</summary>
    public void Error(LocalizedText text, params string[] expressions) => _issues.Add(Issue.Invalid(text, expressions));

    /// <summary>Resolves a reference inside the Bundle; a reference to nothing is a structural error at the element.</summary>
    public Resource? Follow(int i, ResourceReference reference, string element)
    {
        var target = Index.Resolve(reference);
        if (target is null)
        {
            Error(new($"The reference '{reference.Reference}' points to nothing in the Bundle.", $"La référence « {reference.Reference} » ne désigne rien dans le Bundle."),
                Index.Expression(i, element));
        }

        return target;
    }

    /// <summary>Reports every entry that is not used: with the reason given, or as carrying nothing the engine reads.</summary>
    public void Finish()
    {
        foreach (var (i, why) in _ignored.OrderBy(x => x.Key))
        {
            if (!_used.Contains(i))
            {
                _issues.Add(new(IssueSeverity.Information, IssueType.Informational,
                    new($"Ignored: {why.En}", $"Ignoré : {why.Fr}"), "ignored-resource", [Index.Expression(i)]));
            }
        }

        foreach (var (i, r) in Index.Resources)
        {
            if (!_used.Contains(i) && !_ignored.ContainsKey(i))
            {
                _issues.Add(new(IssueSeverity.Information, IssueType.Informational,
                    new($"Ignored: this {r.TypeName} carries no code the engine reads.", $"Ignoré : ce {r.TypeName} ne porte aucun code lu par le moteur."),
                    "ignored-resource", [Index.Expression(i)]));
            }
        }
    }
}
