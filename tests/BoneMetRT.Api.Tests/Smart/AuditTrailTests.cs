using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Tests.Smart;

/// <summary>
/// The audit trail: a FHIR AuditEvent for every instance-level call and every call with a token, to its own sink (log
/// category <c>BoneMetRT.Audit</c> or a file), with who (token <c>sub</c> and <c>client_id</c>), which patient, when
/// and the outcome, and nothing else of the request.
/// </summary>
public sealed class AuditTrailTests : IClassFixture<SmartHostsFixture>
{
    private const string Femur = "fracture-femur-mirels-8";
    private const string AppScopes = "launch/patient openid fhirUser patient/Patient.rs patient/Condition.rs patient/Observation.rs patient/Procedure.rs";
    private const string AuditPrefix = "BoneMetRT.Audit: ";

    private readonly SmartHosts _hosts;

    public AuditTrailTests(SmartHostsFixture fixture) => _hosts = fixture.Hosts;

    private static HttpRequestMessage Post(string url, string? token, byte[]? body = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = Wire.Body(body);
        }

        return request;
    }

    /// <summary>The AuditEvents logged since the mark, parsed.</summary>
    private List<AuditEvent> Audits() => _hosts.ServiceLogs
        .Where(l => l.StartsWith(AuditPrefix, StringComparison.Ordinal))
        .Select(l => Assert.IsType<AuditEvent>(Wire.Parse(Encoding.UTF8.GetBytes(l[AuditPrefix.Length..].Trim()), FhirFormat.Json)))
        .ToList();

    private static string? PatientOf(AuditEvent audit) =>
        audit.Entity.Where(e => e.Role?.Code == "1").Select(e => e.What?.Reference ?? e.What?.Display).FirstOrDefault();

    [Fact]
    public async Task Instance_level_calls_are_audited_with_who_which_patient_and_the_outcome_whatever_it_is()
    {
        var service = _hosts.Service();
        var token = await SmartHosts.TokenAsync(_hosts.Ehr, AppScopes, Femur);
        _hosts.ServiceLogs.Clear();

        using (var ok = await service.SendAsync(Post($"/fhir/Patient/{Femur}/$assess", token)))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var otherPatient = await service.SendAsync(Post("/fhir/Patient/pat-humerus-7/$assess", token)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, otherPatient.StatusCode);
        }

        using (var anonymous = await service.SendAsync(Post($"/fhir/Patient/{Femur}/$assess", null)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        var audits = Audits();
        Assert.Equal(3, audits.Count);
        var (served, refused, unknown) = (audits[0], audits[1], audits[2]);

        Assert.Equal(AuditEvent.AuditEventOutcome.N0, served.Outcome);
        Assert.Equal("HTTP 200", served.OutcomeDesc);
        Assert.Equal($"Patient/{Femur}", PatientOf(served));
        Assert.Equal(AuditEvent.AuditEventAction.E, served.Action);
        Assert.NotNull(served.Recorded);
        Assert.Equal("sandbox-clinician", served.Agent.Single(a => a.Requestor == true).Who!.Identifier!.Value);
        Assert.Equal("bonemetrt", served.Agent.Single(a => a.Requestor == false).Who!.Identifier!.Value);
        Assert.Equal(SmartHosts.EhrUrl, served.Agent[0].Who!.Identifier!.System);
        Assert.Contains(served.Entity, e => e.Name == "POST /fhir/Patient/{id}/$assess");

        Assert.Equal(AuditEvent.AuditEventOutcome.N4, refused.Outcome);
        Assert.Equal("HTTP 403", refused.OutcomeDesc);
        Assert.Equal("Patient/pat-humerus-7", PatientOf(refused));
        Assert.Equal("sandbox-clinician", refused.Agent.Single(a => a.Requestor == true).Who!.Identifier!.Value);

        Assert.Equal("HTTP 401", unknown.OutcomeDesc);
        Assert.Equal("no token", unknown.Agent.Single().Who!.Display);

        // Nothing else of the request: not the token, not the patient's name; and the request log keeps no patient id.
        var auditText = string.Join('\n', _hosts.ServiceLogs.Where(l => l.StartsWith(AuditPrefix, StringComparison.Ordinal)));
        Assert.DoesNotContain(token[..40], auditText, StringComparison.Ordinal);
        Assert.DoesNotContain("Marchand", auditText, StringComparison.Ordinal);
        Assert.DoesNotContain(_hosts.ServiceLogs, l => !l.StartsWith(AuditPrefix, StringComparison.Ordinal) && l.Contains(Femur, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_system_level_call_is_audited_when_it_carries_a_token_and_not_otherwise()
    {
        var service = _hosts.Service();
        var token = await SmartHosts.TokenAsync(_hosts.Ehr, AppScopes, Femur);
        var body = Wire.ValidExample(Femur + ".json");
        _hosts.ServiceLogs.Clear();

        using (var anonymous = await service.SendAsync(Post("/fhir/$assess", null, body)))
        {
            Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        }

        Assert.Empty(Audits());

        using (var withToken = await service.SendAsync(Post("/fhir/$assess", token, body)))
        {
            Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        }

        var audit = Assert.Single(Audits());
        Assert.Equal("sandbox-clinician", audit.Agent[0].Who!.Identifier!.Value);
        Assert.False(string.IsNullOrEmpty(PatientOf(audit)), "the patient of the data is named");
        Assert.Equal("HTTP 200", audit.OutcomeDesc);

        // A forged token on an endpoint that does not need one is still audited, as refused.
        _hosts.ServiceLogs.Clear();
        var forged = await SmartHosts.TokenAsync(_hosts.NewEhr(), AppScopes, Femur);
        using (var validated = await service.SendAsync(Post("/fhir/Patient/$validate", forged, Encoding.UTF8.GetBytes("""{"resourceType":"Patient","id":"p1"}"""))))
        {
            Assert.Equal(HttpStatusCode.OK, validated.StatusCode);
        }

        Assert.Equal("token refused", Assert.Single(Audits()).Agent.Single().Who!.Display);
    }

    [Fact]
    public async Task The_file_sink_gets_one_AuditEvent_per_line_and_the_log_none()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bonemetrt-audit-{Guid.NewGuid():N}.ndjson");
        try
        {
            var service = _hosts.Service(("BoneMetRT:Audit:Sink", "file"), ("BoneMetRT:Audit:FilePath", path));
            var token = await SmartHosts.TokenAsync(_hosts.Ehr, AppScopes, Femur);
            _hosts.ServiceLogs.Clear();

            var calls = Enumerable.Range(0, 4).Select(_ => service.SendAsync(Post($"/fhir/Patient/{Femur}/$assess", token)));
            foreach (var response in await Task.WhenAll(calls))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            var lines = await File.ReadAllLinesAsync(path);
            Assert.Equal(4, lines.Length);
            Assert.All(lines, l => Assert.Equal($"Patient/{Femur}", PatientOf(Assert.IsType<AuditEvent>(Wire.Parse(Encoding.UTF8.GetBytes(l), FhirFormat.Json)))));
            Assert.Empty(Audits());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
