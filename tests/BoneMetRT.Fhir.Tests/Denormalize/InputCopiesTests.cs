using BoneMetRT.Domain;
using BoneMetRT.Fhir.Pipeline;
using BoneMetRT.Fhir.Tests.Builders;
using BoneMetRT.Fhir.Tests.Examples;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Tests.Denormalize;

/// <summary>
/// The copies of the inputs in the answer share their elements with the request (all but Meta, which gets the tag):
/// the request must come out of <c>$assess</c> unchanged, and assessing the same parsed request twice must give the
/// same bytes; a resource with content only Firely's EnumerateElements sees (overflow) is still copied whole.
/// </summary>
public sealed class InputCopiesTests
{
    private static readonly AssessPipeline Pipeline = new(null, EngineSettings.Default, new FixedClock(ExampleCatalog.DefaultDate));

    [Theory]
    [MemberData(nameof(ExampleCatalog.ValidData), MemberType = typeof(ExampleCatalog))]
    public void The_request_is_unchanged_and_a_second_run_on_it_gives_the_same_answer(string file)
    {
        var request = FhirSerialization.Parse(File.ReadAllBytes(Path.Combine(ExampleCatalog.ValidFolder, file)), FhirFormat.Json).Value!;
        var data = request as Bundle ?? (Bundle)((Parameters)request).Parameter.Single(p => p.Name == "data").Resource!;

        // Every other input gets a Meta of its own, as resources read from an EHR have: the copy's tag must not land in it.
        foreach (var entry in data.Entry.Where((_, i) => i % 2 == 0))
        {
            entry.Resource!.Meta ??= new Meta { VersionId = "3", Tag = [new Coding("http://example.org/ehr-tags", "reviewed")] };
        }

        var before = FhirSerialization.ToText(request, FhirFormat.Json);

        var first = Pipeline.Assess(request, new AssessOptions(Validate: false));
        var firstText = FhirSerialization.ToText(first.Value!, FhirFormat.Json);
        Assert.Equal(before, FhirSerialization.ToText(request, FhirFormat.Json));

        var second = Pipeline.Assess(request, new AssessOptions(Validate: false, Language: Language.Fr));
        Assert.Equal(before, FhirSerialization.ToText(request, FhirFormat.Json));
        var again = Pipeline.Assess(request, new AssessOptions(Validate: false));
        Assert.Equal(firstText, FhirSerialization.ToText(again.Value!, FhirFormat.Json));
        Assert.Equal(OutcomeKind.Success, second.Kind);
        Assert.NotEmpty(Assert.IsType<Bundle>(first.Value).Inputs());
    }

    [Fact]
    public void An_input_with_overflow_content_is_copied_with_it()
    {
        var request = (Parameters)FhirSerialization.Parse(File.ReadAllBytes(Path.Combine(ExampleCatalog.ValidFolder, "pain-uncomplicated-rib.json")), FhirFormat.Json).Value!;
        var bundle = (Bundle)request.Parameter.Single(p => p.Name == "data").Resource!;
        var patient = bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single();
        patient["notAnElement"] = new FhirString("kept in the overflow");

        var answer = Assert.IsType<Bundle>(Pipeline.Assess(request, new AssessOptions(Validate: false)).Value);

        var copy = answer.Inputs().Select(e => e.Resource).OfType<Patient>().Single();
        Assert.NotSame(patient, copy);
        Assert.True(copy.TryGetValue("notAnElement", out var kept) && kept is FhirString { Value: "kept in the overflow" });
        Assert.Contains(copy.Meta!.Tag, t => t.System == CodeSystems.BoneMet && t.Code == "input");
        Assert.Null(patient.Meta?.Tag.FirstOrDefault(t => t.Code == "input"));
    }
}
