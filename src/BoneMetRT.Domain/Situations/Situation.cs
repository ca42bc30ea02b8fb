namespace BoneMetRT.Domain.Situations;

/// <summary>The five clinical situations of the guideline.</summary>
/// <remarks>Seed §1 "On distingue 5 situations cliniques types"; guideline.md §1.</remarks>
public enum Situation
{
    /// <summary>§1.1 painful, uncomplicated bone metastasis resistant to analgesics.</summary>
    Pain,
    /// <summary>§1.2 long-bone lesion with fracture risk.</summary>
    FracturePrevention,
    /// <summary>§1.3 vertebral metastasis with spinal cord compression.</summary>
    Mscc,
    /// <summary>§1.4 after surgery on a bone metastasis.</summary>
    Postoperative,
    /// <summary>§1.5 1–3 bone sites, ablative intent.</summary>
    Oligometastatic,
}

/// <summary>Codes, names and sections of the situations.</summary>
public static class SituationInfo
{
    /// <summary>Contract code of a situation.</summary>
    public static string Code(this Situation s) => s switch
    {
        Situation.Pain => "pain",
        Situation.FracturePrevention => "fracture-prevention",
        Situation.Mscc => "mscc",
        Situation.Postoperative => "postoperative",
        _ => "oligometastatic",
    };

    /// <summary>Name of a situation.</summary>
    public static LocalizedText Name(this Situation s) => s switch
    {
        Situation.Pain => new("Treatment of pain", "Traitement de la douleur"),
        Situation.FracturePrevention => new("Prevention of morbidity (fracture risk)", "Prévention de la morbidité (risque fracturaire)"),
        Situation.Mscc => new("Vertebral metastasis with spinal cord compression", "Métastase vertébrale avec compression médullaire"),
        Situation.Postoperative => new("Post-operative adjuvant treatment", "Traitement adjuvant post-opératoire"),
        _ => new("Oligometastases, ablative intent", "Oligo-métastases à visée ablative"),
    };

    /// <summary>Guideline section of a situation.</summary>
    public static GuidelineRef Reference(this Situation s) => s switch
    {
        Situation.Pain => Sections.Pain,
        Situation.FracturePrevention => Sections.Mirels,
        Situation.Mscc => Sections.Rades,
        Situation.Postoperative => Sections.PostOperative,
        _ => Sections.Oligometastatic,
    };
}

/// <summary>A situation the patient (or one lesion) is in, and why.</summary>
/// <param name="Situation">The situation.</param>
/// <param name="SubjectId">Lesion, compression or surgery concerned; null when patient-wide.</param>
/// <param name="Rationale">Why the engine detected it.</param>
public sealed record SituationFinding(Situation Situation, string? SubjectId, LocalizedText Rationale)
{
    /// <summary>Guideline section.</summary>
    public GuidelineRef Reference => Situation.Reference();
}
