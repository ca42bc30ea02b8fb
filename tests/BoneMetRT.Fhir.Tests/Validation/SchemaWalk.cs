using BoneMetRT.Domain;
using BoneMetRT.Fhir.Validation;
using Firely.Fhir.Validation;

#pragma warning disable ExperimentalApi // Firely's schema model is marked experimental.

namespace BoneMetRT.Fhir.Tests.Validation;

/// <summary>The walk through Firely's compiled schemas that the validation tests read them with.</summary>
internal static class SchemaWalk
{
    /// <summary>
    /// How <see cref="Walk"/> goes through a schema: which schema references it follows (each URI once, or each
    /// reference) and which children it enters. It never goes into other resources' validation
    /// (<see cref="ReferencedInstanceValidator"/>: other resources are roots of their own).
    /// </summary>
    public sealed record Policy(Func<string, bool> Follow, Func<string, bool> Enter, bool EachUriOnce);

    /// <summary>Everything from a root: every schema it refers to (once) and every child.</summary>
    public static readonly Policy Everything = new(_ => true, _ => true, EachUriOnce: true);

    /// <summary>The element itself: no child, no schema it refers to.</summary>
    public static readonly Policy Nothing = new(_ => false, _ => false, EachUriOnce: true);

    /// <summary>
    /// Every assertion of type <typeparamref name="T"/> (each instance once) reachable from the schemas a request is
    /// validated against (the base resources and the input profiles), following references to other schemas (data
    /// types, primitive types).
    /// </summary>
    public static List<T> OfRequestSchemas<T>(FhirValidation validation)
        where T : class, IAssertion
    {
        var schemas = validation.Schemas;
        var roots = new[] { "Bundle", "Patient", "Condition", "Observation", "Procedure" }.Select(t => "http://hl7.org/fhir/StructureDefinition/" + t)
            .Concat(validation.Package.OfType<Hl7.Fhir.Model.StructureDefinition>()
                .Where(sd => sd.Type == "Observation" && sd.Kind == Hl7.Fhir.Model.StructureDefinition.StructureDefinitionKind.Resource).Select(sd => sd.Url!));
        return roots.SelectMany(root => Walk(schemas, schemas.GetSchema(new Canonical(root))!, Everything))
            .OfType<T>().Distinct(ReferenceEqualityComparer.Instance).Cast<T>().ToList();
    }

    /// <summary>
    /// Every assertion reachable from <paramref name="start"/> under <paramref name="policy"/>: through containers
    /// (element schemas, all/any, slices with their discriminating conditions, which Firely's own
    /// <c>WithChildren</c> leaves out), the C# shortcuts of invariants to the FHIRPath invariant they stand for, the
    /// children the policy enters and the schema references it follows.
    /// </summary>
    public static List<IAssertion> Walk(IElementSchemaResolver schemas, IAssertion start, Policy policy)
    {
        var found = new List<IAssertion>();
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var visitedUris = new HashSet<string>();
        void Visit(IAssertion a)
        {
            if (!visited.Add(a))
            {
                return;
            }

            found.Add(a);
            switch (a)
            {
                case IAssertion wrapper when wrapper.GetType().Name == "FastInvariantValidator":
                    Visit((IAssertion)wrapper.GetType().GetProperty("Inner")!.GetValue(wrapper)!);
                    return;
                case ReferencedInstanceValidator:
                    return;
                case SchemaReferenceValidator reference:
                    var uri = reference.SchemaUri.ToString();
                    if (policy.Follow(uri) && (!policy.EachUriOnce || visitedUris.Add(uri)) && schemas.GetSchema(reference.SchemaUri) is { } target)
                    {
                        Visit(target);
                    }

                    return;
                case ChildrenValidator children:
                    foreach (var (name, child) in children.ChildList)
                    {
                        if (policy.Enter(name))
                        {
                            Visit(child);
                        }
                    }

                    return;
                case SliceValidator slices:
                    foreach (var slice in slices.Slices)
                    {
                        Visit(slice.Condition);
                        Visit(slice.Assertion);
                    }

                    Visit(slices.Default);
                    return;
                case IAssertionContainer container:
                    container.WithChildren((_, c) =>
                    {
                        Visit(c);
                        return c;
                    });
                    return;
            }
        }

        Visit(start);
        return found;
    }
}

/// <summary>Issues as the caller would read them: the OperationOutcome in English, then in French, as compact JSON.</summary>
internal static class OutcomeText
{
    /// <summary>The two OperationOutcomes of <paramref name="issues"/>, one string, for comparing runs.</summary>
    public static string Of(IReadOnlyList<Issue> issues) =>
        FhirSerialization.ToText(OperationOutcomes.From(issues, Language.En), FhirFormat.Json, pretty: false)
        + FhirSerialization.ToText(OperationOutcomes.From(issues, Language.Fr), FhirFormat.Json, pretty: false);
}
