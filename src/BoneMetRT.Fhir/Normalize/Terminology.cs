using BoneMetRT.Domain.Facts;

namespace BoneMetRT.Fhir.Normalize;

/// <summary>Code systems and the code tables that map standard clinical codes to the engine's inputs.</summary>
/// <remarks>
/// The contract (docs/fhir-contract.md §2) lists what each input may be coded with. SNOMED CT codes are matched
/// exactly (no subsumption: the service has no terminology server); ICD-10 codes by prefix of the category.
/// </remarks>
public static class Terminology
{
    // The code-system URLs live at the library's root (CodeSystems), where the OperationOutcome and the validator read
    // them too; the readers and their tests name them here, beside the code tables they belong to.
    /// <summary>SNOMED CT.</summary>
    public const string Snomed = CodeSystems.Snomed;
    /// <summary>ICD-10 (WHO).</summary>
    public const string Icd10 = CodeSystems.Icd10;
    /// <summary>ICD-10-CM.</summary>
    public const string Icd10Cm = CodeSystems.Icd10Cm;
    /// <summary>LOINC.</summary>
    public const string Loinc = CodeSystems.Loinc;
    /// <summary>UCUM.</summary>
    public const string Ucum = CodeSystems.Ucum;
    /// <summary>BoneMetRT's own code system.</summary>
    public const string BoneMet = CodeSystems.BoneMet;
    /// <summary>HL7 condition clinical status.</summary>
    public const string ConditionClinical = CodeSystems.ConditionClinical;
    /// <summary>HL7 condition verification status.</summary>
    public const string ConditionVerification = CodeSystems.ConditionVerification;

    /// <summary>SNOMED "secondary malignant neoplasm of bone".</summary>
    public const string BoneMetastasisSnomed = "94222008";
    /// <summary>SNOMED "radiotherapy course" (used on ServiceRequests).</summary>
    public const string RadiotherapyCourseSnomed = "1217123003";
    /// <summary>LOINC pain severity 0–10.</summary>
    public const string PainScoreLoinc = "72514-3";
    /// <summary>LOINC ECOG performance status.</summary>
    public const string EcogLoinc = "89247-1";
    /// <summary>LOINC Karnofsky performance status.</summary>
    public const string KarnofskyLoinc = "89243-0";

    /// <summary>ICD-10 codes of a bone metastasis.</summary>
    private static readonly string[] BoneMetastasisIcd = ["C79.5", "C795"];

    /// <summary>SNOMED codes of a spinal cord compression.</summary>
    /// <remarks>Checked against public code lists (2026-03). 24300002 and 1230324002 (written from memory) could not be
    /// confirmed anywhere and were removed; no pre-coordinated "metastatic spinal cord compression" concept was found.</remarks>
    private static readonly HashSet<string> MsccSnomed =
    [
        "71286001", // Compression of spinal cord (disorder), paired with ICD-10-CM G95.20 in public code lists
    ];

    /// <summary>ICD-10 prefixes of a spinal cord compression (G95.2 cord compression, unspecified).</summary>
    private static readonly string[] MsccIcd = ["G95.2", "G952"];

    /// <summary>SNOMED codes of a visceral secondary malignant neoplasm.</summary>
    /// <remarks>94168004 (adrenal), 94365004 (kidney) and 94160006 (peritoneum) were unconfirmed and replaced or removed;
    /// no SNOMED code for a peritoneal secondary was confirmed (ICD-10 C78.6 still matches through <see cref="VisceralIcd"/>).</remarks>
    private static readonly Dictionary<string, string> VisceralSnomed = new()
    {
        ["94381002"] = "liver",              // Secondary malignant neoplasm of liver (Metastatic malignant neoplasm to liver)
        ["94391008"] = "lung",               // Secondary malignant neoplasm of lung
        ["94375005"] = "lung",               // Secondary malignant neoplasm of left lower lobe of lung
        ["94376006"] = "lung",               // Secondary malignant neoplasm of left upper lobe of lung
        ["94522007"] = "lung",               // Secondary malignant neoplasm of right lower lobe of lung
        ["94523002"] = "lung",               // Secondary malignant neoplasm of right middle lobe of lung
        ["94524008"] = "lung",               // Secondary malignant neoplasm of right upper lobe of lung
        ["353561000119103"] = "lung",        // Secondary malignant neoplasm of right lung
        ["353741000119106"] = "lung",        // Secondary malignant neoplasm of left lung
        ["285604008"] = "lung",              // Metastasis to lung of unknown primary
        ["94225005"] = "brain",              // Secondary malignant neoplasm of brain (Metastatic malignant neoplasm to brain)
        ["94161006"] = "adrenal gland",      // Secondary malignant neoplasm of adrenal gland
        ["94360002"] = "kidney",             // Secondary malignant neoplasm of kidney
        ["94493005"] = "pleura",             // Secondary malignant neoplasm of pleura
    };

