using BoneMetRT.Domain;
using BoneMetRT.Fhir.Tests.Examples;
using static BoneMetRT.Fhir.Tests.Builders.Assessed;

namespace BoneMetRT.Fhir.Tests.Denormalize;

/// <summary>Every response built from the in-code scenarios validates against FHIR R4 and the BoneMetRT profiles.</summary>
public sealed class ResponseValidationTests
{
    [Theory]
    [MemberData(nameof(CarePlanTests.AllScenarios), MemberType = typeof(CarePlanTests))]
    public void Response_validates_against_the_profiles(string scenario)
    {
        ExampleSnapshotTests.AssertValidOutput(Run(CarePlanTests.Make(scenario).B), scenario);
    }

    [Fact]
    public void French_response_validates_against_the_profiles()
    {
        ExampleSnapshotTests.AssertValidOutput(Run(CarePlanTests.Make("both").B, Language.Fr), "both (fr)");
    }
}
