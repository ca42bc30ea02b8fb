using BoneMetRT.Fhir.Tests.Examples;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Tests.Profiles;

/// <summary>
/// The profiles of the $assess operation against what the service really takes and answers: every valid example's
/// input conforms to the input profiles, every golden answer to the response-Bundle profile, the operation definitions'
/// parameters agree with their input profiles, and each profile refuses what the service refuses or never sends.
/// </summary>
[Collection(ConformancePackageCollection.Name)]
public sealed class AssessProfilesTests(ConformancePackage package)
{
    private const string Sd = ConformancePackage.Canonical + "/StructureDefinition/";
    private const string ResponseProfile = Sd + "bonemet-assess-response";
    private const string ParametersProfile = Sd + "bonemet-assess-parameters";
    private const string InstanceParametersProfile = Sd + "bonemet-assess-instance-parameters";
    private const string DataProfile = Sd + "bonemet-assess-data";
    private const string OutputProfile = Sd + "bonemet-assess-output";

    /// <summary>The golden answers of the valid examples.</summary>
    public static TheoryData<string> GoldenAnswers => [.. Directory.GetFiles(Path.Combine(ExampleCatalog.ValidFolder, "__snapshots__"), "*.snap")
        .Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    [Fact]
    public void Every_valid_example_has_a_golden_answer_to_check()
    {
        var golden = Directory.GetFiles(Path.Combine(ExampleCatalog.ValidFolder, "__snapshots__"), "*.snap").Select(f => Path.GetFileNameWithoutExtension(f));

        Assert.Equal(ExampleCatalog.Valid.Select(f => Path.GetFileNameWithoutExtension(f)), golden.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(GoldenAnswers))]
    public void Golden_answer_conforms_to_the_response_profile(string snap)
    {
        var bundle = Assert.IsType<Bundle>(package.Parse(ReadGolden(snap)));

        var errors = package.Errors(bundle, ResponseProfile);

        Assert.True(errors.Count == 0, $"{snap}:\n" + string.Join("\n", errors));
    }

    [Theory]
    [MemberData(nameof(GoldenAnswers))]
    public void Golden_answer_wrapped_as_the_return_parameter_conforms_to_the_output_profile(string snap)
    {
        var output = new Hl7.Fhir.Model.Parameters();
        output.Parameter.Add(new Hl7.Fhir.Model.Parameters.ParameterComponent { Name = "return", Resource = package.Parse(ReadGolden(snap)) });

        var errors = package.Errors(output, OutputProfile);

        Assert.True(errors.Count == 0, $"{snap}:\n" + string.Join("\n", errors));
    }

    [Theory]
    [MemberData(nameof(ExampleCatalog.ValidData), MemberType = typeof(ExampleCatalog))]
    public void Valid_example_input_conforms_to_the_input_profile(string file)
    {
        var input = package.Parse(File.ReadAllText(Path.Combine(ExampleCatalog.ValidFolder, file)));
        var profile = input switch
        {
            Hl7.Fhir.Model.Parameters => ParametersProfile,
            Bundle => DataProfile,
            _ => throw new Xunit.Sdk.XunitException($"{file} is a {input.TypeName}: $assess takes a Parameters or a Bundle."),
        };

        var errors = package.Errors(input, profile);

        Assert.True(errors.Count == 0, $"{file} against {profile}:\n" + string.Join("\n", errors));
    }

    [Theory]
    [InlineData("parameters-without-data.json", ParametersProfile, "data")]
    [InlineData("bundle-without-patient.json", ParametersProfile, "bonemet-data-2")]
    public void Invalid_example_input_fails_the_input_profile(string file, string profile, string because)
    {
        var input = package.Parse(File.ReadAllText(Path.Combine(ExampleCatalog.InvalidFolder, file)));

        var errors = package.Errors(input, profile);

        Assert.Contains(errors, e => e.Contains(because, StringComparison.Ordinal));
    }

    [Fact]
    public void Instance_level_parameters_take_the_date_and_language_and_refuse_data()
    {
        var ok = new Hl7.Fhir.Model.Parameters();
        ok.Add("assessmentDate", new FhirDateTime("2026-03-16"));
        ok.Add("language", new Code("fr"));
        Assert.Empty(package.Errors(ok, InstanceParametersProfile));

        var withData = (Hl7.Fhir.Model.Parameters)ok.DeepCopy();
        withData.Parameter.Add(new Hl7.Fhir.Model.Parameters.ParameterComponent { Name = "data", Resource = new Bundle { Type = Bundle.BundleType.Collection } });
        Assert.Contains(package.Errors(withData, InstanceParametersProfile), e => e.Contains("data", StringComparison.Ordinal));

        var withSubject = (Hl7.Fhir.Model.Parameters)ok.DeepCopy();
        withSubject.Add("subject", new FhirString("Patient/p1"));
        Assert.Contains(package.Errors(withSubject, InstanceParametersProfile), e => e.Contains("subject", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("fr", true)]
    [InlineData("de", false)]
    public void Language_parameter_is_bound_to_the_assess_languages(string code, bool valid)
    {
        var parameters = (Hl7.Fhir.Model.Parameters)package.Parse(File.ReadAllText(Path.Combine(ExampleCatalog.ValidFolder, "french-language.json")));
        parameters.Parameter.Single(p => p.Name == "language").Value = new Code(code);

        Assert.Equal(valid, package.Errors(parameters, ParametersProfile).Count == 0);
    }

    [Theory]
    [InlineData("no Provenance", "Provenance", "provenance")]
    [InlineData("no CarePlan", "CarePlan", "carePlan")]
    [InlineData("no Device", "Device", "device")]
    public void Response_without_a_required_output_fails(string why, string removed, string slice)
    {
        var bundle = GoldenBundle("fracture-femur-mirels-8.snap");
        bundle.Entry.RemoveAll(e => e.Resource?.TypeName == removed);

        var errors = package.Errors(bundle, ResponseProfile);

        Assert.True(errors.Any(e => e.Contains(slice, StringComparison.Ordinal)), $"{why}: " + string.Join("\n", errors));
    }

    [Fact]
    public void Response_with_an_untagged_input_copy_fails()
    {
        var bundle = GoldenBundle("fracture-femur-mirels-8.snap");
        var patient = bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single();
        Assert.NotNull(patient.Meta);
        patient.Meta.Tag.Clear();

        Assert.Contains(package.Errors(bundle, ResponseProfile), e => e.Contains("bonemet-resp-1", StringComparison.Ordinal));
    }

    [Fact]
    public void Response_with_an_unprofiled_output_observation_fails()
    {
        var bundle = GoldenBundle("fracture-femur-mirels-8.snap");
        var score = bundle.Entry.Select(e => e.Resource).OfType<Observation>().First(o => o.Meta?.Profile.Any() == true);
        score.Meta!.Profile = [];

        Assert.Contains(package.Errors(bundle, ResponseProfile), e => e.Contains("bonemet-resp-2", StringComparison.Ordinal));
    }

    [Fact]
    public void Response_that_is_not_a_collection_fails()
    {
        var bundle = GoldenBundle("fracture-femur-mirels-8.snap");
        bundle.Type = Bundle.BundleType.Searchset;

        Assert.NotEmpty(package.Errors(bundle, ResponseProfile));
    }

    [Theory]
    [InlineData("OperationDefinition-assess.json", true, true, false, "bonemet-assess-parameters")]
    [InlineData("OperationDefinition-assess-instance.json", false, false, true, "bonemet-assess-instance-parameters")]
    public void Operation_definition_levels_and_profiles(string file, bool system, bool type, bool instance, string inputProfile)
    {
        var definition = Assert.IsType<OperationDefinition>(package.Load(file));

        Assert.Equal("assess", definition.Code);
        Assert.Equal((system, type, instance), (definition.System, definition.Type, definition.Instance));
        Assert.Equal(["Patient"], definition.Resource.Select(r => r.ToString()));
        Assert.Equal(Sd + inputProfile, definition.InputProfile);
        Assert.Equal(OutputProfile, definition.OutputProfile);
    }

    [Theory]
    [InlineData("OperationDefinition-assess.json")]
    [InlineData("OperationDefinition-assess-instance.json")]
    public void Operation_definition_in_parameters_match_the_slices_of_its_input_profile(string file)
    {
        var definition = Assert.IsType<OperationDefinition>(package.Load(file));
        var profile = Assert.IsType<StructureDefinition>(package.LoadAll().OfType<StructureDefinition>().Single(sd => sd.Url == definition.InputProfile));

        var slices = profile.Snapshot!.Element
            .Where(e => e.Path == "Parameters.parameter" && e.SliceName is not null && e.Max != "0")
            .Select(e => $"{e.SliceName} {e.Min}..{e.Max}")
            .Order(StringComparer.Ordinal);
        var parameters = definition.Parameter
            .Where(p => p.Use == OperationParameterUse.In)
            .Select(p => $"{p.Name} {p.Min}..{p.Max}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(parameters, slices);
    }

    [Fact]
    public void Instance_level_takes_neither_data_nor_subject_and_system_level_requires_data()
    {
        var assess = Assert.IsType<OperationDefinition>(package.Load("OperationDefinition-assess.json"));
        var instance = Assert.IsType<OperationDefinition>(package.Load("OperationDefinition-assess-instance.json"));

        Assert.Contains(assess.Parameter, p => p.Name == "data" && p.Min == 1 && p.Max == "1");
        Assert.DoesNotContain(instance.Parameter, p => p.Name is "data" or "subject");
        Assert.Equal(assess.Parameter.Single(p => p.Name == "return").Min, instance.Parameter.Single(p => p.Name == "return").Min);
    }

    private static string ReadGolden(string snap) => File.ReadAllText(Path.Combine(ExampleCatalog.ValidFolder, "__snapshots__", snap));

    private Bundle GoldenBundle(string snap) => Assert.IsType<Bundle>(package.Parse(ReadGolden(snap)));
}
