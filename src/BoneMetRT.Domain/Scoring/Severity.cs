namespace BoneMetRT.Domain.Scoring;

/// <summary>How serious a finding is; mirrors the FHIR issue severities the service will use.</summary>
public enum Severity { Information, Warning, Error }
