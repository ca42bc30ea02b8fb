using BoneMetRT.Domain;
using BoneMetRT.Fhir.Cpg;
using BoneMetRT.Fhir.Pipeline;
using BoneMetRT.Fhir.Tests.Examples;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Tests.Cpg;

/// <summary>
/// <see cref="ApplyOperation"/> and <c>useServerData</c>, without a transport: which requests ask the transport for a
/// record, and what the operation does with the record it is given (or not given).
/// </summary>
public sealed class ApplyServerDataOperationTests
{
    private static readonly AssessPipeline Pipeline = new(null, EngineSettings.Default, new FixedClock(ExampleCatalog.DefaultDate));
    private static readonly ApplyOperation Operation = new(Pipeline, GuidelinePlan.Default);
    private const string Instance = PackageCanonicals.PlanDefinitionId;

    private static Parameters.ParameterComponent P(string name, DataType value) => new() { Name = name, Value = value };

    private static Bundle Record() =>
        (Bundle)((Parameters)FhirSerialization.Parse(File.ReadAllBytes(Path.Combine(ExampleCatalog.ValidFolder, "fracture-femur-mirels-8.json")), FhirFormat.Json).Value!)
            .Parameter.Single(p => p.Name == "data").Resource!;

    public static TheoryData<string, string?> Requests => new()
    {
        // description: subject, useServerData (absent, true, false, "x" for not a boolean), data ("data")
        { "subject", "p1" },
        { "subject+true", "p1" },
        { "subject+false", null },
        { "subject+x", null },
        { "subject+data", null },
        { "subject+true+data", null },
        { "true", null },
        { "badsubject+true", null },
        { "referencesubject", "p1" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Only_a_request_for_server_data_with_a_patient_subject_and_no_data_names_a_patient_to_read(string request, string? expected)
    {
        var parameters = new Parameters();
        foreach (var part in request.Split('+'))
        {
            parameters.Parameter.Add(part switch
            {
                "subject" => P("subject", new FhirString("Patient/p1")),
                "referencesubject" => P("subject", new ResourceReference("Patient/p1")),
                "badsubject" => P("subject", new FhirString("Observation/p1")),
                "true" => P("useServerData", new FhirBoolean(true)),
                "false" => P("useServerData", new FhirBoolean(false)),
                "x" => P("useServerData", new FhirString("yes")),
                "data" => new Parameters.ParameterComponent { Name = "data", Resource = Record() },
                _ => throw new ArgumentException(part),
            });
        }

        Assert.Equal(expected, ApplyOperation.ServerDataPatient(parameters));
    }

    [Fact]
    public void Without_a_record_read_the_operation_says_the_transport_reads_no_server()
    {
        var result = Operation.Apply(Instance, new Parameters { Parameter = [P("subject", new FhirString("Patient/p1"))] }, new AssessOptions(Validate: false));

        Assert.Equal(OutcomeKind.Unprocessable, result.Kind);
        var issue = Assert.Single(Assert.IsType<OperationOutcome>(result.Value).Issue);
        Assert.Equal(OperationOutcome.IssueType.NotSupported, issue.Code);
        Assert.Contains("reads no FHIR server", issue.Details?.Text ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void The_record_read_is_applied_as_if_it_had_been_sent_in_data()
    {
        var options = new AssessOptions(Validate: false);
        var fromServer = Operation.Apply(Instance, new Parameters { Parameter = [P("subject", new FhirString("Patient/pat-femur")), P("useServerData", new FhirBoolean(true))] }, options, Record());
        var sent = Operation.Apply(Instance, new Parameters { Parameter = [new Parameters.ParameterComponent { Name = "data", Resource = Record() }] }, options);

        var served = Assert.IsType<CarePlan>(fromServer.Value);
        var given = Assert.IsType<CarePlan>(sent.Value);
        Assert.Equal(OutcomeKind.Success, fromServer.Kind);
        Assert.Equal(given.Category.SelectMany(c => c.Coding).Select(c => c.Code), served.Category.SelectMany(c => c.Coding).Select(c => c.Code));
        Assert.NotEmpty(served.Activity);
        Assert.Equal(given.Activity.Count, served.Activity.Count);
        Assert.Equal(given.Contained.Select(r => r.TypeName), served.Contained.Select(r => r.TypeName));
    }
}
