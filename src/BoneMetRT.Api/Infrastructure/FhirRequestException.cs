using BoneMetRT.Domain;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;

namespace BoneMetRT.Api.Infrastructure;

/// <summary>Thrown for a request the service must refuse; turned into an OperationOutcome by <see cref="ErrorHandling"/>.</summary>
public sealed class FhirRequestException(int status, OperationOutcome.IssueType type, LocalizedText text, params string[] expressions) : Exception(text.En)
{
    /// <summary>HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>The OperationOutcome issue.</summary>
    public Issue Issue { get; } = new(OperationOutcome.IssueSeverity.Error, type, text, null, expressions);

    /// <summary>A <c>WWW-Authenticate</c> challenge to send with a 401 or 403.</summary>
    public string? WwwAuthenticate { get; init; }

    /// <summary>Seconds to send in <c>Retry-After</c> with a 503.</summary>
    public int? RetryAfterSeconds { get; init; }
}
