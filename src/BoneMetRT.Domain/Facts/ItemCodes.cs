namespace BoneMetRT.Domain.Facts;

/// <summary>
/// The codes of the engine's input items and scores, as the BoneMetRT code system and the FHIR contract spell them
/// (docs/fhir-contract.md §2): the readers match Observations by them, findings name the item by them, the validator
/// picks the profile by them.
/// </summary>
public static class ItemCodes
{
    /// <summary><c>mirels-site</c>.</summary>
    public const string MirelsSite = "mirels-site";
    /// <summary><c>mirels-size</c>.</summary>
    public const string MirelsSize = "mirels-size";
    /// <summary><c>lesion-type</c>.</summary>
    public const string LesionType = "lesion-type";
    /// <summary><c>mirels-pain</c>.</summary>
    public const string MirelsPain = "mirels-pain";
    /// <summary><c>cortical-lysis-axial</c>.</summary>
    public const string CorticalLysisAxial = "cortical-lysis-axial";
    /// <summary><c>cortical-lysis-circumferential</c>.</summary>
    public const string CorticalLysisCircumferential = "cortical-lysis-circumferential";
    /// <summary><c>lesion-well-defined</c>.</summary>
    public const string LesionWellDefined = "lesion-well-defined";
    /// <summary><c>epidural-extension</c>.</summary>
    public const string EpiduralExtension = "epidural-extension";
    /// <summary><c>analgesic-refractory-pain</c>.</summary>
    public const string AnalgesicRefractoryPain = "analgesic-refractory-pain";
    /// <summary><c>neuropathic-pain</c>.</summary>
    public const string NeuropathicPain = "neuropathic-pain";
    /// <summary><c>pain-score</c>.</summary>
    public const string PainScore = "pain-score";
    /// <summary><c>performance-status</c>.</summary>
    public const string PerformanceStatus = "performance-status";
    /// <summary><c>primary-tumour-type</c>.</summary>
    public const string PrimaryTumourType = "primary-tumour-type";
    /// <summary><c>interval-to-mscc</c>.</summary>
    public const string IntervalToMscc = "interval-to-mscc";
    /// <summary><c>visceral-metastases</c>.</summary>
    public const string VisceralMetastases = "visceral-metastases";
    /// <summary><c>ambulatory-status</c>.</summary>
    public const string AmbulatoryStatus = "ambulatory-status";
    /// <summary><c>motor-deficit-duration</c>.</summary>
    public const string MotorDeficitDuration = "motor-deficit-duration";
    /// <summary><c>pathological-fracture</c>.</summary>
    public const string PathologicalFracture = "pathological-fracture";
    /// <summary><c>skin-healed</c>.</summary>
    public const string SkinHealed = "skin-healed";
    /// <summary><c>prior-radiotherapy</c>.</summary>
    public const string PriorRadiotherapy = "prior-radiotherapy";
    /// <summary><c>mirels-score</c>.</summary>
    public const string MirelsScore = "mirels-score";
    /// <summary><c>rades-score</c>.</summary>
    public const string RadesScore = "rades-score";
}
