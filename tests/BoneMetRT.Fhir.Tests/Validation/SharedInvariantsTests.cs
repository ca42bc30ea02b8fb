using BoneMetRT.Fhir.Validation;
using Firely.Fhir.Validation;

#pragma warning disable ExperimentalApi // Firely's schema model is marked experimental.

namespace BoneMetRT.Fhir.Tests.Validation;

/// <summary>
/// The FHIRPath invariants of the compiled schemas are one instance per invariant (Firely compiles an invariant's
/// expression once per instance, at its first evaluation): every element declaring the same invariant shares it.
/// That what validation reports is unchanged is the business of the validation equivalence tests.
/// </summary>
public sealed class SharedInvariantsTests
{
    private static readonly Lazy<FhirValidation> Validation = new(() => new FhirValidation(FhirValidation.LoadPackage(), new CoreDefinitions()));

    [Fact]
    public void Each_invariant_of_the_schemas_a_request_uses_is_one_instance()
    {
        var instances = SchemaWalk.OfRequestSchemas<FhirPathValidator>(Validation.Value);

        // dom-2…dom-6 on every resource, ext-1 on every extension, the resources' own (obs-6, con-3, bdl-1…).
        Assert.True(instances.Count >= 30, $"only {instances.Count} invariants found in the schemas");
        var duplicated = instances.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => $"{g.Key.Key} ×{g.Count()}").ToList();
        Assert.True(duplicated.Count == 0, "invariants held by several instances: " + string.Join(", ", duplicated));
    }
}
