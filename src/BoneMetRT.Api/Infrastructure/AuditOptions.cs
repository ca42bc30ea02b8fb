namespace BoneMetRT.Api.Infrastructure;

/// <summary>Settings of the audit trail (section <c>BoneMetRT:Audit</c>).</summary>
public sealed class AuditOptions
{
    /// <summary>
    /// Where AuditEvents go: <c>log</c> (default; log category <c>BoneMetRT.Audit</c>, one JSON AuditEvent per line,
    /// to route apart from the request log), <c>file</c> (appended to <see cref="FilePath"/>, one JSON per line) or
    /// <c>none</c>.
    /// </summary>
    public string Sink { get; set; } = "log";

    /// <summary>The file of the <c>file</c> sink (created if missing, appended to).</summary>
    public string FilePath { get; set; } = "";
}