    /// <summary>ICD-10 prefixes of visceral secondary neoplasms (C78.x respiratory and digestive organs; C79.0 kidney, C79.1 bladder, C79.3 brain, C79.6 ovary, C79.7 adrenal).</summary>
    private static readonly string[] VisceralIcd = ["C78", "C79.0", "C79.1", "C79.3", "C79.6", "C79.7", "C790", "C791", "C793", "C796", "C797"];

    /// <summary>SNOMED primary-cancer codes → Rades primary type.</summary>
    private static readonly Dictionary<string, PrimaryTumourType> PrimarySnomed = new()
    {
        ["254837009"] = PrimaryTumourType.Breast,          // Malignant neoplasm of breast
        ["372064008"] = PrimaryTumourType.Breast,          // Malignant neoplasm of female breast (reported inactive in recent releases; still found in records)
        ["408643008"] = PrimaryTumourType.Breast,          // Infiltrating duct carcinoma of breast
        ["399068003"] = PrimaryTumourType.Prostate,        // Malignant tumor of prostate
        ["109989006"] = PrimaryTumourType.MyelomaLymphoma, // Multiple myeloma
        ["118600007"] = PrimaryTumourType.MyelomaLymphoma, // Malignant lymphoma
        ["118599009"] = PrimaryTumourType.MyelomaLymphoma, // Hodgkin's disease (Hodgkin lymphoma)
        ["118601006"] = PrimaryTumourType.MyelomaLymphoma, // Non-Hodgkin's lymphoma
        ["254637007"] = PrimaryTumourType.Nsclc,           // Non-small cell lung cancer
        ["254626006"] = PrimaryTumourType.Nsclc,           // Adenocarcinoma of lung
        ["254629004"] = PrimaryTumourType.Nsclc,           // Large cell carcinoma of lung
        ["254634000"] = PrimaryTumourType.Nsclc,           // Squamous cell carcinoma of lung
        ["723301009"] = PrimaryTumourType.Nsclc,           // Squamous non-small cell lung cancer
        ["424132000"] = PrimaryTumourType.Nsclc,           // Non-small cell carcinoma of lung, TNM stage 1
        ["425048006"] = PrimaryTumourType.Nsclc,           // Non-small cell carcinoma of lung, TNM stage 2
        ["422968005"] = PrimaryTumourType.Nsclc,           // Non-small cell carcinoma of lung, TNM stage 3
        ["423121009"] = PrimaryTumourType.Nsclc,           // Non-small cell carcinoma of lung, TNM stage 4
        ["703228009"] = PrimaryTumourType.Nsclc,           // Non-small cell lung cancer with mutation in epidermal growth factor receptor
        ["703230006"] = PrimaryTumourType.Nsclc,           // Non-small cell lung cancer without mutation in epidermal growth factor receptor
        ["830151004"] = PrimaryTumourType.Nsclc,           // Anaplastic lymphoma kinase fusion oncogene positive non-small cell lung cancer
        ["830055006"] = PrimaryTumourType.Nsclc,           // Anaplastic lymphoma kinase fusion oncogene negative non-small cell lung cancer
        ["254632001"] = PrimaryTumourType.Sclc,            // Small cell carcinoma of lung
        ["254633006"] = PrimaryTumourType.Sclc,            // Oat cell carcinoma of lung
        ["683991000119103"] = PrimaryTumourType.Sclc,      // Extensive stage primary small cell carcinoma of lung
        ["67811000119102"] = PrimaryTumourType.Sclc,       // Primary small cell malignant neoplasm of lung, TNM stage 1
        ["67821000119109"] = PrimaryTumourType.Sclc,       // Primary small cell malignant neoplasm of lung, TNM stage 2
        ["67831000119107"] = PrimaryTumourType.Sclc,       // Primary small cell malignant neoplasm of lung, TNM stage 3
        ["67841000119103"] = PrimaryTumourType.Sclc,       // Primary small cell malignant neoplasm of lung, TNM stage 4
        ["255052006"] = PrimaryTumourType.UnknownPrimary,  // Malignant tumor of unknown origin (cancer of unknown primary)
        ["363518003"] = PrimaryTumourType.Kidney,          // Malignant tumor of kidney
        ["702391001"] = PrimaryTumourType.Kidney,          // Renal cell carcinoma
        ["363406005"] = PrimaryTumourType.Colorectal,      // Malignant tumor of colon
        ["93761005"] = PrimaryTumourType.Colorectal,       // Primary malignant neoplasm of colon
        ["363351006"] = PrimaryTumourType.Colorectal,      // Malignant tumor of rectum
        ["363414004"] = PrimaryTumourType.Colorectal,      // Malignant tumor of rectosigmoid junction
    };

