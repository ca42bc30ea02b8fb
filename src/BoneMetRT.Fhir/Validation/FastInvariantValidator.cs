#pragma warning disable ExperimentalApi // Firely's schema model (IValidatable, InvariantValidator) is marked experimental.
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Newtonsoft.Json.Linq;

namespace BoneMetRT.Fhir.Validation;

/// <summary>
/// One of Firely's FHIRPath invariants with a C# shortcut in front of it (<see cref="FastInvariants"/>). Evaluating
/// a FHIRPath expression over Firely's element model costs tens of microseconds and kilobytes per element, and the core
/// invariants run on every resource, reference and Bundle entry, almost always on content where they trivially hold
/// (no contained resources, no <c>request</c> in a collection Bundle…). The shortcut answers only "certainly holds",
/// and then this validator returns <see cref="ResultReport.SUCCESS"/>, which is what Firely's invariant returns when
/// it holds; in every other case (the shortcut is unsure, the invariant is violated, the shortcuts are switched off)
/// Firely's own validator runs and produces its own issue, so an answer never depends on the shortcut.
/// </summary>
internal sealed class FastInvariantValidator(InvariantValidator inner, FastInvariants owner, FastInvariants.Shortcut shortcut) : IValidatable
{
    /// <summary>The wrapped Firely validator.</summary>
    public InvariantValidator Inner { get; } = inner;

    public ResultReport Validate(PocoNode input, ValidationSettings vc, ValidationState state)
    {
        // Firely hides the wrapped validator from its include/exclude filters (this wrapper is what it sees), so they
        // are applied here as Firely's own (internal) filter applies them: an excluded invariant is not run (dom-6 is, by default).
        if (!Included(vc))
        {
            return ResultReport.SUCCESS;
        }

        if (owner.Enabled && shortcut.Holds(input))
        {
            owner.Count(shortcut.Key);
            return ResultReport.SUCCESS;
        }

        return ((IValidatable)Inner).Validate(input, vc, state);
    }

    public JToken ToJson() => Inner.ToJson();

    // Firely's ValidationSettings.Filter (internal): included unless an exclude filter matches, and, when there are
    // include filters, only if one of them matches. Loops rather than LINQ: this runs for every element validated.
    private bool Included(ValidationSettings vc)
    {
        foreach (var exclude in vc.ExcludeFilters)
        {
            if (exclude(Inner))
            {
                return false;
            }
        }

        if (vc.IncludeFilters.Count == 0)
        {
            return true;
        }

        foreach (var include in vc.IncludeFilters)
        {
            if (include(Inner))
            {
                return true;
            }
        }

        return false;
    }
}
