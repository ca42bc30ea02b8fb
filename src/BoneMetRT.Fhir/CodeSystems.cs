namespace BoneMetRT.Fhir;

/// <summary>The URLs of the code systems the service reads and writes.</summary>
/// <remarks>
/// At the root of the library because every layer needs them: Normalize matches input codes, Denormalize and the
/// OperationOutcome write BoneMetRT codes, Validation checks them.
/// </remarks>
public static class CodeSystems
{
    /// <summary>SNOMED CT.</summary>
    public const string Snomed = "http://snomed.info/sct";
    /// <summary>ICD-10 (WHO).</summary>
    public const string Icd10 = "http://hl7.org/fhir/sid/icd-10";
    /// <summary>ICD-10-CM.</summary>
    public const string Icd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";
    /// <summary>The French CIM-10 (ATIH, PMSI), under the system of the Agence du numérique en santé's terminology server.</summary>
    public const string Cim10 = "https://smt.esante.gouv.fr/terminologie-cim-10";
    /// <summary>LOINC.</summary>
    public const string Loinc = "http://loinc.org";
    /// <summary>UCUM.</summary>
    public const string Ucum = "http://unitsofmeasure.org";
    /// <summary>BoneMetRT's own code system.</summary>
    public const string BoneMet = "https://bonemetrt.org/fhir/CodeSystem/bonemet";
    /// <summary>HL7 condition clinical status.</summary>
    public const string ConditionClinical = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    /// <summary>HL7 condition verification status.</summary>
    public const string ConditionVerification = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
}
