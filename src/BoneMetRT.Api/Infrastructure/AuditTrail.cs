using System.Security.Claims;
using BoneMetRT.Api.Features.Smart;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Infrastructure;

/// <summary>
/// The audit trail: one FHIR AuditEvent for every instance-level call and every FHIR call that carries a bearer
/// token, whatever its outcome: who (the token's <c>sub</c> and <c>client_id</c>, once the token is checked), which
/// patient, when, which operation, the HTTP outcome. Nothing else of the request: no body, no token, no address.
/// Written to its own sink (<see cref="AuditOptions"/>), never to the request log.
/// </summary>
public sealed class AuditTrail(IOptions<BoneMetRTOptions> options, ILoggerFactory loggers)
{
    /// <summary>The log category of the <c>log</c> sink.</summary>
    public const string Category = "BoneMetRT.Audit";

    private const string PatientKey = "BoneMetRT.Audit.Patient";
    private readonly ILogger _logger = loggers.CreateLogger(Category);
    private readonly SemaphoreSlim _file = new(1, 1);

    /// <summary>Tells the audit trail which patient a request's data were about (system-level <c>$assess</c>).</summary>
    public static void SetPatient(HttpContext context, string? patientId)
    {
        if (patientId is not null)
        {
            context.Items[PatientKey] = patientId;
        }
    }

    /// <summary>Writes the AuditEvent of a finished request.</summary>
    public async Task RecordAsync(HttpContext context, DateTimeOffset start)
    {
        var settings = options.Value;
        if (settings.Audit.Sink == "none")
        {
            return;
        }

        var who = await WhoAsync(context, settings);
        var status = context.Response.StatusCode;
        // The patient an endpoint named (system-level $assess, a CDS hook's context), else the instance-level route's id.
        var patient = context.Items.TryGetValue(PatientKey, out var p) && p is string named ? named
            : context.Request.RouteValues.TryGetValue("id", out var id) && context.GetEndpoint()?.Metadata.GetMetadata<AuditedEndpoint>() is not null
                ? id as string
                : null;
        var route = RequestLogging.RouteOf(context);
        var audit = new AuditEvent
        {
            Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"),
            Subtype = [new Coding("http://hl7.org/fhir/restful-interaction", "operation", "operation")],
            Action = AuditEvent.AuditEventAction.E,
            Period = new Period { StartElement = new FhirDateTime(start), EndElement = new FhirDateTime(DateTimeOffset.UtcNow) },
            Recorded = DateTimeOffset.UtcNow,
            Outcome = status switch { < 400 => AuditEvent.AuditEventOutcome.N0, < 500 => AuditEvent.AuditEventOutcome.N4, _ => AuditEvent.AuditEventOutcome.N8 },
            OutcomeDesc = $"HTTP {status}",
            Source = new AuditEvent.SourceComponent
            {
                Observer = new ResourceReference { Display = "BoneMetRT" },
                Type = [new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server")],
            },
        };
        // The operation by its route template (never the raw path, which holds ids).
        audit.Entity.Add(new AuditEvent.EntityComponent { Name = $"{context.Request.Method} {route}", Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object") });
        if (patient is not null)
        {
            audit.Entity.Add(new AuditEvent.EntityComponent
            {
                // By reference when it is an id, else by what the data called it (identifier or fullUrl).
                What = System.Text.RegularExpressions.Regex.IsMatch(patient, "^[A-Za-z0-9\\-\\.]{1,64}$")
                    ? new ResourceReference($"Patient/{patient}")
                    : new ResourceReference { Display = patient },
                Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"),
                Role = new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"),
            });
        }

        audit.Agent.Add(new AuditEvent.AgentComponent
        {
            Requestor = true,
            Who = who.Subject is null
                ? new ResourceReference { Display = who.Note }
                : new ResourceReference { Identifier = new Identifier(who.Issuer, who.Subject) },
            Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/extra-security-role-type", "humanuser", "human user"),
        });
        if (who.Client is not null)
        {
            audit.Agent.Add(new AuditEvent.AgentComponent
            {
                Requestor = false,
                Who = new ResourceReference { Identifier = new Identifier(who.Issuer, who.Client) },
                Type = new CodeableConcept("http://dicom.nema.org/resources/ontology/DCM", "110150", "Application"),
            });
        }

        await WriteAsync(FhirSerialization.ToText(audit, FhirFormat.Json, pretty: false), settings.Audit);
    }

    /// <summary>The checked token's subject and client, or a note saying why there is none.</summary>
    private static async Task<(string? Issuer, string? Subject, string? Client, string Note)> WhoAsync(HttpContext context, BoneMetRTOptions settings)
    {
        ClaimsPrincipal? principal = context.User.Identity?.IsAuthenticated == true ? context.User : null;
        if (principal is null && SmartAuth.BearerOf(context.Request) is not null && SmartAuth.TokensChecked(settings.Auth))
        {
            // A token the endpoint did not need: checked here only to say who sent it (the result is cached per request).
            principal = (await SmartAuth.CheckTokenAsync(context)).Principal;
        }

        if (principal is null)
        {
            var note = SmartAuth.BearerOf(context.Request) is null ? "no token"
                : settings.Auth.Disabled ? "token not checked (Auth:Disabled)"
                : SmartAuth.TokensChecked(settings.Auth) ? "token refused" : "token not checked (no authorization server)";
            return (null, null, null, note);
        }

        return (principal.FindFirstValue("iss"), principal.FindFirstValue("sub") ?? "(no sub)",
            principal.FindFirstValue("client_id") ?? principal.FindFirstValue("azp"), "");
    }

    private async Task WriteAsync(string json, AuditOptions settings)
    {
        if (settings.Sink == "file")
        {
            // One writer at a time, so that lines never interleave.
            await _file.WaitAsync();
            try
            {
                await File.AppendAllTextAsync(settings.FilePath, json + "\n");
            }
            finally
            {
                _file.Release();
            }

            return;
        }

        _logger.LogInformation("{AuditEvent}", json);
    }
}
