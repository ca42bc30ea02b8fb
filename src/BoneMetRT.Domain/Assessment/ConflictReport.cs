using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Scoring;

namespace BoneMetRT.Domain.Assessment;

/// <summary>
/// Every conflicting item is reported, whether a score or a regimen choice depends on it (guideline §8). Rules report the
/// conflicts they stop on; this pass names the rest (neuropathic pain, performance status, epidural extension…), which
/// the engine then treats as unknown.
/// </summary>
internal static class ConflictReport
{
    public static void AddUnreported(PatientFacts patient, List<Finding> findings)
    {
        var conflicts = findings.Where(f => f.Kind == FindingKind.ConflictingItem).ToList();
        var reported = conflicts.Select(f => (f.Item, f.SubjectId)).ToHashSet();
        var reportedItems = conflicts.Select(f => f.Item).ToHashSet();
        void Check<T>(Fact<T> fact, string item, string? subject, LocalizedText what)
        {
            // A patient-wide item is reported once, whichever compression's score stopped on it first.
            if (fact.State != FactState.Conflicting || (subject is null && reportedItems.Contains(item)) || !reported.Add((item, subject)))
            {
                return;
            }

            reportedItems.Add(item);

            // guideline §8: a conflict is "reported as an error for that item", whatever rule reads the item.
            findings.Add(new(Severity.Error, FindingKind.ConflictingItem, item, subject, new(
                $"Item {item} ({what.En}) has contradicting values (same date, or an explicit statement older than the record it contradicts): the engine does not choose and treats it as unknown; resolve it in the record.",
                $"L'item {item} ({what.Fr}) a des valeurs contradictoires (même date, ou une donnée explicite plus ancienne que celle qu'elle contredit) : le moteur ne choisit pas et le considère comme inconnu ; le corriger dans le dossier."),
                Sections.MissingData, fact.Sources));
        }

        Check(patient.PrimaryTumour, ItemCodes.PrimaryTumourType, null, new("primary tumour", "tumeur primitive"));
        Check(patient.VisceralMetastases, ItemCodes.VisceralMetastases, null, new("visceral metastases", "métastases viscérales"));
        Check(patient.AnalgesicRefractoryPain, ItemCodes.AnalgesicRefractoryPain, null, new("pain resistant to analgesics", "douleur résistante aux antalgiques"));
        Check(patient.NeuropathicPain, ItemCodes.NeuropathicPain, null, new("neuropathic pain", "douleur neuropathique"));
        Check(patient.PainScore, ItemCodes.PainScore, null, new("pain intensity", "intensité douloureuse"));
        Check(patient.Performance, ItemCodes.PerformanceStatus, null, new("performance status; the regimen is chosen without it", "état général ; le schéma est choisi sans lui"));
        foreach (var l in patient.Lesions)
        {
            Check(l.Site, ItemCodes.MirelsSite, l.Id, new("Mirels site", "site (Mirels)"));
            Check(l.Size, ItemCodes.MirelsSize, l.Id, new("Mirels size", "taille (Mirels)"));
            Check(l.Type, ItemCodes.LesionType, l.Id, new("lesion type", "type de lésion"));
            Check(l.Pain, ItemCodes.MirelsPain, l.Id, new("Mirels pain", "douleur (Mirels)"));
            Check(l.CorticalLysisAxial, ItemCodes.CorticalLysisAxial, l.Id, new("axial cortical lysis", "ostéolyse corticale axiale"));
            Check(l.CorticalLysisCircumferential, ItemCodes.CorticalLysisCircumferential, l.Id, new("circumferential cortical lysis", "ostéolyse corticale circonférentielle"));
            Check(l.WellDefined, ItemCodes.LesionWellDefined, l.Id, new("well delimited on imaging", "bien délimitée en imagerie"));
            Check(l.EpiduralExtension, ItemCodes.EpiduralExtension, l.Id, new("epidural extension; the target volume says both options", "épidurite ; le volume cible donne les deux options"));
            Check(l.AnalgesicRefractoryPain, ItemCodes.AnalgesicRefractoryPain, l.Id, new("pain resistant to analgesics", "douleur résistante aux antalgiques"));
            Check(l.NeuropathicPain, ItemCodes.NeuropathicPain, l.Id, new("neuropathic pain", "douleur neuropathique"));
            Check(l.PathologicalFracture, ItemCodes.PathologicalFracture, l.Id, new("established pathological fracture", "fracture pathologique constituée"));
        }

        foreach (var c in patient.Compressions)
        {
            Check(c.Ambulatory, ItemCodes.AmbulatoryStatus, c.Id, new("motor function", "fonction motrice"));
            Check(c.MotorDeficitDays, ItemCodes.MotorDeficitDuration, c.Id, new("time developing the motor deficit", "délai d'installation du déficit"));
        }

        foreach (var p in patient.Procedures)
        {
            Check(p.PerformedOn, "performed", p.Id, new("date of the procedure", "date de l'intervention"));
            Check(p.SkinHealed, ItemCodes.SkinHealed, p.Id, new("skin healed", "cicatrisation cutanée"));
        }
    }
}