    /// <summary>SNOMED lung-cancer codes that do not say small-cell or not: the engine must not guess.</summary>
    private static readonly HashSet<string> LungUnspecifiedSnomed =
    [
        "363358000", // Malignant tumor of lung
        "93880001",  // Primary malignant neoplasm of lung
        "254625005", // Malignant tumor of lung parenchyma
        "254628007", // Carcinoma of lung parenchyma
        "448993007", // Malignant epithelial neoplasm of lung
    ];

    /// <summary>SNOMED morphology of small-cell carcinoma (on Condition.stage or an extension is rare; accepted in code/bodySite-free evidence).</summary>
    /// <remarks>The ICD-O-3 code 8041/3 is not a SNOMED code; <see cref="IsSmallCellMorphology"/> accepts it on its own.</remarks>
    private static readonly HashSet<string> SmallCellMorphologySnomed =
    [
        "74364000", // Small cell carcinoma (morphologic abnormality)
    ];

    /// <summary>What a body-site code tells: the kind of bone, for long bones the Mirels site, for a vertebra its level.</summary>
    /// <param name="Kind">Kind of bone.</param>
    /// <param name="MirelsSite">Mirels site of a long bone.</param>
    /// <param name="Label">Name of the bone.</param>
    /// <param name="Level">Vertebral level (C1–L5) when the code names one vertebra; null for a region or another bone.</param>
    public sealed record BoneSite(BoneKind Kind, MirelsSite? MirelsSite, string Label, string? Level = null);

