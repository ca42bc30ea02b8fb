namespace BoneMetRT.Api.Infrastructure;

/// <summary>Marks an endpoint whose every call is audited, token or not (the instance-level operation).</summary>
public sealed class AuditedEndpoint;
