using System.Net;
using System.Net.Http.Headers;
using BoneMetRT.Api.Features.Smart;
using BoneMetRT.Api.Tests.Smart;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Fhir;
using BoneMetRT.TestEhr;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BoneMetRT.Api.Tests.Cpg;

/// <summary>
/// <c>$apply</c> with <c>useServerData</c> (explicit, or the default without <c>data</c>) against the sandbox test EHR:
/// the record is read as <c>Patient/{id}/$assess</c> reads it, with the same token checks and errors, and the CarePlan
/// proposes what the instance-level <c>$assess</c> proposes for the same patient.
/// </summary>
public sealed class ApplyServerDataTests : IClassFixture<SmartHostsFixture>, IDisposable
{
    private const string Instance = "/fhir/PlanDefinition/bone-metastasis-radiotherapy/$apply";
    private const string UserScopes = "openid fhirUser user/Patient.rs user/Condition.rs user/Observation.rs user/Procedure.rs";
    private const string AppScopes = "launch/patient openid fhirUser patient/Patient.rs patient/Condition.rs patient/Observation.rs patient/Procedure.rs";
    private readonly SmartHosts _hosts;
    private readonly List<IDisposable> _owned = [];

    /// <summary>Uses the shared test EHR and its authorization server.</summary>
    public ApplyServerDataTests(SmartHostsFixture fixture) => _hosts = fixture.Hosts;

    /// <inheritdoc />
    public void Dispose() => _owned.ForEach(d => d.Dispose());

    private EhrPatient Patient(string scenario) => _hosts.Ehr.Services.GetRequiredService<PatientStore>().Patients.Single(p => p.Scenario == scenario);

    private static Parameters.ParameterComponent P(string name, DataType value) => new() { Name = name, Value = value };