    /// <summary>SNOMED body sites.</summary>
    /// <remarks>Checked against DICOM CID 4031, the mCODE radiotherapy treatment-location value set (TG263), the eHDSI body
    /// site value set and the DICOM/TotalSegmentator segment codes (2026-03). Removed as wrong or unconfirmed: 52734007 (is
    /// "Total hip replacement", a procedure), 65538002 and 19723001 (unconfirmed); relabelled: 14806007 is the atlas (C1),
    /// 11068009 the T8 vertebra, 29627003 the neck of the femur.</remarks>
    private static readonly Dictionary<string, BoneSite> BoneSitesSnomed = new()
    {
        // Upper limb long bones.
        ["85050009"] = new(BoneKind.LongBone, MirelsSite.UpperLimb, "humerus"),            // Bone structure of humerus
        ["62413002"] = new(BoneKind.LongBone, MirelsSite.UpperLimb, "radius"),             // Bone structure of radius
        ["23416004"] = new(BoneKind.LongBone, MirelsSite.UpperLimb, "ulna"),               // Bone structure of ulna
        ["299701004"] = new(BoneKind.LongBone, MirelsSite.UpperLimb, "bone of forearm"),   // Structure of bone of forearm
        // Lower limb long bones.
        ["71341001"] = new(BoneKind.LongBone, MirelsSite.LowerLimb, "femur"),              // Bone structure of femur
        ["41111004"] = new(BoneKind.LongBone, MirelsSite.LowerLimb, "shaft of femur"),     // Bone structure of shaft of femur
        ["310652005"] = new(BoneKind.LongBone, MirelsSite.LowerLimb, "distal femur"),      // Bone structure of distal femur
        ["12611008"] = new(BoneKind.LongBone, MirelsSite.LowerLimb, "tibia"),              // Bone structure of tibia
        ["87342007"] = new(BoneKind.LongBone, MirelsSite.LowerLimb, "fibula"),             // Bone structure of fibula
        ["702468001"] = new(BoneKind.LongBone, MirelsSite.LowerLimb, "bone of lower leg"), // Bone structure of lower leg
        // Proximal femur / trochanteric region: Mirels "peritrochanteric".
        ["310651003"] = new(BoneKind.LongBone, MirelsSite.Peritrochanteric, "proximal femur"),           // Bone structure of proximal femur
        ["29627003"] = new(BoneKind.LongBone, MirelsSite.Peritrochanteric, "neck of femur"),             // Structure of neck of femur
        ["30547004"] = new(BoneKind.LongBone, MirelsSite.Peritrochanteric, "greater trochanter of femur"), // Structure of greater trochanter of femur
        ["182047004"] = new(BoneKind.LongBone, MirelsSite.Peritrochanteric, "trochanter of femur"),      // Trochanter of femur (one source only)
        // Vertebral column, regions and vertebrae.
        ["421060004"] = new(BoneKind.Vertebra, null, "vertebral column"),     // Structure of vertebral column (DICOM "Spine")
        ["51282000"] = new(BoneKind.Vertebra, null, "vertebra"),              // Bone structure of spine (DICOM "Vertebra")
        ["3572006"] = new(BoneKind.Vertebra, null, "vertebral body"),         // Structure of body of vertebra
        ["122494005"] = new(BoneKind.Vertebra, null, "cervical spine"),       // Cervical spine structure
        ["122495006"] = new(BoneKind.Vertebra, null, "thoracic spine"),       // Thoracic spine structure
        ["122496007"] = new(BoneKind.Vertebra, null, "lumbar spine"),         // Lumbar spine structure
        ["84667006"] = new(BoneKind.Vertebra, null, "cervical vertebra"),     // Bone structure of cervical vertebra
        ["35769007"] = new(BoneKind.Vertebra, null, "thoracic vertebra"),     // Bone structure of thoracic vertebra
        ["73903008"] = new(BoneKind.Vertebra, null, "lumbar vertebra"),       // Bone structure of lumbar vertebra
        ["14806007"] = new(BoneKind.Vertebra, null, "C1 vertebra (atlas)", "C1"),   // Bone structure of atlas
        ["39976000"] = new(BoneKind.Vertebra, null, "C2 vertebra (axis)", "C2"),    // Bone structure of axis
        ["113205007"] = new(BoneKind.Vertebra, null, "C3 vertebra", "C3"),          // C3 vertebra (DICOM)
        ["5329002"] = new(BoneKind.Vertebra, null, "C4 vertebra", "C4"),            // C4 vertebra (DICOM)
        ["36978003"] = new(BoneKind.Vertebra, null, "C5 vertebra", "C5"),           // C5 vertebra (DICOM)
        ["36054005"] = new(BoneKind.Vertebra, null, "C6 vertebra", "C6"),           // C6 vertebra (DICOM)
        ["87391001"] = new(BoneKind.Vertebra, null, "C7 vertebra", "C7"),           // C7 vertebra (DICOM)
        ["64864005"] = new(BoneKind.Vertebra, null, "T1 vertebra", "T1"),           // T1 vertebra (DICOM)
        ["53733008"] = new(BoneKind.Vertebra, null, "T2 vertebra", "T2"),           // T2 vertebra (DICOM)
        ["1626008"] = new(BoneKind.Vertebra, null, "T3 vertebra", "T3"),            // T3 vertebra (DICOM)
        ["73071006"] = new(BoneKind.Vertebra, null, "T4 vertebra", "T4"),           // T4 vertebra (DICOM)
        ["56401006"] = new(BoneKind.Vertebra, null, "T5 vertebra", "T5"),           // T5 vertebra (DICOM)
        ["45296009"] = new(BoneKind.Vertebra, null, "T6 vertebra", "T6"),           // T6 vertebra (DICOM)
        ["62487009"] = new(BoneKind.Vertebra, null, "T7 vertebra", "T7"),           // T7 vertebra (DICOM)
        ["11068009"] = new(BoneKind.Vertebra, null, "T8 vertebra", "T8"),           // T8 vertebra (DICOM)
        ["82687006"] = new(BoneKind.Vertebra, null, "T9 vertebra", "T9"),           // T9 vertebra (DICOM)
        ["7610001"] = new(BoneKind.Vertebra, null, "T10 vertebra", "T10"),           // T10 vertebra (DICOM)
        ["12989004"] = new(BoneKind.Vertebra, null, "T11 vertebra", "T11"),          // T11 vertebra (DICOM)
        ["23215003"] = new(BoneKind.Vertebra, null, "T12 vertebra", "T12"),          // T12 vertebra (DICOM)
        ["66794005"] = new(BoneKind.Vertebra, null, "L1 vertebra", "L1"),           // L1 vertebra (DICOM)
        ["14293000"] = new(BoneKind.Vertebra, null, "L2 vertebra", "L2"),           // L2 vertebra (DICOM)
        ["36470004"] = new(BoneKind.Vertebra, null, "L3 vertebra", "L3"),           // L3 vertebra (DICOM)
        ["11994002"] = new(BoneKind.Vertebra, null, "L4 vertebra", "L4"),           // L4 vertebra (DICOM)
        ["49668003"] = new(BoneKind.Vertebra, null, "L5 vertebra", "L5"),           // L5 vertebra (DICOM)
        ["91116008"] = new(BoneKind.Vertebra, null, "body of C3 vertebra", "C3"),   // Structure of body of third cervical vertebra
        ["14705001"] = new(BoneKind.Vertebra, null, "body of C4 vertebra", "C4"),   // Structure of body of fourth cervical vertebra
        ["67479001"] = new(BoneKind.Vertebra, null, "body of C5 vertebra", "C5"),   // Structure of body of fifth cervical vertebra
        ["88298007"] = new(BoneKind.Vertebra, null, "body of C6 vertebra", "C6"),   // Structure of body of sixth cervical vertebra
        ["16126006"] = new(BoneKind.Vertebra, null, "body of C7 vertebra", "C7"),   // Structure of body of seventh cervical vertebra
        ["56094003"] = new(BoneKind.Vertebra, null, "body of T1 vertebra", "T1"),   // Structure of body of first thoracic vertebra
        ["50060007"] = new(BoneKind.Vertebra, null, "body of T2 vertebra", "T2"),   // Structure of body of second thoracic vertebra
        ["73138009"] = new(BoneKind.Vertebra, null, "body of T3 vertebra", "T3"),   // Structure of body of third thoracic vertebra
        ["86197001"] = new(BoneKind.Vertebra, null, "body of T4 vertebra", "T4"),   // Structure of body of fourth thoracic vertebra
        ["6105006"] = new(BoneKind.Vertebra, null, "body of T5 vertebra", "T5"),    // Structure of body of fifth thoracic vertebra
        ["32430008"] = new(BoneKind.Vertebra, null, "body of T6 vertebra", "T6"),   // Structure of body of sixth thoracic vertebra
        ["71737002"] = new(BoneKind.Vertebra, null, "body of T7 vertebra", "T7"),   // Structure of body of seventh thoracic vertebra
        ["77435000"] = new(BoneKind.Vertebra, null, "body of T8 vertebra", "T8"),   // Structure of body of eighth thoracic vertebra
        ["33766003"] = new(BoneKind.Vertebra, null, "body of T9 vertebra", "T9"),   // Structure of body of ninth thoracic vertebra
        ["48405002"] = new(BoneKind.Vertebra, null, "body of T10 vertebra", "T10"),  // Structure of body of tenth thoracic vertebra
        ["52120002"] = new(BoneKind.Vertebra, null, "body of T11 vertebra", "T11"),  // Structure of body of eleventh thoracic vertebra
        ["280849005"] = new(BoneKind.Vertebra, null, "body of T12 vertebra", "T12"), // Entire body of twelfth thoracic vertebra
        ["61032001"] = new(BoneKind.Vertebra, null, "body of L1 vertebra", "L1"),   // Structure of body of first lumbar vertebra
        ["53983007"] = new(BoneKind.Vertebra, null, "body of L2 vertebra", "L2"),   // Structure of body of second lumbar vertebra
        ["55492004"] = new(BoneKind.Vertebra, null, "body of L3 vertebra", "L3"),   // Structure of body of third lumbar vertebra
        ["71996003"] = new(BoneKind.Vertebra, null, "body of L4 vertebra", "L4"),   // Structure of body of fourth lumbar vertebra
        ["21799000"] = new(BoneKind.Vertebra, null, "body of L5 vertebra", "L5"),   // Structure of body of fifth lumbar vertebra
        // Sacrum: a vertebral level for target volumes (S1–S5, guideline §6 "one vertebra above and one below"). No
        // SNOMED code per sacral segment was confirmed in public lists, so the level comes from the text (e.g. "S1-S2").
        ["54735007"] = new(BoneKind.Vertebra, null, "sacrum"),                // Bone structure of sacrum
        ["699698002"] = new(BoneKind.Vertebra, null, "sacral vertebral column"), // Structure of sacral vertebral column
        // Flat and other bones. The coccyx is not a level the target-volume rule counts.
        ["12921003"] = new(BoneKind.Other, null, "pelvis"),                   // Structure of pelvis
        ["118645006"] = new(BoneKind.Other, null, "bony pelvis"),             // Structure of innominate bone and/or sacrum and/or coccyx
        ["28254004"] = new(BoneKind.Other, null, "innominate bone"),          // Innominate bone structure
        ["22356005"] = new(BoneKind.Other, null, "ilium"),                    // Bone structure of ilium
        ["85710004"] = new(BoneKind.Other, null, "ischium"),                  // Bone structure of ischium
        ["66040006"] = new(BoneKind.Other, null, "pubis"),                    // Bone structure of pubis
        ["37783008"] = new(BoneKind.Other, null, "acetabulum"),               // Bone structure of acetabulum
        ["64688005"] = new(BoneKind.Other, null, "coccyx"),                   // Bone structure of coccyx
        ["113197003"] = new(BoneKind.Other, null, "rib"),                     // Bone structure of rib
        ["79601000"] = new(BoneKind.Other, null, "scapula"),                  // Bone structure of scapula
        ["51299004"] = new(BoneKind.Other, null, "clavicle"),                 // Bone structure of clavicle
        ["56873002"] = new(BoneKind.Other, null, "sternum"),                  // Bone structure of sternum
        ["89546000"] = new(BoneKind.Other, null, "skull"),                    // Bone structure of cranium (DICOM "Skull")
        ["91609006"] = new(BoneKind.Other, null, "mandible"),                 // Bone structure of mandible
    };

