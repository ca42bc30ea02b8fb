using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace BoneMetRT.Api.Tests.Smart;

/// <summary><c>POST /fhir/Patient/{id}/$assess</c> against the test EHR: authentication, scopes, the EHR's answers, the result.</summary>
public sealed class InstanceAssessTests : IClassFixture<SmartHostsFixture>
{
    private const string Femur = "fracture-femur-mirels-8";
    private const string AppScopes = "launch/patient openid fhirUser patient/Patient.rs patient/Condition.rs patient/Observation.rs patient/Procedure.rs";
    private const string UserScopes = "openid fhirUser user/Patient.rs user/Condition.rs user/Observation.rs user/Procedure.rs";

    private readonly SmartHosts _hosts;

    public InstanceAssessTests(SmartHostsFixture fixture) => _hosts = fixture.Hosts;

    private static HttpRequestMessage Post(string id, string? token, string? body = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/fhir/Patient/{id}/$assess");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/fhir+json");
        }

        return request;
    }

    private static string DateAndLanguage(string language) => $$"""
        {"resourceType":"Parameters","parameter":[{"name":"assessmentDate","valueDateTime":"2026-03-16"},{"name":"language","valueCode":"{{language}}"}]}
        """;

    private static async Task<JsonElement> OutcomeAsync(HttpResponseMessage response, HttpStatusCode status, string issueCode)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var root = JsonDocument.Parse(text).RootElement;
        Assert.Equal("OperationOutcome", root.GetProperty("resourceType").GetString());
        Assert.Equal(issueCode, root.GetProperty("issue")[0].GetProperty("code").GetString());
        return root;
    }

    [Fact]
    public async Task Without_a_token_the_answer_is_401_with_a_bearer_challenge()
    {
        var response = await _hosts.Service().SendAsync(Post(Femur, null));
        await OutcomeAsync(response, HttpStatusCode.Unauthorized, "login");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_token_signed_by_another_key_is_refused_with_401()
    {
        // Same issuer name and claims, but another EHR instance's key: the signature cannot be checked with the JWKS.
        var forged = await SmartHosts.TokenAsync(_hosts.NewEhr(), AppScopes, Femur);
        var response = await _hosts.Service().SendAsync(Post(Femur, forged));
        await OutcomeAsync(response, HttpStatusCode.Unauthorized, "login");
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_without_the_needed_scopes_gets_403_naming_them()
    {
        var token = await SmartHosts.TokenAsync(_hosts.Ehr, "launch/patient patient/Observation.rs", Femur);
        var response = await _hosts.Service().SendAsync(Post(Femur, token));
        var outcome = await OutcomeAsync(response, HttpStatusCode.Forbidden, "forbidden");
        var text = outcome.GetProperty("issue")[0].GetProperty("details").GetProperty("text").GetString();
        Assert.Contains("patient/Patient.r", text, StringComparison.Ordinal);
        Assert.Contains("patient/Condition.s", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Observation", text, StringComparison.Ordinal);
        Assert.Contains("insufficient_scope", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_patient_level_token_cannot_assess_another_patient()
    {
        var token = await SmartHosts.TokenAsync(_hosts.Ehr, AppScopes, Femur);
        var response = await _hosts.Service().SendAsync(Post("pat-humerus-7", token));
        await OutcomeAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task An_unknown_patient_is_404()
    {
        var token = await SmartHosts.TokenAsync(_hosts.Ehr, UserScopes, null);
        var response = await _hosts.Service().SendAsync(Post("no-such-patient", token));
        await OutcomeAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task With_a_token_from_the_EHR_the_patient_is_read_over_several_pages_and_assessed()
    {
        var token = await SmartHosts.TokenAsync(_hosts.Ehr, AppScopes, Femur);
        var response = await _hosts.Service().SendAsync(Post(Femur, token, DateAndLanguage("fr")));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var bundle = JsonDocument.Parse(text).RootElement;
        Assert.Equal("Bundle", bundle.GetProperty("resourceType").GetString());
        var resources = bundle.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("resource")).ToList();

        // The EHR pages by 3 and the patient has 6 Observations: the four Mirels items come from two pages.
        var mirels = resources.Single(r => r.GetProperty("resourceType").GetString() == "Observation"
            && r.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString() == "mirels-score");
        Assert.Equal(8, mirels.GetProperty("valueInteger").GetInt32());
        Assert.Equal(4, mirels.GetProperty("component").GetArrayLength());
        Assert.Equal("mirels-tumour-board", mirels.GetProperty("interpretation")[0].GetProperty("coding")[0].GetProperty("code").GetString());
        Assert.All(resources.Where(r => r.TryGetProperty("language", out _)), r => Assert.Equal("fr", r.GetProperty("language").GetString()));
        Assert.Equal("2026-03-16", mirels.GetProperty("effectiveDateTime").GetString());
    }

    [Fact]
    public async Task With_an_empty_body_and_a_user_level_token_a_Rades_group_is_computed()
    {
        var token = await SmartHosts.TokenAsync(_hosts.Ehr, UserScopes, null);
        var response = await _hosts.Service().SendAsync(Post("pat-mscc-breast", token));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var rades = JsonDocument.Parse(text).RootElement.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("resource"))
            .Single(r => r.GetProperty("resourceType").GetString() == "Observation" && r.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString() == "rades-score");
        Assert.Equal(43, rades.GetProperty("valueInteger").GetInt32());
        Assert.Equal("rades-group-3", rades.GetProperty("interpretation")[0].GetProperty("coding")[0].GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("""{"name":"data","resource":{"resourceType":"Bundle","type":"collection"}}""")]
    [InlineData("""{"name":"subject","valueString":"Patient/other"}""")]
    public async Task Data_or_subject_in_the_body_is_refused_at_instance_level(string parameter)
    {
        // OperationDefinition/assess-instance has neither parameter, and its input profile makes both 0..0.
        var token = await SmartHosts.TokenAsync(_hosts.Ehr, AppScopes, Femur);
        var body = $$"""{"resourceType":"Parameters","parameter":[{{parameter}}]}""";
        var response = await _hosts.Service().SendAsync(Post(Femur, token, body));
        await OutcomeAsync(response, (HttpStatusCode)422, "invalid");
    }

    [Fact]
    public async Task With_auth_disabled_the_caller_s_token_is_neither_checked_nor_forwarded_to_the_FHIR_server()
    {
        // Development only (SmartHosts runs the service in Development; TokenPolicyTests shows the refusal elsewhere).
        var service = _hosts.Service(("BoneMetRT:Auth:Disabled", "true"));

        // A token the EHR would accept is not passed on: the EHR sees an anonymous call and refuses it.
        var token = await SmartHosts.TokenAsync(_hosts.Ehr, UserScopes, null);
        var refused = await service.SendAsync(Post(Femur, token));
        var outcome = await OutcomeAsync(refused, HttpStatusCode.Unauthorized, "login");
        Assert.Contains("FHIR server", outcome.GetProperty("issue")[0].GetProperty("details").GetProperty("text").GetString(), StringComparison.Ordinal);

        // Without a token either: the service lets the call through, and the EHR refuses it.
        var anonymous = await service.SendAsync(Post(Femur, null));
        await OutcomeAsync(anonymous, HttpStatusCode.Unauthorized, "login");
    }

    [Fact]
    public async Task Without_an_authority_every_token_is_refused()
    {
        var token = await SmartHosts.TokenAsync(_hosts.Ehr, AppScopes, Femur);
        var response = await _hosts.Service(("BoneMetRT:Auth:Authority", "")).SendAsync(Post(Femur, token));
        await OutcomeAsync(response, HttpStatusCode.Unauthorized, "login");
    }

    [Fact]
    public async Task Without_a_FHIR_server_the_answer_is_503()
    {
        var response = await _hosts.Service(("BoneMetRT:Auth:Disabled", "true"), ("BoneMetRT:FhirServer:BaseUrl", "")).SendAsync(Post(Femur, null));
        await OutcomeAsync(response, HttpStatusCode.ServiceUnavailable, "exception");
    }

    [Fact]
    public async Task The_service_logs_neither_the_patient_id_nor_the_token()
    {
        var token = await SmartHosts.TokenAsync(_hosts.Ehr, AppScopes, Femur);
        var service = _hosts.Service();
        _hosts.ServiceLogs.Clear();
        var response = await service.SendAsync(Post(Femur, token, DateAndLanguage("en")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The audit trail has its own category (and sink): it names the patient, the request log does not.
        Assert.Contains(_hosts.ServiceLogs, l => l.StartsWith("BoneMetRT.Audit: ", StringComparison.Ordinal) && l.Contains(Femur, StringComparison.Ordinal));
        var logs = string.Join('\n', _hosts.ServiceLogs.Where(l => !l.StartsWith("BoneMetRT.Audit: ", StringComparison.Ordinal)));
        Assert.Contains("/Patient/{id}/$assess", logs, StringComparison.Ordinal); // the request line is there, by route template
        Assert.DoesNotContain(Femur, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("Marchand", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(token[..40], logs, StringComparison.Ordinal);
    }
}

/// <summary>One EHR for the class.</summary>
public sealed class SmartHostsFixture : IDisposable
{
    /// <summary>The hosts.</summary>
    public SmartHosts Hosts { get; } = new();

    /// <inheritdoc />
    public void Dispose() => Hosts.Dispose();
}
