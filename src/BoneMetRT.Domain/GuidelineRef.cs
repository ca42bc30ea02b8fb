namespace BoneMetRT.Domain;

/// <summary>
/// Where a rule comes from: the section of the French guideline (the seed) and of the English specification
/// (<c>docs/guideline.md</c>), and whether the fact is from the seed, the AURA continuation or the literature.
/// </summary>
/// <param name="SeedSection">Section of the French guideline, e.g. "1.2"; empty when the rule is not in the seed.</param>
/// <param name="SpecSection">Section of guideline.md, e.g. "§2".</param>
/// <param name="Source">"seed", "AURA" or "lit".</param>
/// <param name="Title">Short bilingual title of the section.</param>
public sealed record GuidelineRef(string SeedSection, string SpecSection, string Source, LocalizedText Title)
{
    /// <summary>A compact citation such as "guideline §1.2 (spec §2)".</summary>
    public string Cite => SeedSection.Length > 0
        ? $"guideline §{SeedSection} (spec {SpecSection}, {Source})"
        : $"spec {SpecSection} ({Source})";

    /// <summary>Anchor of the section in the repository's specification, for links in user interfaces.</summary>
    public string SpecAnchor => SpecSection.TrimStart('§');
}

/// <summary>Every guideline section the engine cites, in one place so a reader finds a rule by its section.</summary>
public static class Sections
{
    /// <summary>§1 five clinical situations.</summary>
    public static readonly GuidelineRef Situations = new("1", "§1", "seed", new("Five clinical situations", "Cinq situations cliniques types"));
    /// <summary>§1.1 pain.</summary>
    public static readonly GuidelineRef Pain = new("1.1", "§1", "seed", new("Treatment of pain", "Traitement de la douleur"));
    /// <summary>§1.2 prevention of morbidity, Mirels score (Table 3).</summary>
    public static readonly GuidelineRef Mirels = new("1.2", "§2", "seed", new("Prevention of morbidity — Mirels score (Table 3)", "Prévention de la morbidité — score de Mirels (tableau 3)"));
    /// <summary>§1.2 cortical-osteolysis rule.</summary>
    public static readonly GuidelineRef CorticalLysis = new("1.2", "§2", "seed", new("Cortical osteolysis and consolidation surgery", "Ostéolyse corticale et chirurgie de consolidation"));
    /// <summary>§1.2 fracture risk by band (Mirels 1989).</summary>
    public static readonly GuidelineRef MirelsRisk = new("", "§2", "lit: Mirels 1989", new("Fracture risk by Mirels band", "Risque fracturaire par classe de Mirels"));
    /// <summary>§1.3 spinal cord compression, Rades score (Table 4).</summary>
    public static readonly GuidelineRef Rades = new("1.3", "§3", "seed", new("Vertebral metastasis with spinal cord compression — Rades score (Table 4)", "Métastase vertébrale avec compression médullaire — score de Rades (tableau 4)"));
    /// <summary>Ambulatory rates by Rades group (2011 validation).</summary>
    public static readonly GuidelineRef RadesRisk = new("", "§3", "lit: Rades 2011", new("Ambulatory rate after radiotherapy by Rades group", "Taux de maintien ambulatoire par groupe de Rades"));
    /// <summary>§1.4 post-operative adjuvant radiotherapy.</summary>
    public static readonly GuidelineRef PostOperative = new("1.4", "§4", "seed", new("Post-operative adjuvant treatment", "Traitement adjuvant post-opératoire"));
    /// <summary>§1.5 oligometastatic disease.</summary>
    public static readonly GuidelineRef Oligometastatic = new("1.5", "§5", "seed", new("Oligometastases, ablative intent", "Oligo-métastases à visée ablative"));
    /// <summary>§2 dose and fractionation (seed).</summary>
    public static readonly GuidelineRef DoseFractionation = new("2", "§6", "seed", new("Dose and fractionation", "Dose et fractionnement"));
    /// <summary>Regimen choice by situation (AURA continuation).</summary>
    public static readonly GuidelineRef RegimenChoice = new("", "§6", "AURA", new("Regimen choice by situation", "Choix du schéma selon la situation"));
    /// <summary>§2.1 target volumes.</summary>
    public static readonly GuidelineRef TargetVolume = new("2.1", "§6", "seed", new("Conformal radiotherapy — target volumes", "Radiothérapie conformationnelle — volumes cibles"));
    /// <summary>§2.1 spinal-cord dose and radiobiological equivalence.</summary>
    public static readonly GuidelineRef CordDose = new("2.1", "§6", "seed", new("Spinal-cord dose, α/β = 0.87 Gy", "Dose à la moelle épinière, α/β = 0,87 Gy"));
    /// <summary>Known discrepancies between the seed and the literature.</summary>
    public static readonly GuidelineRef Discrepancies = new("", "§7", "spec", new("Known discrepancies", "Divergences connues"));
    /// <summary>Missing and conflicting data policy.</summary>
    public static readonly GuidelineRef MissingData = new("", "§8", "spec", new("Missing and conflicting data", "Données manquantes et contradictoires"));
}