    /// <summary>SNOMED "pathological fracture (disorder)".</summary>
    public const string PathologicalFractureSnomed = "268029009";

    /// <summary>ICD-10 / ICD-10-CM prefixes of a pathological fracture.</summary>
    /// <remarks>Checked against public code lists (2026-12): M84.4 "Pathological fracture, not elsewhere classified"
    /// (ICD-10 and ICD-10-CM), M84.5 "Pathological fracture in neoplastic disease" (ICD-10-CM; its M84.5- subcodes carry
    /// the site). Both only count on the bone of a counted lesion, where the fracture is the metastasis's.</remarks>
    private static readonly string[] PathologicalFractureIcd = ["M84.4", "M84.5", "M844", "M845"];

    /// <summary>SNOMED procedure codes → what kind of procedure was done.</summary>
    /// <remarks>
    /// Checked against public code lists (2026-12), with where each was found:
    /// radiotherapy 1217123003 "Radiotherapy course of treatment" (CodeX RT / mCODE course summary), 108290001 "Radiation
    /// oncology AND/OR radiotherapy" (mCODE category), 33195004 "Teleradiotherapy procedure" (external beam, mCODE value
    /// set), 385798007 "Radiation therapy care" and 1287742003 "Radiotherapy" (public FHIR templates); fixation 118470002
    /// "Internal skeletal fixation", 257833000/257834006/257835007 "Internal fixation using staple/screw/plate" and
    /// 274478003 "Nailing" (DICOM CID 7310), 52734007 "Total hip replacement" (a prosthesis); decompression 387731002
    /// "Laminectomy" and 5765005 "Decompression of spinal cord"; vertebral augmentation 392010000 "Percutaneous
    /// vertebroplasty", 429616001 "Percutaneous kyphoplasty"; biopsy 86273004 "Biopsy", 116014002 "Excisional biopsy of
    /// bone"; surgery without saying which 387713003 "Surgical procedure".
    /// Not confirmed in any public list, kept because the project's own examples send it: 257836008, which they display
    /// as "Internal fixation using intramedullary nail" (it sits in the 25783x "Internal fixation using …" family above).
    /// No SNOMED code for a vertebrectomy, corpectomy or curettage of a bone metastasis was confirmed: those are read
    /// from the text (<see cref="ProcedureKindFromText"/>).
    /// </remarks>
    private static readonly Dictionary<string, ProcedureKind> ProcedureSnomed = new()
    {
        ["1217123003"] = ProcedureKind.Radiotherapy,  // Radiotherapy course of treatment (regime/therapy)
        ["108290001"] = ProcedureKind.Radiotherapy,   // Radiation oncology AND/OR radiotherapy (procedure)
        ["33195004"] = ProcedureKind.Radiotherapy,    // Teleradiotherapy procedure (external beam)
        ["385798007"] = ProcedureKind.Radiotherapy,   // Radiation therapy care (regime/therapy)
        ["1287742003"] = ProcedureKind.Radiotherapy,  // Radiotherapy (procedure)
        ["118470002"] = ProcedureKind.Fixation,       // Internal skeletal fixation
        ["257833000"] = ProcedureKind.Fixation,       // Internal fixation using staple
        ["257834006"] = ProcedureKind.Fixation,       // Internal fixation using screw
        ["257835007"] = ProcedureKind.Fixation,       // Internal fixation using plate
        ["257836008"] = ProcedureKind.Fixation,       // (unconfirmed) Internal fixation using intramedullary nail, as the examples display it
        ["274478003"] = ProcedureKind.Fixation,       // Nailing
        ["52734007"] = ProcedureKind.Fixation,        // Total hip replacement (prosthesis)
        ["387731002"] = ProcedureKind.Decompression,  // Laminectomy
        ["5765005"] = ProcedureKind.Decompression,    // Decompression of spinal cord
        ["392010000"] = ProcedureKind.Cementoplasty,  // Percutaneous vertebroplasty
        ["429616001"] = ProcedureKind.Cementoplasty,  // Percutaneous kyphoplasty
        ["86273004"] = ProcedureKind.Biopsy,          // Biopsy
        ["116014002"] = ProcedureKind.Biopsy,         // Excisional biopsy of bone
        ["387713003"] = ProcedureKind.OtherSurgery,   // Surgical procedure (also the usual Procedure.category of surgery)
    };

