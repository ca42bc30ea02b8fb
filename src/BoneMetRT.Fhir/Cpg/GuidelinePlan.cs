using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Cpg;

/// <summary>
/// The guideline as a CPG-on-FHIR PlanDefinition (fhir-profiles/PlanDefinition-bone-metastasis-radiotherapy.json): one
/// top-level action per clinical situation, each with an applicability condition written in FHIRPath over the
/// <c>$assess</c> answer. The engine decides the situations; these conditions are what <c>$apply</c> evaluates to
/// say which actions of the protocol apply, so a condition that disagreed with the engine would show in the
/// agreement test of <c>$apply</c> and <c>$assess</c>.
/// </summary>
public sealed class GuidelinePlan
{
    private static readonly Lazy<GuidelinePlan> Shared = new(() => new GuidelinePlan(
        FhirValidation.LoadPackage().OfType<PlanDefinition>().Single(p => p.Url == PackageCanonicals.PlanDefinition)));

    private GuidelinePlan(PlanDefinition definition) => Definition = definition;

    /// <summary>The package's PlanDefinition.</summary>
    public static GuidelinePlan Default => Shared.Value;

    /// <summary>The PlanDefinition as shipped (do not modify).</summary>
    public PlanDefinition Definition { get; }

    /// <summary>Business version of the PlanDefinition (the package version).</summary>
    public string Version => Definition.Version ?? "";

    /// <summary>
    /// The top-level actions whose applicability conditions all hold on <paramref name="assessment"/> (the
    /// <c>$assess</c> Bundle), in the PlanDefinition's order.
    /// </summary>
    public IReadOnlyList<PlanDefinition.ActionComponent> ApplicableActions(Bundle assessment) =>
        [.. Definition.Action.Where(a => a.Condition
            .Where(c => c.Kind == ActionConditionKind.Applicability)
            .All(c => Holds(c.Expression, assessment)))];

    private static bool Holds(Expression? expression, Bundle assessment) => expression?.Language switch
    {
        "text/fhirpath" when expression.Expression_ is { } fhirPath => assessment.IsTrue(fhirPath),
        // The package only ships FHIRPath conditions (a test checks it); anything else would be a packaging error.
        _ => throw new InvalidOperationException($"Condition language {expression?.Language} is not evaluated by this service."),
    };
}
