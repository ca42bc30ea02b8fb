namespace BoneMetRT.Fhir;

/// <summary>
/// What became of an operation, in the library's terms: the transports (the service, the CLI) decide what each kind
/// means to their callers (an HTTP status, an exit code), each in one place.
/// </summary>
public enum OutcomeKind
{
    /// <summary>The operation produced its result.</summary>
    Success,

    /// <summary>The body is not a FHIR R4 resource in the format given (not UTF-8, not well-formed, not FHIR).</summary>
    Malformed,

    /// <summary>The request is FHIR but cannot be processed: invalid, inconsistent or incomplete input or parameters.</summary>
    Unprocessable,

    /// <summary>The request names something this service does not know (a PlanDefinition it does not apply).</summary>
    NotFound,
}
