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
            Status = rec.OnHold ? RequestStatus.OnHold : RequestStatus.Draft,
            Intent = RequestIntent.Proposal,
            Category = [DenormalizeContext.BoneMetCode(rec.Code)],
            Priority = rec.Urgent ? RequestPriority.Urgent : RequestPriority.Routine,
            Code = new CodeableConcept
            {
                Coding =
                [
                    new Coding(Snomed, RadiotherapyCourseSnomed, "Radiotherapy course of treatment"),
                    new Coding(BoneMet, r.Code, r.Name.En),
                ],
                Text = c.L(r.Name),
            },
            Subject = c.PatientRef,
            AuthoredOn = c.When.Value,
            Requester = new ResourceReference(c.DeviceUrl),
        };
        sr.Extension.Add(new Extension(PackageCanonicals.RegimenPreferenceExtension, new Code(option.Preferred ? "preferred" : "alternative")));
        sr.Extension.Add(new Extension
        {
            Url = PackageCanonicals.RegimenDoseExtension,
            Extension =
            [
                new Extension("totalDose", new Quantity(r.TotalDoseGy, "Gy", Ucum) { Unit = "Gy" }),
                new Extension("fractions", new PositiveInt(r.Fractions)),
            ],
        });
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

        var notes = new List<LocalizedText> { option.Why };
        if (rec.TargetVolume is { } tv)
        {
            notes.Add(new LocalizedText($"Target volume: {tv.Text.En}", $"Volume cible : {tv.Text.Fr}"));
        }

        if (option.Cord is { } cord)
        {
            notes.Add(cord.Text);
        }

        if (rec.OnHold)
        {
            notes.Add(HoldText(rec));
        }

        // The order relative to surgery or the tumour board is no longer a note here: it is the relatedAction of the
        // recommendation's RequestGroup, and the recommendation's text (in the narrative) still says it in words.
        sr.Note.AddRange(notes.Select(t => Narrative.Note(t, c.Lang)));
        var title = $"{c.L(r.Name)} — {(option.Preferred ? c.L(new LocalizedText("preferred", "préféré")) : c.L(new LocalizedText("alternative", "alternative")))}"
            + (rec.SubjectLabel is { Length: > 0 } label ? $" — {label}" : "");
        sr.Text = Narrative.Of(c.Lang, title, [c.L(rec.Text), .. notes.Select(c.L), c.L(rec.Rationale), rec.Reference.Cite]);
        return c.Entry($"request/{rec.Code}/{rec.SubjectId}/{n}/{r.Code}", sr, PackageCanonicals.RadiotherapyRequestProfile);
    }

    /// <summary>Why a post-operative course is on hold, with the code consumers look for.</summary>
    public static LocalizedText HoldText(Recommendation rec) =>
        rec.Window?.Status == WindowStatus.HeldDateUnknown
            ? new LocalizedText("On hold: the day of the operation is not known, so the post-operative window cannot be placed (postoperative-radiotherapy-hold).",
                "Suspendu : le jour de l'intervention n'est pas connu, la fenêtre post-opératoire ne peut être placée (postoperative-radiotherapy-hold).")
            : new LocalizedText("On hold: skin not healed or not documented (postoperative-radiotherapy-hold).", "Suspendu : peau non cicatrisée ou non documentée (postoperative-radiotherapy-hold).");
}
