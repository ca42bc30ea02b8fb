using System.Net;
using System.Text;
using BoneMetRT.Api.Tests.TestSupport;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BoneMetRT.Api.Tests.Infrastructure;

/// <summary>
/// Logs carry the method, the route template, the status and the timing — never patient data: not the name, not the
/// patient id, not a fragment of the body, whatever the answer (200, 4xx, 500) and at every log level.
/// </summary>
public sealed class RequestLoggingTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string PatientId = "zq-20260316-7731";
    private const string Family = "Quatrebarbes";
    private const string Given = "Zéphyrine";
    private const string Mrn = "MRN-ZQ-7731";
    private const string BodyFragment = "Femur-lesion-note-Quokka";

    /// <summary>The strings that must never be logged.</summary>
    private static readonly string[] Secrets = [PatientId, Family, Given, Mrn, BodyFragment, "\"resourceType\"", "<Parameters"];

    /// <summary>A valid example made to hold a distinctive patient (id, name, MRN) and a distinctive text.</summary>
    private static string DistinctiveExample()
    {
        var text = Encoding.UTF8.GetString(Wire.ValidExample(HostileBodies.WithIds))
            .Replace("pat-status", PatientId, StringComparison.Ordinal)
            .Replace("Marchetti", Family, StringComparison.Ordinal)
            .Replace("\"Hugo\"", $"\"{Given}\"", StringComparison.Ordinal)
            .Replace("EX-0022", Mrn, StringComparison.Ordinal);
        var parameters = Assert.IsType<Parameters>(Wire.Parse(Encoding.UTF8.GetBytes(text), FhirFormat.Json));
        var data = Assert.IsType<Bundle>(parameters.Parameter.Single(p => p.Name == "data").Resource);
        var lesion = data.Entry.Select(e => e.Resource).OfType<Condition>().First(c => c.Id == "cond-met-femur");
        lesion.Note.Add(new Annotation { Text = new Markdown(BodyFragment) });
        return FhirSerialization.ToText(parameters, FhirFormat.Json);
    }

    private static WebApplicationFactory<Program> Capturing(WebApplicationFactory<Program> factory, CapturingLoggerProvider logs, Action<IServiceCollection>? services = null) =>
        factory.WithWebHostBuilder(b =>
        {
            b.ConfigureLogging(l => l.AddProvider(logs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace));
            if (services is not null)
            {
                b.ConfigureTestServices(services);
            }
        });

    private static void AssertNoPatientData(CapturingLoggerProvider logs)
    {
        var entries = logs.Entries.ToList();
        Assert.NotEmpty(entries);
        foreach (var secret in Secrets)
        {
            var leaks = entries.Where(e => e.Contains(secret, StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.True(leaks.Count == 0, $"'{secret}' was logged:\n{string.Join("\n", leaks.Take(5))}");
        }
    }

    [Fact]
    public async Task No_patient_data_is_logged_whatever_the_answer()
    {
        var logs = new CapturingLoggerProvider();
        using var factory = Capturing(api, logs);
        using var client = factory.CreateClient();
        var json = DistinctiveExample();
        var xml = FhirSerialization.Serialize(Wire.Parse(Encoding.UTF8.GetBytes(json), FhirFormat.Json), FhirFormat.Xml);

        // 200 in JSON and XML, with the patient in the answer's Provenance and references.
        using (var ok = await Wire.PostAsync(client, "/fhir/$assess", Wire.Body(json)))
        {
            var bundle = Assert.IsType<Bundle>(await Wire.ReadAsync(ok, HttpStatusCode.OK, FhirFormat.Json));
            Assert.Contains(PatientId, FhirSerialization.ToText(bundle, FhirFormat.Json), StringComparison.Ordinal);
        }

        using (var ok = await Wire.PostAsync(client, "/fhir/Patient/$assess", Wire.Body(xml, Wire.Xml)))
        {
            Assert.IsType<Bundle>(await Wire.ReadAsync(ok, HttpStatusCode.OK, FhirFormat.Xml));
        }

        // 422: the patient's resources with a broken reference.
        var broken = json.Replace("\"reference\": \"Condition/cond-met-femur\"", "\"reference\": \"Condition/" + PatientId + "-gone\"", StringComparison.Ordinal);
        broken = broken.Replace("\"reference\":\"Condition/cond-met-femur\"", "\"reference\":\"Condition/" + PatientId + "-gone\"", StringComparison.Ordinal);
        Assert.NotEqual(json, broken);
        using (var invalid = await Wire.PostAsync(client, "/fhir/$assess", Wire.Body(broken)))
        {
            await Wire.AssertOutcomeAsync(invalid, HttpStatusCode.UnprocessableEntity);
        }

        // 400: the body cut in the middle of the patient's name; the parser's message quotes the position, not the log.
        var cut = json[..(json.IndexOf(Family, StringComparison.Ordinal) + 5)];
        using (var malformed = await Wire.PostAsync(client, "/fhir/$assess", Wire.Body(cut)))
        {
            await Wire.AssertOutcomeAsync(malformed, HttpStatusCode.BadRequest);
        }

        // An unknown element named after the patient.
        using (var unknown = await Wire.PostAsync(client, "/fhir/$assess", Wire.Body(json.Replace("\"gender\"", $"\"{Family}\": 1, \"gender\"", StringComparison.Ordinal))))
        {
            await Wire.AssertOutcomeAsync(unknown, HttpStatusCode.BadRequest);
        }

        // $validate, 415 and 405 with the body.
        using (var validate = await Wire.PostAsync(client, "/fhir/$validate", Wire.Body(json)))
        {
            Assert.Equal(HttpStatusCode.OK, validate.StatusCode);
        }

        using (var unsupported = await Wire.PostAsync(client, "/fhir/$assess", Wire.Body(json, "text/plain")))
        {
            await Wire.AssertOutcomeAsync(unsupported, HttpStatusCode.UnsupportedMediaType);
        }

        using (var wrongMethod = await client.PutAsync("/fhir/$assess", Wire.Body(json)))
        {
            await Wire.AssertOutcomeAsync(wrongMethod, HttpStatusCode.MethodNotAllowed);
        }

        AssertNoPatientData(logs);
        // The request log itself is there: method, route template, status.
        Assert.Contains(logs.Entries, e => e.StartsWith("BoneMetRT.Requests [Information] POST /fhir/$assess -> 200 in ", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.StartsWith("BoneMetRT.Requests [Information] POST /fhir/$assess -> 422 in ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refused_requests_are_logged_with_the_status_the_caller_got()
    {
        // The error handler sits inside the request timing: a refusal thrown by an endpoint or a framework error is
        // logged with its real status, not the 200 the response held while the exception unwound.
        var logs = new CapturingLoggerProvider();
        using var factory = Capturing(api, logs);
        using var client = factory.CreateClient();

        var calls = new (Func<Task<HttpResponseMessage>> Send, HttpStatusCode Status, string Route)[]
        {
            (() => Wire.PostAsync(client, "/fhir/$assess", Wire.Body("{}", "text/plain")), HttpStatusCode.UnsupportedMediaType, "POST /fhir/$assess "),
            (() => Wire.PostAsync(client, "/fhir/$assess", Wire.Body("{\"resourceType\":")), HttpStatusCode.BadRequest, "POST /fhir/$assess "),
            (() => Wire.PostAsync(client, "/fhir/Patient/$validate", Wire.Body("""{"resourceType":"Observation","status":"final","code":{"text":"x"}}""")), HttpStatusCode.UnprocessableEntity, "POST /fhir/{type}/$validate "),
            (() => client.PutAsync("/fhir/$assess", Wire.Body("{}")), HttpStatusCode.MethodNotAllowed, " "),
            (() => Wire.GetAsync(client, "/fhir/Patient/unknown-1"), HttpStatusCode.NotFound, "GET /fhir/{type}/{id:regex("),
            (() => Wire.GetAsync(client, "/nowhere"), HttpStatusCode.NotFound, "GET (unmatched) "),
        };
        foreach (var (send, status, route) in calls)
        {
            using var response = await send();
            await Wire.AssertOutcomeAsync(response, status);
            var line = $" -> {(int)status} in ";
            Assert.True(logs.Entries.Any(e => e.StartsWith("BoneMetRT.Requests [Information] ", StringComparison.Ordinal)
                    && e.Contains(route, StringComparison.Ordinal) && e.Contains(line, StringComparison.Ordinal)),
                $"no '{route}' with '{line}' in:\n{string.Join("\n", logs.Entries.Where(e => e.StartsWith("BoneMetRT.Requests", StringComparison.Ordinal)))}");
        }

        Assert.DoesNotContain(logs.Entries, e => e.StartsWith("BoneMetRT.Requests", StringComparison.Ordinal) && e.Contains("-> 200 in ", StringComparison.Ordinal));
        AssertNoPatientData(logs);
    }

    [Fact]
    public async Task An_unexpected_failure_logs_its_type_and_frames_not_its_message()
    {
        // A bug whose exception message carries patient data must not put it in the logs.
        var logs = new CapturingLoggerProvider();
        using var factory = Capturing(api, logs, s => s.AddSingleton<TimeProvider>(new LeakyClock()));
        using var client = factory.CreateClient();

        using var response = await Wire.PostAsync(client, "/fhir/$assess", Wire.Body(DistinctiveExample()));

        await Wire.AssertOutcomeAsync(response, HttpStatusCode.InternalServerError);
        AssertNoPatientData(logs);
        var error = Assert.Single(logs.Entries, e => e.StartsWith("BoneMetRT.Errors [Error] Unhandled InvalidOperationException on POST /fhir/$assess", StringComparison.Ordinal));
        // Where it failed, for whoever mends it: the frames of the exception and of the one it wraps.
        Assert.Contains("LeakyClock.GetUtcNow()", error, StringComparison.Ordinal);
        Assert.Contains("---> FormatException", error, StringComparison.Ordinal);
        Assert.Contains("LeakyClock.ReadPatientClock()", error, StringComparison.Ordinal);
        Assert.Contains(logs.Entries, e => e.StartsWith("BoneMetRT.Requests [Information] POST /fhir/$assess -> 500 in ", StringComparison.Ordinal));
    }

    /// <summary>A clock that fails with patient data in its message, and in the message of the exception it wraps.</summary>
    private sealed class LeakyClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow()
        {
            try
            {
                ReadPatientClock();
            }
            catch (FormatException inner)
            {
                throw new InvalidOperationException($"failed for {Given} {Family} ({PatientId}, {Mrn})", inner);
            }

            return default;
        }

        [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static void ReadPatientClock() => throw new FormatException($"no time for {Family} ({Mrn})");
    }
}