    /// <summary>
    /// Words of a procedure's text that name its kind, in the order they are tried (a "biopsy" that also says "excision"
    /// is a biopsy; "vertebroplasty" is augmentation, not fixation). Read only when no coding is recognised: a code says
    /// what was done, a text may not, so a text that names none of these is not read. Short words that occur inside
    /// unrelated ones ("plate" in "platelet", "nail") are left out on purpose.
    /// </summary>
    private static readonly (ProcedureKind Kind, string[] Words)[] ProcedureWords =
    [
        (ProcedureKind.Radiotherapy, ["radiotherap", "radiothérap", "radiation therap", "irradiation", "sbrt", "stereotactic body radi"]),
        (ProcedureKind.Biopsy, ["biops"]),
        (ProcedureKind.Cementoplasty, ["vertebroplast", "kyphoplast", "cementoplast"]),
        (ProcedureKind.Decompression, ["laminectom", "decompress"]),
        (ProcedureKind.Resection, ["vertebrectom", "corpectom", "spondylectom", "curettage", "resection", "excision", "exérèse", "ablation tumorale"]),
        (ProcedureKind.Fixation, ["fixation", "osteosynth", "ostéosynth", "intramedullary", "centromédullaire", "enclouage", "nailing", "prosthe", "prothès", "arthroplast"]),
    ];

