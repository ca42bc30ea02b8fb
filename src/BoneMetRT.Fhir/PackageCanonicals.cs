namespace BoneMetRT.Fhir;

/// <summary>Canonical URLs of everything BoneMetRT defines (docs/fhir-contract.md; fhir-profiles/).</summary>
public static class PackageCanonicals
{
    /// <summary>Canonical base.</summary>
    public const string Base = "https://bonemetrt.org/fhir";
    /// <summary>Profile URL of a StructureDefinition id.</summary>
    public static string Profile(string id) => $"{Base}/StructureDefinition/{id}";

    /// <summary>Score Observation profile.</summary>
    public static readonly string ScoreProfile = Profile("bonemet-score");
    /// <summary>Mirels RiskAssessment profile.</summary>
    public static readonly string MirelsRiskProfile = Profile("bonemet-mirels-risk");
    /// <summary>Rades RiskAssessment profile.</summary>
    public static readonly string RadesRiskProfile = Profile("bonemet-rades-risk");
    /// <summary>CarePlan profile.</summary>
    public static readonly string CarePlanProfile = Profile("bonemet-careplan");
    /// <summary>Radiotherapy ServiceRequest profile.</summary>
    public static readonly string RadiotherapyRequestProfile = Profile("bonemet-radiotherapy-request");
    /// <summary>RequestGroup profile: a lesion's radiotherapy course, its regimens to choose from and the step before it.</summary>
    public static readonly string RequestGroupProfile = Profile("bonemet-request-group");
    /// <summary>Extension: regimen total dose and fractions (after CodeX RT dose-planned-to-volume).</summary>
    public static readonly string RegimenDoseExtension = Profile("regimen-dose");
    /// <summary>Extension: preferred or alternative regimen.</summary>
    public static readonly string RegimenPreferenceExtension = Profile("regimen-preference");
    /// <summary>Extension: palliative or ablative intent of a proposed course (after mCODE procedure-intent, as CodeX RT uses it).</summary>
    public static readonly string TreatmentIntentExtension = Profile("treatment-intent");
    /// <summary>Extension on CarePlan.activity: the recommendation code of the activity.</summary>
    public static readonly string ActivityRecommendationExtension = Profile("activity-recommendation");
    /// <summary>The assess OperationDefinition.</summary>
    public const string AssessOperation = Base + "/OperationDefinition/assess";
    /// <summary>The guideline as a CPG-on-FHIR PlanDefinition (fhir-profiles/PlanDefinition-bone-metastasis-radiotherapy.json).</summary>
    public const string PlanDefinition = Base + "/PlanDefinition/" + PlanDefinitionId;
    /// <summary>Id of the guideline's PlanDefinition.</summary>
    public const string PlanDefinitionId = "bone-metastasis-radiotherapy";
    /// <summary>The $apply OperationDefinition.</summary>
    public const string ApplyOperation = Base + "/OperationDefinition/apply";
    /// <summary>The ActivityDefinition of a regimen or recommendation code (its id is the code).</summary>
    public static string ActivityDefinition(string code) => $"{Base}/ActivityDefinition/{code}";
    /// <summary>HL7 translation extension, carrying the other language of a text.</summary>
    public const string TranslationExtension = "http://hl7.org/fhir/StructureDefinition/translation";
    /// <summary>HL7 risk-probability code system.</summary>
    public const string RiskProbability = "http://terminology.hl7.org/CodeSystem/risk-probability";
}
