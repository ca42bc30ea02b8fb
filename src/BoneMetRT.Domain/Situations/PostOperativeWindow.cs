using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;

namespace BoneMetRT.Domain.Situations;

/// <summary>Where the patient stands relative to the post-operative window.</summary>
public enum WindowStatus
{
    /// <summary>Fewer than 15 days since surgery: plan the start for the window.</summary>
    NotYetOpen,
    /// <summary>Day 15 to 21 and the skin is healed: start now.</summary>
    Open,
    /// <summary>After day 21, skin healed: still indicated, start without further delay.</summary>
    Passed,
    /// <summary>Day 15 or later but the skin is not healed: held until it is.</summary>
    HeldSkinNotHealed,
    /// <summary>Day 15 or later and skin healing is not documented: held until it is confirmed.</summary>
    HeldSkinUnknown,
}

/// <summary>The post-operative radiotherapy window of one surgery.</summary>
/// <param name="SurgeryId">Surgery.</param>
/// <param name="TargetId">Lesion or compression operated on.</param>
/// <param name="Start">Day 15 after the operation.</param>
/// <param name="End">Day 21 (3 weeks) after the operation.</param>
/// <param name="DaysSinceSurgery">Days from the operation to the assessment date.</param>
/// <param name="Status">Status on the assessment date.</param>
/// <param name="Rationale">Explanation.</param>
public sealed record PostOperativeWindow(string SurgeryId, string? TargetId, DateOnly Start, DateOnly End, int DaysSinceSurgery, WindowStatus Status, LocalizedText Rationale)
{
    /// <summary>True when radiotherapy must wait (skin not healed or not documented).</summary>
    public bool IsHeld => Status is WindowStatus.HeldSkinNotHealed or WindowStatus.HeldSkinUnknown;
}

/// <summary>Adjuvant radiotherapy starts 15 days to 3 weeks after surgery, on healed skin.</summary>
/// <remarks>Seed §1.4 "à débuter entre 15 jours et 3 semaines après le geste opératoire, sur peau cicatrisée" (ref 71); guideline.md §4.</remarks>
public static class PostOperativeRule
{
    /// <summary>First day of the window, counted from the operation.</summary>
    public const int FirstDay = 15;

    /// <summary>Last day of the window (3 weeks).</summary>
    public const int LastDay = 21;

    /// <summary>Evaluates the window of a surgery on the assessment date.</summary>
    public static PostOperativeWindow Evaluate(SurgeryFacts surgery, DateOnly assessmentDate, ICollection<Finding> findings)
    {
        var start = surgery.PerformedOn.AddDays(FirstDay);
        var end = surgery.PerformedOn.AddDays(LastDay);
        var days = assessmentDate.DayNumber - surgery.PerformedOn.DayNumber;
        var when = new LocalizedText(
            $"Surgery on {surgery.PerformedOn:yyyy-MM-dd} (day {days}); adjuvant radiotherapy is always indicated and starts between day 15 ({start:yyyy-MM-dd}) and day 21 ({end:yyyy-MM-dd}), on healed skin.",
            $"Chirurgie le {surgery.PerformedOn:yyyy-MM-dd} (J{days}) ; la radiothérapie adjuvante est systématique et débute entre J15 ({start:yyyy-MM-dd}) et J21 ({end:yyyy-MM-dd}), sur peau cicatrisée.");

        if (days < FirstDay)
        {
            return new(surgery.Id, surgery.TargetId, start, end, days, WindowStatus.NotYetOpen, LocalizedText.Join([when,
                new("The window is not open yet: plan the start and check the scar before it.", "La fenêtre n'est pas encore ouverte : planifier le début et vérifier la cicatrice avant.")]));
        }

        if (surgery.SkinHealed.State != FactState.Present)
        {
            findings.Add(new Finding(Severity.Warning, surgery.SkinHealed.State == FactState.Conflicting ? FindingKind.ConflictingItem : FindingKind.MissingItem,
                "skin-healed", surgery.Id,
                new("Post-operative radiotherapy is held: skin healing after surgery is not documented (skin-healed).",
                    "Radiothérapie post-opératoire suspendue : la cicatrisation cutanée n'est pas documentée (skin-healed)."),
                Sections.PostOperative, surgery.SkinHealed.Sources));
            return new(surgery.Id, surgery.TargetId, start, end, days, WindowStatus.HeldSkinUnknown, LocalizedText.Join([when,
                new("Held until healed skin is confirmed.", "Suspendue jusqu'à confirmation de la cicatrisation.")]));
        }

        if (!surgery.SkinHealed.Value)
        {
            return new(surgery.Id, surgery.TargetId, start, end, days, WindowStatus.HeldSkinNotHealed, LocalizedText.Join([when,
                new("Held: the skin is not healed; start once it is.", "Suspendue : la peau n'est pas cicatrisée ; débuter dès qu'elle l'est.")]));
        }

        return days <= LastDay
            ? new(surgery.Id, surgery.TargetId, start, end, days, WindowStatus.Open, LocalizedText.Join([when,
                new("The window is open and the skin is healed: start now.", "La fenêtre est ouverte et la peau cicatrisée : débuter maintenant.")]))
            : new(surgery.Id, surgery.TargetId, start, end, days, WindowStatus.Passed, LocalizedText.Join([when,
                new("The recommended window has passed; the treatment remains indicated: start without further delay.",
                    "La fenêtre recommandée est dépassée ; le traitement reste indiqué : débuter sans délai supplémentaire.")]));
    }
}