    private static HttpRequestMessage Post(string url, Resource body, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Wire.Body(FhirSerialization.Serialize(body, FhirFormat.Json)) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private static Parameters ApplyFor(string patientId, string? date, bool? useServerData) => new()
    {
        Parameter =
        [
            P("subject", new FhirString($"Patient/{patientId}")),
            .. date is null ? [] : new[] { P("assessmentDate", new FhirDateTime(date)) },
            .. useServerData is { } flag ? new[] { P("useServerData", new FhirBoolean(flag)) } : [],
        ],
    };

    [Theory]
    [InlineData("fracture-femur-mirels-8", true)]
    [InlineData("mscc-breast-rades-group-3", null)]
    [InlineData("combined-mscc-postoperative-vertebra", true)]
    [InlineData("multi-mirels-9-fixation-then-rt", null)]
    [InlineData("multi-two-mscc-levels", true)]
    public async Task Apply_on_the_server_s_record_proposes_what_the_instance_level_assess_proposes(string scenario, bool? useServerData)
    {
        var patient = Patient(scenario);
        var token = await SmartHosts.TokenAsync(_hosts.Ehr, UserScopes, null);
        var service = _hosts.Service();
        var date = new Parameters { Parameter = patient.ExampleDate is { } d ? [P("assessmentDate", new FhirDateTime(d))] : [] };

        using var assessed = await service.SendAsync(Post($"/fhir/Patient/{patient.Id}/$assess", date, token));
        var bundle = Assert.IsType<Bundle>(await Wire.ReadAsync(assessed, HttpStatusCode.OK, FhirFormat.Json));
        using var applied = await service.SendAsync(Post(Instance, ApplyFor(patient.Id, patient.ExampleDate, useServerData), token));
        var plan = Assert.IsType<CarePlan>(await Wire.ReadAsync(applied, HttpStatusCode.OK, FhirFormat.Json));

        var assessPlan = bundle.Entry.Select(e => e.Resource).OfType<CarePlan>().Single();
        var expected = ApplyProposals.Of(assessPlan, url => bundle.Entry.SingleOrDefault(e => e.FullUrl == url)?.Resource);
        var actual = ApplyProposals.Of(plan, url => plan.Contained.SingleOrDefault(r => "#" + r.Id == url));
        Assert.True(expected.Count > 2, $"{scenario}: $assess proposed nothing to compare");
        Assert.Equal(expected, actual);
        // The CarePlan is about the patient read, by its URL on the server (an absolute reference that resolves there).
        Assert.Equal($"{SmartHosts.FhirBase}/Patient/{patient.Id}", plan.Subject.Reference);
        // The same messages (their expressions differ: the record is no part of either body).
        var texts = (OperationOutcome? o) => o?.Issue.Select(i => $"{i.Severity} {i.Code} {i.Details?.Text}").ToList() ?? [];
        Assert.Equal(texts(bundle.Entry.Select(e => e.Resource).OfType<OperationOutcome>().SingleOrDefault()),
            texts(plan.Contained.OfType<OperationOutcome>().SingleOrDefault()));
    }

    [Fact]
    public async Task A_patient_level_token_reads_its_own_patient_and_no_other()
    {
        var femur = Patient("fracture-femur-mirels-8");
        var other = Patient("fracture-humerus-mirels-7");
        var token = await SmartHosts.TokenAsync(_hosts.Ehr, AppScopes, femur.Id);
        var service = _hosts.Service();

        using var own = await service.SendAsync(Post(Instance, ApplyFor(femur.Id, femur.ExampleDate, true), token));
        Assert.IsType<CarePlan>(await Wire.ReadAsync(own, HttpStatusCode.OK, FhirFormat.Json));

        using var foreign = await service.SendAsync(Post(Instance, ApplyFor(other.Id, other.ExampleDate, true), token));
        var issues = await Wire.AssertOutcomeAsync(foreign, HttpStatusCode.Forbidden);
        Assert.Contains(issues, i => i.Code == OperationOutcome.IssueType.Forbidden);
    }

    [Fact]
    public async Task Without_a_token_the_answer_is_401_with_a_bearer_challenge_even_where_data_needs_none()
    {
        // SmartHosts runs in Development, where $apply with data needs no token: reading the server does.
        var response = await _hosts.Service().SendAsync(Post(Instance, ApplyFor(Patient("fracture-femur-mirels-8").Id, null, null), null));
        var issues = await Wire.AssertOutcomeAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(issues, i => i.Code == OperationOutcome.IssueType.Login);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_token_without_the_read_scopes_gets_403_naming_them()
    {
        var femur = Patient("fracture-femur-mirels-8");
        var token = await SmartHosts.TokenAsync(_hosts.Ehr, "launch/patient patient/Observation.rs", femur.Id);
        var response = await _hosts.Service().SendAsync(Post(Instance, ApplyFor(femur.Id, null, true), token));
        var issues = await Wire.AssertOutcomeAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains(issues, i => (i.Details?.Text ?? "").Contains("patient/Condition.s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_patient_is_404()
    {
        var token = await SmartHosts.TokenAsync(_hosts.Ehr, UserScopes, null);
        var response = await _hosts.Service().SendAsync(Post(Instance, ApplyFor("no-such-patient", null, true), token));
        var issues = await Wire.AssertOutcomeAsync(response, HttpStatusCode.NotFound);
        Assert.Contains(issues, i => i.Code == OperationOutcome.IssueType.NotFound);
    }

    public static TheoryData<string, int> Outages => new()
    {
        { "unreachable", 502 },
        { "silent", 504 },
    };

    [Theory]
    [MemberData(nameof(Outages))]
    public async Task A_FHIR_server_that_is_down_is_a_502_or_504(string outage, int status)
    {
        // Token checks off (Development) so that only the FHIR server is faulty; the read is the instance-level one.
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("BoneMetRT:FhirServer:BaseUrl", SmartHosts.FhirBase);
            b.UseSetting("BoneMetRT:FhirServer:TimeoutSeconds", "1");
            b.UseSetting("BoneMetRT:Auth:Disabled", "true");
            b.ConfigureTestServices(s => s.AddHttpClient<FhirServerClient>().ConfigurePrimaryHttpMessageHandler(() => new DownServer(outage)));
        });
        _owned.Add(factory);

        var response = await factory.CreateClient().SendAsync(Post(Instance, ApplyFor("fracture-femur-mirels-8", null, null), null));

        var issues = await Wire.AssertOutcomeAsync(response, (HttpStatusCode)status);
        Assert.Contains(issues, i => (i.Details?.Text ?? "").Contains("FHIR server", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_subject_the_answer_is_422_naming_it()
    {
        var token = await SmartHosts.TokenAsync(_hosts.Ehr, UserScopes, null);
        foreach (var body in new[] { new Parameters { Parameter = [P("useServerData", new FhirBoolean(true))] }, new Parameters { Parameter = [P("assessmentDate", new FhirDateTime("2026-03-16"))] } })
        {
            using var response = await _hosts.Service().SendAsync(Post(Instance, body, token));
            var issues = await Wire.AssertOutcomeAsync(response, HttpStatusCode.UnprocessableEntity);
            Assert.Contains(issues, i => (i.Details?.Text ?? "").Contains("'subject' (Patient/{id}) is required", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Data_with_useServerData_true_is_refused_with_422()
    {
        var request = ApplyAgreementTests.ApplyRequest("fracture-femur-mirels-8.json");
        request.Parameter.Add(P("useServerData", new FhirBoolean(true)));
        var token = await SmartHosts.TokenAsync(_hosts.Ehr, UserScopes, null);

        using var response = await _hosts.Service().SendAsync(Post(Instance, request, token));

        var issues = await Wire.AssertOutcomeAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(issues, i => (i.Details?.Text ?? "").Contains("cannot be combined", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_FHIR_server_the_answer_is_422_naming_the_setting()
    {
        var response = await _hosts.Service(("BoneMetRT:FhirServer:BaseUrl", "")).SendAsync(Post(Instance, ApplyFor("fracture-femur-mirels-8", null, true), null));
        var issues = await Wire.AssertOutcomeAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(issues, i => (i.Details?.Text ?? "").Contains("BoneMetRT:FhirServer:BaseUrl", StringComparison.Ordinal));
    }

    /// <summary>A FHIR server that cannot be reached (connection refused) or never answers.</summary>
    private sealed class DownServer(string outage) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (outage == "unreachable")
            {
                throw new HttpRequestException("connection refused");
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("not reached");
        }
    }
}