    /// <summary>The kind of procedure a SNOMED code says, or null when the code is not in the table.</summary>
    public static ProcedureKind? ProcedureKindOf(string? system, string? code) =>
        system == Snomed && code is not null && ProcedureSnomed.TryGetValue(code, out var kind) ? kind : null;

    /// <summary>The kind of procedure a free text names (see <see cref="ProcedureWords"/>), or null.</summary>
    public static ProcedureKind? ProcedureKindFromText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var lower = text.ToLowerInvariant();
        foreach (var (kind, words) in ProcedureWords)
        {
            if (words.Any(w => lower.Contains(w, StringComparison.Ordinal)))
            {
                return kind;
            }
        }

        return null;
    }

    /// <summary>True when the coding is a pathological fracture (SNOMED 268029009, ICD-10 M84.4 / M84.5).</summary>
    public static bool IsPathologicalFracture(string? system, string? code) =>
        (system == Snomed && code == PathologicalFractureSnomed) || (IsIcd(system) && HasPrefix(code, PathologicalFractureIcd));

    /// <summary>True when the coding is a bone metastasis (SNOMED 94222008 or ICD-10 C79.5).</summary>
    public static bool IsBoneMetastasis(string? system, string? code) =>
        (system == Snomed && code == BoneMetastasisSnomed) || (IsIcd(system) && HasPrefix(code, BoneMetastasisIcd));

    /// <summary>True when the coding is a spinal cord compression.</summary>
    public static bool IsSpinalCordCompression(string? system, string? code) =>
        (system == Snomed && code is not null && MsccSnomed.Contains(code)) || (IsIcd(system) && HasPrefix(code, MsccIcd));

    /// <summary>The organ when the coding is a visceral secondary malignant neoplasm, else null.</summary>
    public static string? VisceralOrgan(string? system, string? code)
    {
        if (system == Snomed && code is not null && VisceralSnomed.TryGetValue(code, out var organ))
        {
            return organ;
        }

        return IsIcd(system) && HasPrefix(code, VisceralIcd) ? code : null;
    }

    /// <summary>Outcome of mapping a primary-cancer code.</summary>
    public enum PrimaryMatch { NotAPrimary, Mapped, LungUnspecified }

    /// <summary>Maps a primary-cancer coding to the Rades primary type.</summary>
    public static (PrimaryMatch Match, PrimaryTumourType Type) Primary(string? system, string? code)
    {
        if (code is null)
        {
            return (PrimaryMatch.NotAPrimary, default);
        }

        if (system == Snomed)
        {
            if (PrimarySnomed.TryGetValue(code, out var t))
            {
                return (PrimaryMatch.Mapped, t);
            }

            return LungUnspecifiedSnomed.Contains(code) ? (PrimaryMatch.LungUnspecified, default) : (PrimaryMatch.NotAPrimary, default);
        }

        if (!IsIcd(system))
        {
            return (PrimaryMatch.NotAPrimary, default);
        }

        var c = code.ToUpperInvariant();
        if (c.StartsWith("C50", StringComparison.Ordinal)) return (PrimaryMatch.Mapped, PrimaryTumourType.Breast);
        if (c.StartsWith("C61", StringComparison.Ordinal)) return (PrimaryMatch.Mapped, PrimaryTumourType.Prostate);
        if (c.StartsWith("C90", StringComparison.Ordinal) || c.StartsWith("C88", StringComparison.Ordinal)) return (PrimaryMatch.Mapped, PrimaryTumourType.MyelomaLymphoma);
        if (c.Length >= 3 && c[0] == 'C' && int.TryParse(c.AsSpan(1, 2), out var n) && n is >= 81 and <= 86) return (PrimaryMatch.Mapped, PrimaryTumourType.MyelomaLymphoma);
        if (c.StartsWith("C34", StringComparison.Ordinal)) return (PrimaryMatch.LungUnspecified, default);
        if (c.StartsWith("C64", StringComparison.Ordinal)) return (PrimaryMatch.Mapped, PrimaryTumourType.Kidney);
        if (c.StartsWith("C18", StringComparison.Ordinal) || c.StartsWith("C19", StringComparison.Ordinal) || c.StartsWith("C20", StringComparison.Ordinal)) return (PrimaryMatch.Mapped, PrimaryTumourType.Colorectal);
        if (c.StartsWith("C80", StringComparison.Ordinal)) return (PrimaryMatch.Mapped, PrimaryTumourType.UnknownPrimary);
        // Any other primary malignant neoplasm is "other" in the Rades table: C00–C76, the leukaemias and other
        // haematopoietic neoplasms C91–C96, and ICD-10-CM's C4A (Merkel cell) and C7A (neuroendocrine). Not C77–C79
        // (secondaries), C7B (secondary neuroendocrine) nor C97 (several independent primaries: the type is unknown).
        if (c.StartsWith("C4A", StringComparison.Ordinal) || c.StartsWith("C7A", StringComparison.Ordinal)) return (PrimaryMatch.Mapped, PrimaryTumourType.Other);
        if (c.Length >= 3 && c[0] == 'C' && int.TryParse(c.AsSpan(1, 2), out var m) && (m <= 76 || m is >= 91 and <= 96)) return (PrimaryMatch.Mapped, PrimaryTumourType.Other);
        return (PrimaryMatch.NotAPrimary, default);
    }

    /// <summary>True when a coding says small-cell morphology (resolves an ICD-10 C34 lung primary).</summary>
    public static bool IsSmallCellMorphology(string? system, string? code) =>
        code is not null && ((system == Snomed && SmallCellMorphologySnomed.Contains(code)) || code == "8041/3");

    /// <summary>The bone a SNOMED body-site code designates, or null when not recognised.</summary>
    public static BoneSite? Bone(string? system, string? code) =>
        system == Snomed && code is not null && BoneSitesSnomed.TryGetValue(code, out var site) ? site : null;

    private static bool IsIcd(string? system) => system is Icd10 or Icd10Cm;

    private static bool HasPrefix(string? code, string[] prefixes) =>
        code is not null && prefixes.Any(p => code.StartsWith(p, StringComparison.OrdinalIgnoreCase));
}
