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

    /// <summary>Date the primary tumour was diagnosed (for the Rades interval), as precise as the record holds it.</summary>
    public Fact<PartialDate> PrimaryDiagnosisDate { get; init; } = Fact<PartialDate>.Missing;

    /// <summary>Visceral metastases at the time of radiotherapy (Rades item 3; oligometastatic eligibility).</summary>
    public Fact<bool> VisceralMetastases { get; init; } = Fact<bool>.Missing;

    /// <summary>Metastatic spinal cord compressions, one per compressing level.</summary>
    public IReadOnlyList<MsccFacts> Compressions { get; init; } = [];

    /// <summary>
    /// Pain resistant to analgesics stated for the patient, not for a lesion (situation 1.1). It describes a lesion only
    /// when the patient has exactly one; with several, the engine does not guess which one hurts.
    /// </summary>
    public Fact<bool> AnalgesicRefractoryPain { get; init; } = Fact<bool>.Missing;

    /// <summary>Neuropathic pain stated for the patient (a "complicated" feature); same one-lesion rule as the refractory pain.</summary>
    public Fact<bool> NeuropathicPain { get; init; } = Fact<bool>.Missing;

    /// <summary>Pain intensity 0–10 (informative; never replaces the refractory-pain item).</summary>
    public Fact<int> PainScore { get; init; } = Fact<int>.Missing;

    /// <summary>Performance status, ECOG or Karnofsky.</summary>
    public Fact<PerformanceStatus> Performance { get; init; } = Fact<PerformanceStatus>.Missing;

    /// <summary>Completed procedures on a lesion or a compression (surgery, radiotherapy, biopsy…), each typed and dated.</summary>
    public IReadOnlyList<ProcedureFacts> Procedures { get; init; } = [];
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

    /// <summary>Vertebral level (C1–C7, T1–T12, L1–L5, S1–S5) of a vertebral lesion, when the record names it.</summary>
    public string? Level { get; init; }

    /// <summary>An established pathological fracture of this bone: a surgical question, not fracture prevention.</summary>
    public Fact<bool> PathologicalFracture { get; init; } = Fact<bool>.Missing;

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

    /// <summary>Pain at this lesion resistant to analgesics; when missing, a patient-level value applies only to a patient's single lesion.</summary>
    public Fact<bool> AnalgesicRefractoryPain { get; init; } = Fact<bool>.Missing;

    /// <summary>Neuropathic pain from this lesion; when missing, a patient-level value applies only to a patient's single lesion.</summary>
    public Fact<bool> NeuropathicPain { get; init; } = Fact<bool>.Missing;
}

/// <summary>A metastatic spinal cord compression and its Rades items that are not patient-wide.</summary>
public sealed record MsccFacts
{
    /// <summary>Opaque identifier of the compression (e.g. <c>Condition/mscc</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Human-readable site, e.g. "T10".</summary>
    public string Label { get; init; } = "";

    /// <summary>Vertebral level of the compression (e.g. "T10"), when the record names it.</summary>
    public string? Level { get; init; }

    /// <summary>The vertebral lesion the compression comes from: an explicit link or the lesion at the same level; null otherwise.</summary>
    public string? LesionId { get; init; }

    /// <summary>Onset (diagnosis) of the compression, for the Rades interval, as precise as the record holds it.</summary>
    public Fact<PartialDate> Onset { get; init; } = Fact<PartialDate>.Missing;

    /// <summary>Motor function before radiotherapy.</summary>
    public Fact<AmbulatoryStatus> Ambulatory { get; init; } = Fact<AmbulatoryStatus>.Missing;

    /// <summary>Time developing the motor deficit before radiotherapy, in days.</summary>
    public Fact<decimal> MotorDeficitDays { get; init; } = Fact<decimal>.Missing;
}

/// <summary>What kind of procedure was done; only surgery opens a post-operative window.</summary>
public enum ProcedureKind
{
    /// <summary>Osteosynthesis or prophylactic fixation (nail, plate, prosthesis…).</summary>
    Fixation,
    /// <summary>Spinal decompression (laminectomy, decompressive surgery).</summary>
    Decompression,
    /// <summary>Resection of the lesion (excision, vertebrectomy, curettage).</summary>
    Resection,
    /// <summary>Vertebral augmentation (vertebroplasty, kyphoplasty).</summary>
    Cementoplasty,
    /// <summary>Another operation on the bone, coded as surgery without saying which.</summary>
    OtherSurgery,
    /// <summary>A course of radiotherapy (makes a new course a re-irradiation).</summary>
    Radiotherapy,
    /// <summary>A biopsy: never opens a post-operative window.</summary>
    Biopsy,
}

/// <summary>A completed procedure on a bone metastasis or a compression.</summary>
public sealed record ProcedureFacts
{
    /// <summary>Opaque identifier (e.g. <c>Procedure/fixation</c>).</summary>
    public required string Id { get; init; }

    /// <summary>What was done.</summary>
    public required ProcedureKind Kind { get; init; }

    /// <summary>Human-readable name, e.g. "intramedullary nail".</summary>
    public string Label { get; init; } = "";

    /// <summary>When it was done, as precise as the record holds it; missing when undated.</summary>
    public Fact<PartialDate> PerformedOn { get; init; } = Fact<PartialDate>.Missing;

    /// <summary>Lesions and compressions the procedure was for (their ids); empty when the record does not say.</summary>
    public IReadOnlyList<string> TargetIds { get; init; } = [];

    /// <summary>Is the skin healed since this operation (documented on or after it)?</summary>
    public Fact<bool> SkinHealed { get; init; } = Fact<bool>.Missing;

    /// <summary>Total dose delivered in Gy, for a radiotherapy course, when the record gives it.</summary>
    public decimal? DoseGy { get; init; }

    /// <summary>Number of fractions delivered, for a radiotherapy course, when the record gives it.</summary>
    public int? Fractions { get; init; }

    /// <summary>True for an operation on the bone (it opens the post-operative window of §1.4).</summary>
    /// <remarks>Vertebral augmentation and biopsy are not: the guideline's adjuvant radiotherapy follows surgery on a
    /// metastasis (microscopic residual disease, hardware), which neither leaves.</remarks>
    public bool IsSurgery => Kind is ProcedureKind.Fixation or ProcedureKind.Decompression or ProcedureKind.Resection or ProcedureKind.OtherSurgery;
}
