using System.Globalization;
using BoneMetRT.Domain;
using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Regimens;
using BoneMetRT.Domain.Situations;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;

namespace BoneMetRT.Fhir.Denormalize;

/// <summary>
/// One radiotherapy ServiceRequest (profile bonemet-radiotherapy-request) per regimen of a recommendation; the
/// choice between them and their order relative to other steps live in the recommendation's RequestGroup.
/// </summary>
internal sealed class RadiotherapyRequestBuilder(DenormalizeContext c)
{
    public Bundle.EntryComponent Build(Recommendation rec, RegimenOption option, int n)
    {
        var r = option.Regimen;
        var sr = new ServiceRequest
        {
            InstantiatesCanonical = [PackageCanonicals.ActivityDefinition(option.Regimen.Code)],
            Status = rec.OnHold ? RequestStatus.OnHold : RequestStatus.Draft,
            Intent = RequestIntent.Proposal,
            // CodeX Radiation Therapy: the category says radiotherapy, code the course as a whole; what kind of course
            // (the regimen) and the guidance for it are orderDetail items.
            Category = [Concept(CodeSystems.Snomed, RadiotherapyOrderDetails.RadiotherapyCategorySnomed, "Radiotherapy (procedure)", new("Radiotherapy", "Radiothérapie"))],
            Priority = rec.Urgent ? RequestPriority.Urgent : RequestPriority.Routine,
            Code = Concept(CodeSystems.Snomed, RadiotherapyCourseSnomed, "Radiotherapy course of treatment", new("Radiotherapy course", "Cure de radiothérapie")),
            OrderDetail = [Concept(CodeSystems.BoneMet, r.Code, r.Name.En, r.Name)],
            Subject = c.PatientRef,
            AuthoredOn = c.When.Value,
            Requester = new ResourceReference(c.DeviceUrl),
            BodySite = [.. SiteOf(rec.SubjectId)],
        };
        sr.Extension.Add(new Extension(PackageCanonicals.RegimenPreferenceExtension, new Code(option.Preferred ? "preferred" : "alternative")));
        sr.Extension.Add(new Extension
        {
            Url = PackageCanonicals.RegimenDoseExtension,
            Extension =
            [
                new Extension("totalDose", new Quantity(r.TotalDoseGy, "Gy", CodeSystems.Ucum) { Unit = "Gy" }),
                new Extension("fractions", new PositiveInt(r.Fractions)),
            ],
        });
        sr.Extension.Add(new Extension(PackageCanonicals.TreatmentIntentExtension, r.Technique == Technique.Sbrt
            ? Concept(CodeSystems.BoneMet, RadiotherapyOrderDetails.AblativeIntent, "Ablative intent", new("Ablative", "Ablative"))
            : Concept(CodeSystems.Snomed, RadiotherapyOrderDetails.PalliativeIntentSnomed, "Palliative - procedure intent", new("Palliative", "Palliative"))));
        if (c.IsCondition(rec.SubjectId))
        {
            sr.ReasonReference.Add(c.Ref(rec.SubjectId!));
        }

        if (c.RiskOf(rec.SubjectId) is { } risk)
        {
            sr.SupportingInfo.Add(new ResourceReference(risk));
        }

        if (rec.Window is { Start: { } start, End: { } end })
        {
            sr.Occurrence = new Period(new FhirDateTime(start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), new FhirDateTime(end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        // The guidance is coded (the package's target-volume and cord-eqd2 codes) so that a tool finds it by code; the
        // narrative still says it in words.
        var guidance = new List<LocalizedText>();
        if (rec.TargetVolume is { } tv)
        {
            guidance.Add(new LocalizedText($"Target volume: {tv.Text.En}", $"Volume cible : {tv.Text.Fr}"));
            sr.OrderDetail.Add(Concept(CodeSystems.BoneMet, RadiotherapyOrderDetails.TargetVolume, "Target volume guidance", tv.Text));
        }

        if (option.Cord is { } cord)
        {
            guidance.Add(cord.Text);
            sr.OrderDetail.Add(Concept(CodeSystems.BoneMet, RadiotherapyOrderDetails.CordEqd2, "Spinal cord EQD2", cord.Text));
        }

        var notes = new List<LocalizedText> { option.Why };
        if (rec.OnHold)
        {
            notes.Add(HoldText(rec));
        }

        // The order relative to surgery or the tumour board is no longer a note here: it is the relatedAction of the
        // recommendation's RequestGroup, and the recommendation's text (in the narrative) still says it in words.
        sr.Note.AddRange(notes.Select(t => Narrative.Note(t, c.Lang)));
        var title = $"{c.L(r.Name)} — {(option.Preferred ? c.L(new LocalizedText("preferred", "préféré")) : c.L(new LocalizedText("alternative", "alternative")))}"
            + (rec.SubjectLabel is { Length: > 0 } label ? $" — {label}" : "");
        sr.Text = Narrative.Of(c.Lang, title, [c.L(rec.Text), c.L(option.Why), .. guidance.Select(c.L), .. notes.Skip(1).Select(c.L), c.L(rec.Rationale), rec.Reference.Cite]);
        return c.Entry($"request/{rec.Code}/{rec.SubjectId}/{n}/{r.Code}", sr, PackageCanonicals.RadiotherapyRequestProfile);
    }

    /// <summary>
    /// A coding with its display, and a text in the requested language carrying the other one; shared by every answer
    /// that holds it (<see cref="SharedElements{TKey, T}"/>): never change it.
    /// </summary>
    private CodeableConcept Concept(string system, string code, string display, LocalizedText text) =>
        Concepts.Get((system, code, display, text.En, text.Fr, c.Lang), Math.Max(text.En.Length, text.Fr.Length),
            static k => new CodeableConcept { Coding = [new Coding(k.Item1, k.Item2, k.Item3)], TextElement = Narrative.Text(new LocalizedText(k.Item4, k.Item5), k.Item6) });

    private static readonly SharedElements<(string, string, string, string, string, Language), CodeableConcept> Concepts = new();

    /// <summary>
    /// The coded site of the lesion (or vertebral level) as the input Condition gives it; for a compression without
    /// one, its lesion's. Nothing when neither has a bodySite: the site is never guessed.
    /// </summary>
    private IEnumerable<CodeableConcept> SiteOf(string? subject)
    {
        var condition = subject is null ? null : c.Input.Index.ByKey(subject) as Condition;
        if (condition is { BodySite.Count: 0 } && c.MsccLesion(subject!) is { } lesion)
        {
            condition = c.Input.Index.ByKey(lesion) as Condition;
        }

        return condition?.BodySite.Select(b => (CodeableConcept)b.DeepCopy()) ?? [];
    }

    /// <summary>Why a post-operative course is on hold, with the code consumers look for.</summary>
    public static LocalizedText HoldText(Recommendation rec) =>
        rec.Window?.Status == WindowStatus.HeldDateUnknown
            ? new LocalizedText("On hold: the day of the operation is not known, so the post-operative window cannot be placed (postoperative-radiotherapy-hold).",
                "Suspendu : le jour de l'intervention n'est pas connu, la fenêtre post-opératoire ne peut être placée (postoperative-radiotherapy-hold).")
            : new LocalizedText("On hold: skin not healed or not documented (postoperative-radiotherapy-hold).", "Suspendu : peau non cicatrisée ou non documentée (postoperative-radiotherapy-hold).");
}
