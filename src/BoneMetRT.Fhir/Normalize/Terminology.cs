using BoneMetRT.Domain.Facts;

namespace BoneMetRT.Fhir.Normalize;

/// <summary>Code systems and the code tables that map standard clinical codes to the engine's inputs.</summary>
/// <remarks>
/// The contract (docs/fhir-contract.md §2) lists what each input may be coded with. Lesion, primary-cancer and bone-site
/// codes are matched by the shipped expansions of the package's value sets (<see cref="ShippedValueSets"/>: SNOMED CT
/// descendants listed there, ICD codes by category); the other tables below are still matched here, SNOMED CT codes
/// exactly (no terminology server), ICD-10 codes by prefix of the category.
/// </remarks>
public static class Terminology
{
    /// <summary>SNOMED "secondary malignant neoplasm of bone".</summary>
    public const string BoneMetastasisSnomed = "94222008";
    /// <summary>SNOMED "secondary malignant neoplastic disease" (mCODE's secondary cancer, its site in bodySite).</summary>
    public const string SecondaryNeoplasmSnomed = "128462008";
    /// <summary>SNOMED "radiotherapy course" (used on ServiceRequests).</summary>
    public const string RadiotherapyCourseSnomed = "1217123003";
    /// <summary>LOINC pain severity 0–10.</summary>
    public const string PainScoreLoinc = "72514-3";
    /// <summary>LOINC ECOG performance status.</summary>
    public const string EcogLoinc = "89247-1";
    /// <summary>LOINC Karnofsky performance status.</summary>
    public const string KarnofskyLoinc = "89243-0";

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
        system == CodeSystems.Snomed && code is not null && ProcedureSnomed.TryGetValue(code, out var kind) ? kind : null;

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
        (system == CodeSystems.Snomed && code == PathologicalFractureSnomed) || (IsIcd(system) && HasPrefix(code, PathologicalFractureIcd));

    /// <summary>True when the coding is a bone metastasis: a code of the shipped ValueSet <c>bone-metastasis-codes</c>.</summary>
    public static bool IsBoneMetastasis(string? system, string? code) => ShippedValueSets.BoneMetastasis.Contains(system, code);

    /// <summary>True when the coding is a secondary malignant neoplasm whose site is in bodySite (ValueSet <c>secondary-neoplasm-codes</c>).</summary>
    public static bool IsSecondaryNeoplasm(string? system, string? code) => ShippedValueSets.SecondaryNeoplasm.Contains(system, code);

    /// <summary>True when the coding is a spinal cord compression.</summary>
    public static bool IsSpinalCordCompression(string? system, string? code) =>
        (system == CodeSystems.Snomed && code is not null && MsccSnomed.Contains(code)) || (IsIcd(system) && HasPrefix(code, MsccIcd));

    /// <summary>The organ when the coding is a visceral secondary malignant neoplasm, else null.</summary>
    public static string? VisceralOrgan(string? system, string? code)
    {
        if (system == CodeSystems.Snomed && code is not null && VisceralSnomed.TryGetValue(code, out var organ))
        {
            return organ;
        }

        return IsIcd(system) && HasPrefix(code, VisceralIcd) ? code : null;
    }

    /// <summary>Outcome of mapping a primary-cancer code.</summary>
    public enum PrimaryMatch { NotAPrimary, Mapped, LungUnspecified }

    /// <summary>Maps a primary-cancer coding to the Rades primary type, by the shipped <c>primary-cancer-*</c> value sets.</summary>
    public static (PrimaryMatch Match, PrimaryTumourType Type) Primary(string? system, string? code)
    {
        foreach (var (set, type) in ShippedValueSets.Primaries)
        {
            if (set.Contains(system, code))
            {
                return (PrimaryMatch.Mapped, type);
            }
        }

        return ShippedValueSets.LungUnspecified.Contains(system, code) ? (PrimaryMatch.LungUnspecified, default) : (PrimaryMatch.NotAPrimary, default);
    }

    /// <summary>True when a coding says small-cell morphology (resolves an ICD-10 C34 lung primary).</summary>
    public static bool IsSmallCellMorphology(string? system, string? code) =>
        code is not null && ((system == CodeSystems.Snomed && SmallCellMorphologySnomed.Contains(code)) || code == "8041/3");

    /// <summary>The bone a SNOMED body-site code designates, or null when not recognised.</summary>
    public static BoneSite? Bone(string? system, string? code) =>
        system == CodeSystems.Snomed && code is not null && ShippedValueSets.BoneSites.TryGetValue(code.Trim(), out var site) ? site : null;

    private static bool IsIcd(string? system) => IsIcdFamily(system);

    /// <summary>True for ICD-10, ICD-10-CM and CIM-10: codes hierarchical by their characters.</summary>
    internal static bool IsIcdFamily(string? system) => system is CodeSystems.Icd10 or CodeSystems.Icd10Cm or CodeSystems.Cim10;

    private static bool HasPrefix(string? code, string[] prefixes) =>
        code is not null && prefixes.Any(p => code.StartsWith(p, StringComparison.OrdinalIgnoreCase));
}
