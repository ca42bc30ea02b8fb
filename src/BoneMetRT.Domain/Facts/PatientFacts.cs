namespace BoneMetRT.Domain.Facts;

/// <summary>
/// Everything the engine knows about one patient, already mapped from FHIR (or any other source) into domain
/// terms. Items are <see cref="Fact{T}"/> so that "missing" and "conflicting" are explicit.
/// </summary>
public sealed record PatientFacts
{
    /// <summary>Date every interval and window is computed against.</summary>
    public required DateOnly AssessmentDate { get; init; }

    /// <summary>Bone metastases (one per lesion Condition).</summary>
    public IReadOnlyList<LesionFacts> Lesions { get; init; } = [];

    /// <summary>Primary tumour type (Rades item 1).</summary>
    public Fact<PrimaryTumourType> PrimaryTumour { get; init; } = Fact<PrimaryTumourType>.Missing;

    /// <summary>Date the primary tumour was diagnosed (for the Rades interval).</summary>
    public Fact<DateOnly> PrimaryDiagnosisDate { get; init; } = Fact<DateOnly>.Missing;

    /// <summary>Visceral metastases at the time of radiotherapy (Rades item 3; oligometastatic eligibility).</summary>
    public Fact<bool> VisceralMetastases { get; init; } = Fact<bool>.Missing;

    /// <summary>Metastatic spinal cord compression, when the patient has one.</summary>
    public MsccFacts? Mscc { get; init; }

    /// <summary>Pain resistant to analgesics (situation 1.1).</summary>
    public Fact<bool> AnalgesicRefractoryPain { get; init; } = Fact<bool>.Missing;

    /// <summary>Neuropathic pain (a "complicated" feature for regimen choice).</summary>
    public Fact<bool> NeuropathicPain { get; init; } = Fact<bool>.Missing;

    /// <summary>Pain intensity 0–10 (informative; never replaces the refractory-pain item).</summary>
    public Fact<int> PainScore { get; init; } = Fact<int>.Missing;

    /// <summary>Performance status, ECOG or Karnofsky.</summary>
    public Fact<PerformanceStatus> Performance { get; init; } = Fact<PerformanceStatus>.Missing;

    /// <summary>Completed surgeries on a lesion or on the compression.</summary>
    public IReadOnlyList<SurgeryFacts> Surgeries { get; init; } = [];
}

/// <summary>One bone metastasis and its lesion-level items.</summary>
public sealed record LesionFacts
{
    /// <summary>Opaque identifier of the lesion (e.g. <c>Condition/femur-met</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Human-readable site, e.g. "left femur".</summary>
    public string Label { get; init; } = "";

    /// <summary>Kind of bone.</summary>
    public BoneKind Kind { get; init; } = BoneKind.Unknown;

    /// <summary>Mirels site (from body site or an explicit observation).</summary>
    public Fact<MirelsSite> Site { get; init; } = Fact<MirelsSite>.Missing;

    /// <summary>Mirels size.</summary>
    public Fact<MirelsSize> Size { get; init; } = Fact<MirelsSize>.Missing;

    /// <summary>Mirels lesion type.</summary>
    public Fact<LesionType> Type { get; init; } = Fact<LesionType>.Missing;

    /// <summary>Mirels pain.</summary>
    public Fact<MirelsPain> Pain { get; init; } = Fact<MirelsPain>.Missing;

    /// <summary>Axial cortical lysis, in % or mm.</summary>
    public Fact<LysisMeasure> CorticalLysisAxial { get; init; } = Fact<LysisMeasure>.Missing;

    /// <summary>Circumferential cortical lysis, in %.</summary>
    public Fact<decimal> CorticalLysisCircumferential { get; init; } = Fact<decimal>.Missing;

    /// <summary>Lesion well delimited on imaging (oligometastatic eligibility).</summary>
    public Fact<bool> WellDefined { get; init; } = Fact<bool>.Missing;

    /// <summary>Epidural extension (vertebral target volume, regimen choice).</summary>
    public Fact<bool> EpiduralExtension { get; init; } = Fact<bool>.Missing;

    /// <summary>Pain at this lesion resistant to analgesics; when missing the patient-level item applies.</summary>
    public Fact<bool> AnalgesicRefractoryPain { get; init; } = Fact<bool>.Missing;

    /// <summary>Neuropathic pain from this lesion; when missing the patient-level item applies.</summary>
    public Fact<bool> NeuropathicPain { get; init; } = Fact<bool>.Missing;
}

/// <summary>A metastatic spinal cord compression and its Rades items that are not patient-wide.</summary>
public sealed record MsccFacts
{
    /// <summary>Opaque identifier of the compression (e.g. <c>Condition/mscc</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Vertebral level, e.g. "T10".</summary>
    public string Label { get; init; } = "";

    /// <summary>The vertebral lesion the compression comes from, when known.</summary>
    public string? LesionId { get; init; }

    /// <summary>Onset (diagnosis) of the compression, for the Rades interval.</summary>
    public Fact<DateOnly> Onset { get; init; } = Fact<DateOnly>.Missing;

    /// <summary>Motor function before radiotherapy.</summary>
    public Fact<AmbulatoryStatus> Ambulatory { get; init; } = Fact<AmbulatoryStatus>.Missing;

    /// <summary>Time developing the motor deficit before radiotherapy, in days.</summary>
    public Fact<decimal> MotorDeficitDays { get; init; } = Fact<decimal>.Missing;
}

/// <summary>A completed surgery on a bone metastasis or a compression.</summary>
public sealed record SurgeryFacts
{
    /// <summary>Opaque identifier (e.g. <c>Procedure/fixation</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Date of the operation.</summary>
    public required DateOnly PerformedOn { get; init; }

    /// <summary>Lesion or compression operated on (its id), when the procedure says.</summary>
    public string? TargetId { get; init; }

    /// <summary>Is the skin healed (required to start post-operative radiotherapy)?</summary>
    public Fact<bool> SkinHealed { get; init; } = Fact<bool>.Missing;
}
