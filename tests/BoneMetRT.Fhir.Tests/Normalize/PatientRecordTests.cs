using BoneMetRT.Domain.Facts;
using BoneMetRT.Fhir.Tests.Builders;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;
using static BoneMetRT.Fhir.Tests.Builders.Normalized;
using static BoneMetRT.Fhir.Tests.Builders.PatientBundle;

namespace BoneMetRT.Fhir.Tests.Normalize;

/// <summary>
/// A record as an EHR holds it (issue 9): several metastases, two compressions, a fracture, old and new findings,
/// several procedures of different kinds, partial dates, a suspected lesion and resources dated after the assessment.
/// The whole patient model is checked at once, and every resource is either used or reported with its reason.
/// </summary>
public sealed class PatientRecordTests
{
    [Fact]
    public void A_multi_lesion_record_becomes_one_model_of_the_patient()
    {
        var b = PatientBundle.WithPatient();
        var primary = b.Condition("primary", CodeSystems.Snomed, "254837009", "2025");                   // diagnosed "2025": kept partial
        var t4 = b.Lesion("t4", "73071006", "T4 vertebra");
        var l2 = b.Lesion("l2", "421060004", "Lumbar spine, L2");
        var femur = b.Lesion("femur", "71341001", "left femur");
        var sacrum = b.Lesion("sacrum", "54735007", "Sacrum, S1");
        var suspected = b.Lesion("rib", "113197003", "right 7th rib");
        suspected.VerificationStatus = new CodeableConcept(CodeSystems.ConditionVerification, "provisional");
        var msccT4 = b.Mscc("mscc-t4", "2026-03-02", bodySite: "73071006", siteText: "T4");
        var msccL2 = b.Mscc("mscc-l2", "2026-03", bodySite: "14293000");                      // L2 by code, month only
        var fracture = b.Fracture("fracture", "71341001", lesion: femur);
        var liver = b.Condition("liver", CodeSystems.Snomed, "94381002", onset: "2026-02-10");
        var visceralNo = b.Item("visceral", "visceral-metastases", new FhirBoolean(false), effective: "2025-01-20");
        var rt = b.Procedure("rt-t4", "1217123003", t4, "2025-06-02");
        var biopsy = b.Procedure("biopsy", "86273004", femur, "2026-02-20");
        var nail = b.Surgery("nail", femur, "2026-03-11");
        var decompression = b.Procedure("decompression", "387731002", null, "2026-03-05", bodySite: "14293000");
        var plannedRt = b.Procedure("rt-planned", "1217123003", sacrum, "2026-03-20");
        var skinBefore = b.Item("skin-before", "skin-healed", new FhirBoolean(true), femur, "2026-03-01");
        var refractory = b.Item("refractory", "analgesic-refractory-pain", new FhirBoolean(true), effective: "2026-03-12");
        var ambulatory = b.Item("amb", "ambulatory-status", Answer("ambulatory-with-aid"), effective: "2026-03-12");
        var paraplegic = b.Item("amb-l2", "ambulatory-status", Answer("paraplegic"), msccL2, "2026-03-13");
        var futurePain = b.Item("pain-future", "mirels-pain", Answer("functional"), femur, "2026-03-30");
        var ecog = b.LoincObservation("ecog", EcogLoinc, new Integer(2), effective: "2026-03-12");

        var result = Run(b);

        var facts = result.Value!.Facts;
        // Lesions: four counted, each with its level; the suspected rib is not one.
        Assert.Equal([b.Key(t4), b.Key(l2), b.Key(femur), b.Key(sacrum)], facts.Lesions.Select(l => l.Id));
        Assert.Equal(["T4", "L2", null, "S1"], facts.Lesions.Select(l => l.Level));
        Assert.Equal(BoneKind.Vertebra, Lesion(facts, b.Key(sacrum)).Kind);
        Present(Lesion(facts, b.Key(femur)).PathologicalFracture, true, b.Key(fracture));
        Missing(Lesion(facts, b.Key(femur)).Pain);
        // Two compressions, each at its own level and lesion, each with its own motor function.
        var c4 = Compression(facts, b.Key(msccT4));
        var c2 = Compression(facts, b.Key(msccL2));
        Assert.Equal(("T4", b.Key(t4)), (c4.Level, c4.LesionId));
        Assert.Equal(("L2", b.Key(l2)), (c2.Level, c2.LesionId));
        Present(c4.Ambulatory, AmbulatoryStatus.AmbulatoryWithAid, b.Key(ambulatory));
        Present(c2.Ambulatory, AmbulatoryStatus.Paraplegic, b.Key(paraplegic));
        Present(c2.Onset, PartialDate.Month(2026, 3), b.Key(msccL2));
        // Patient items: partial diagnosis date, conflicting visceral status, patient-level pain kept on the patient.
        Present(facts.PrimaryDiagnosisDate, PartialDate.Year(2025), b.Key(primary));
        Conflict(facts.VisceralMetastases, b.Key(visceralNo), b.Key(liver));
        Present(facts.AnalgesicRefractoryPain, true, b.Key(refractory));
        Assert.All(facts.Lesions, l => Missing(l.AnalgesicRefractoryPain));
        Present(facts.Performance, new PerformanceStatus(PerformanceScale.Ecog, 2), b.Key(ecog));
        // Procedures: typed, dated, targeted; the planned course is in the future.
        Assert.Equal(4, facts.Procedures.Count);
        Assert.Equal((ProcedureKind.Radiotherapy, b.Key(t4)), (Procedure(facts, b.Key(rt)).Kind, Procedure(facts, b.Key(rt)).TargetIds.Single()));
        Assert.Equal(ProcedureKind.Biopsy, Procedure(facts, b.Key(biopsy)).Kind);
        Assert.Equal(ProcedureKind.Fixation, Procedure(facts, b.Key(nail)).Kind);
        Missing(Procedure(facts, b.Key(nail)).SkinHealed);
        // The decompression's bodySite (L2 vertebra code) shares no code with the L2 lesion (generic spine code + text),
        // but is the L2 compression's: it targets the compression, which belongs to the L2 lesion's site.
        Assert.Equal((ProcedureKind.Decompression, b.Key(msccL2)), (Procedure(facts, b.Key(decompression)).Kind, Procedure(facts, b.Key(decompression)).TargetIds.Single()));
        // Every resource not used is reported, with its reason.
        Assert.Contains("verificationStatus 'provisional'", Ignored(result.Issues, b.Expr(suspected)).Text.En, StringComparison.Ordinal);
        Assert.Contains("after the assessment date", Ignored(result.Issues, b.Expr(plannedRt)).Text.En, StringComparison.Ordinal);
        Assert.Contains("after the assessment date", Ignored(result.Issues, b.Expr(futurePain)).Text.En, StringComparison.Ordinal);
        Assert.Contains("before the operation", Ignored(result.Issues, b.Expr(skinBefore)).Text.En, StringComparison.Ordinal);
        var ignored = result.Issues.Where(i => i.Code == "ignored-resource").SelectMany(i => i.Expressions).ToHashSet();
        Assert.Equal(new Resource[] { suspected, plannedRt, futurePain, skinBefore }.Select(r => b.Expr(r)).ToHashSet(), ignored);
        Assert.DoesNotContain(result.Issues, i => i.IsError);
        Assert.All(result.Issues.Where(i => i.Code == "ignored-resource"), i => Assert.StartsWith("Ignoré : ", i.Text.Fr, StringComparison.Ordinal));
    }
}
