using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;
using static BoneMetRT.Fhir.Tests.Builders.PatientBundle;

namespace BoneMetRT.Fhir.Tests.Builders;

/// <summary>Small patients for the response tests; expected scores worked out from guideline §2 and §3.</summary>
public static class Scenarios
{
    /// <summary>A built patient and the resources tests point at.</summary>
    public sealed record Case(PatientBundle B, Condition? Lesion, Condition? Mscc, IReadOnlyList<Observation> Items);

    /// <summary>Mirels for a long-bone lesion with the four items sent explicitly (site derived from bodySite).</summary>
    public static Case Mirels(string bodySite, string size, string type, string pain, PatientBundle? into = null, string id = "met")
    {
        var b = into ?? PatientBundle.WithPatient();
        if (into is null)
        {
            b.Condition("primary", CodeSystems.Snomed, "254837009", "2020-01-10");
        }

        var lesion = b.Lesion(id, bodySite);
        Observation[] items =
        [
            b.Item(id + "-size", "mirels-size", Answer(size), lesion, "2026-03-10"),
            b.Item(id + "-type", "lesion-type", Answer(type), lesion, "2026-03-10"),
            b.Item(id + "-pain", "mirels-pain", Answer(pain), lesion, "2026-03-10"),
        ];
        return new(b, lesion, null, items);
    }

    /// <summary>Mirels 7 (humerus 1 + 2 + lytic 3 + mild 1): radiotherapy alone, ≈ 4 %.</summary>
    public static Case Mirels7() => Mirels("85050009", "one-to-two-thirds", "lytic", "mild");

    /// <summary>Mirels 8 (femur 2 + 2 + mixed 2 + moderate 2): tumour board, ≈ 15 %.</summary>
    public static Case Mirels8() => Mirels("71341001", "one-to-two-thirds", "mixed", "moderate");

    /// <summary>Mirels 10 (proximal femur 3 + 2 + lytic 3 + moderate 2): fixation, ≈ 33 %.</summary>
    public static Case Mirels10() => Mirels("310651003", "one-to-two-thirds", "lytic", "moderate");

    /// <summary>
    /// Rades for a T10 compression linked to its lesion. Defaults give group III: breast 8 + &gt; 15 months 8 + no visceral
    /// 8 + ambulatory without aid 10 + 21 days 9 = 43.
    /// </summary>
    public static Case Rades(string primarySystem = CodeSystems.Snomed, string primaryCode = "254837009", string primaryOnset = "2019-06-03",
        bool? visceral = false, string ambulatory = "ambulatory-without-aid", decimal deficitDays = 21, PatientBundle? into = null)
    {
        var b = into ?? PatientBundle.WithPatient();
        b.Condition("primary", primarySystem, primaryCode, primaryOnset);
        var t10 = b.Lesion("t10", "7610001", "T10");
        var mscc = b.Mscc("mscc", "2026-03-09", t10, "7610001", "T10");
        var items = new List<Observation>();
        if (visceral is { } v)
        {
            items.Add(b.Item("visceral", "visceral-metastases", new FhirBoolean(v), effective: "2026-03-10"));
        }

        items.Add(b.Item("ambulatory", "ambulatory-status", Answer(ambulatory), effective: "2026-03-10"));
        items.Add(b.Item("deficit", "motor-deficit-duration", Qty(deficitDays, "d"), effective: "2026-03-10"));
        return new(b, t10, mscc, items);
    }

    /// <summary>Rades 22, group I: colorectal 6 + ≤ 15 months 6 + liver metastases 5 + paraplegic 1 + 3 days 4.</summary>
    public static Case RadesGroup1()
    {
        var b = PatientBundle.WithPatient();
        b.Condition("liver", CodeSystems.Icd10, "C78.7");
        return Rades(CodeSystems.Icd10, "C20", "2025-08-20", visceral: null, ambulatory: "paraplegic", deficitDays: 3, into: b);
    }

    /// <summary>Rades 32, group II: NSCLC 5 + ≤ 15 months 6 + brain metastases 5 + with aid 9 + 10 days 7.</summary>
    public static Case RadesGroup2()
    {
        var b = PatientBundle.WithPatient();
        b.Condition("brain", CodeSystems.Snomed, "94225005");
        return Rades(CodeSystems.Snomed, "254637007", "2025-11-03", visceral: null, ambulatory: "ambulatory-with-aid", deficitDays: 10, into: b);
    }

    /// <summary>Left femur nailed on 2026-02-26, skin healed: post-operative window 2026-03-13 → 2026-03-19.</summary>
    public static Case PostOperativeFemur(bool? skinHealed = true)
    {
        var b = PatientBundle.WithPatient();
        b.Condition("primary", CodeSystems.Snomed, "254837009", "2021-05-01");
        var femur = b.Lesion("femur", "71341001", "left femur");
        var nail = b.Surgery("nail", femur, "2026-02-26");
        var items = new List<Observation>();
        if (skinHealed is { } healed)
        {
            items.Add(b.Item("skin", "skin-healed", new FhirBoolean(healed), nail, "2026-03-15"));
        }

        return new(b, femur, null, items);
    }

    /// <summary>A T10 compression (Rades group III) and a femoral lesion scoring Mirels 8: two scores.</summary>
    public static Case RadesAndMirels()
    {
        var rades = Rades();
        Mirels("71341001", "one-to-two-thirds", "mixed", "moderate", rades.B, "femur");
        return rades;
    }

    /// <summary>A painful, analgesic-refractory rib lesion: situation pain, 8 Gy/1 preferred with corticosteroid cover.</summary>
    public static Case PainfulRib()
    {
        var b = PatientBundle.WithPatient();
        b.Condition("primary", CodeSystems.Snomed, "254837009", "2020-01-10");
        var rib = b.Lesion("rib", "113197003", "right 7th rib");
        Observation[] items =
        [
            b.Item("refractory", "analgesic-refractory-pain", new FhirBoolean(true), rib, "2026-03-12"),
            b.LoincObservation("pain", PainScoreLoinc, new Integer(7), effective: "2026-03-12"),
        ];
        return new(b, rib, null, items);
    }
}
