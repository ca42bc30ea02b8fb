using BoneMetRT.Domain.Facts;
using BoneMetRT.Domain.Scoring;

namespace BoneMetRT.Domain.Situations;

/// <summary>Where the assessment date falls relative to the post-operative window.</summary>
public enum WindowStatus
{
    /// <summary>Fewer than 15 days since surgery: plan the start for the window.</summary>
    NotYetOpen,
    /// <summary>Day 15 to 21 and the skin is healed: start now.</summary>
    Open,
    /// <summary>After day 21, skin healed, within the post-operative horizon: still indicated, start without further delay.</summary>
    Passed,
    /// <summary>Day 15 or later but the skin is not healed: held until it is.</summary>
    HeldSkinNotHealed,
    /// <summary>Day 15 or later and skin healing is not documented: held until it is confirmed.</summary>
    HeldSkinUnknown,
    /// <summary>The operation is undated or dated only to the month or year: the window cannot be placed; held until the day is given.</summary>
    HeldDateUnknown,
    /// <summary>Past the post-operative horizon (a setting): the lesion is no longer in the post-operative situation.</summary>
    PastHorizon,
}

/// <summary>The post-operative radiotherapy window of one surgery.</summary>
/// <param name="SurgeryId">Surgery.</param>
/// <param name="TargetId">Lesion or compression operated on; null when the surgery names none.</param>
/// <param name="Start">Day 15 after the operation; null when the day of the operation is not known.</param>
/// <param name="End">Day 21 (3 weeks) after the operation; null when the day of the operation is not known.</param>
/// <param name="DaysSinceSurgery">Days from the operation to the assessment date; null when the day is not known.</param>
/// <param name="Status">Status on the assessment date.</param>
/// <param name="Rationale">Explanation.</param>
public sealed record PostOperativeWindow(string SurgeryId, string? TargetId, DateOnly? Start, DateOnly? End, int? DaysSinceSurgery, WindowStatus Status, LocalizedText Rationale)
{
    /// <summary>What the rule has to tell (skin healing missing or conflicting, date too imprecise…).</summary>
    public IReadOnlyList<Finding> Findings { get; init; } = [];

    /// <summary>True when radiotherapy must wait (skin not healed or not documented, date of the operation unknown).</summary>
    public bool IsHeld => Status is WindowStatus.HeldSkinNotHealed or WindowStatus.HeldSkinUnknown or WindowStatus.HeldDateUnknown;

    /// <summary>True while the lesion is in the post-operative situation.</summary>
    public bool IsPostOperative => Status != WindowStatus.PastHorizon;
}

/// <summary>Adjuvant radiotherapy starts 15 days to 3 weeks after surgery, on healed skin.</summary>
/// <remarks>
/// Seed §1.4 "à débuter entre 15 jours et 3 semaines après le geste opératoire, sur peau cicatrisée" (ref 71); guideline
/// §4. The end of the post-operative situation (<see cref="EngineSettings.PostOperativeHorizonDays"/>) is not in the
/// guideline: it is this engine's choice, a setting, and said in the rationale when it applies.
/// </remarks>
public static class PostOperativeRule
{
    /// <summary>First day of the window, counted from the operation.</summary>
    public const int FirstDay = 15;

    /// <summary>Last day of the window (3 weeks).</summary>
    public const int LastDay = 21;

    /// <summary>Evaluates the window of a surgery on the assessment date; what it has to tell is in the result's findings.</summary>
    public static PostOperativeWindow Evaluate(ProcedureFacts surgery, string? targetId, DateOnly assessmentDate, EngineSettings settings)
    {
        var findings = new List<Finding>();
        return Assess(surgery, targetId, assessmentDate, settings, findings) with { Findings = findings };
    }

    private static PostOperativeWindow Assess(ProcedureFacts surgery, string? targetId, DateOnly assessmentDate, EngineSettings settings, List<Finding> findings)
    {
        var what = surgery.Label.Length > 0 ? surgery.Label : "surgery";
        var whatFr = surgery.Label.Length > 0 ? surgery.Label : "chirurgie";
        if (!surgery.PerformedOn.IsPresent)
        {
            findings.Add(new Finding(surgery.PerformedOn.State == FactState.Conflicting ? Severity.Error : Severity.Warning,
                surgery.PerformedOn.State == FactState.Conflicting ? FindingKind.ConflictingItem : FindingKind.MissingItem, "performed", surgery.Id,
                new($"The date of the operation ({what}) is {(surgery.PerformedOn.State == FactState.Conflicting ? "conflicting" : "not given")}: the post-operative window (day 15 to 21) cannot be placed; post-operative radiotherapy is held until it is.",
                    $"La date de l'intervention ({whatFr}) est {(surgery.PerformedOn.State == FactState.Conflicting ? "contradictoire" : "absente")} : la fenêtre post-opératoire (J15 à J21) ne peut être placée ; la radiothérapie post-opératoire est suspendue en attendant."),
                Sections.PostOperative, [surgery.Id, .. surgery.PerformedOn.Sources]));
            return new(surgery.Id, targetId, null, null, null, WindowStatus.HeldDateUnknown, new(
                "Surgery of unknown date: adjuvant radiotherapy is always indicated and starts between day 15 and day 21, on healed skin; held until the date of the operation is given.",
                "Chirurgie de date inconnue : la radiothérapie adjuvante est systématique et débute entre J15 et J21, sur peau cicatrisée ; suspendue jusqu'à ce que la date de l'intervention soit connue."));
        }

        var performed = surgery.PerformedOn.Value;
        var fewest = assessmentDate.DayNumber - performed.Latest.DayNumber;
        var horizon = settings.PostOperativeHorizonDays;
        if (fewest > horizon)
        {
            var text = new LocalizedText(
                $"The operation ({what}, {performed}) was more than {horizon} days before the assessment: the lesion is no longer treated as post-operative (the guideline gives the day-15-to-21 window but no end to the situation; {horizon} days is this engine's setting). It is assessed like any other lesion; the target volume still includes the hardware.",
                $"L'intervention ({whatFr}, {performed}) date de plus de {horizon} jours : la lésion n'est plus considérée comme post-opératoire (le référentiel donne la fenêtre J15–J21 mais pas de fin à la situation ; {horizon} jours est le réglage de ce moteur). Elle est évaluée comme toute autre lésion ; le volume cible inclut toujours le matériel.");
            findings.Add(new Finding(Severity.Information, FindingKind.Note, "postoperative-horizon", targetId ?? surgery.Id, text, Sections.PostOperative, [surgery.Id]));
            return new(surgery.Id, targetId, null, null, fewest, WindowStatus.PastHorizon, text);
        }

        if (!performed.IsExact)
        {
            findings.Add(new Finding(Severity.Warning, FindingKind.MissingItem, "performed", surgery.Id, new(
                $"The operation ({what}) is dated only {performed}: the post-operative window (day 15 to 21) cannot be placed without the day; post-operative radiotherapy is held until it is given.",
                $"L'intervention ({whatFr}) n'est datée que de {performed} : la fenêtre post-opératoire (J15 à J21) ne peut être placée sans le jour ; la radiothérapie post-opératoire est suspendue en attendant."),
                Sections.PostOperative, [surgery.Id]));
            return new(surgery.Id, targetId, null, null, null, WindowStatus.HeldDateUnknown, new(
                $"Surgery in {performed}: adjuvant radiotherapy is always indicated and starts between day 15 and day 21, on healed skin; held until the day of the operation is given.",
                $"Chirurgie en {performed} : la radiothérapie adjuvante est systématique et débute entre J15 et J21, sur peau cicatrisée ; suspendue jusqu'à ce que le jour de l'intervention soit connu."));
        }

        var day = performed.Value;
        var start = day.AddDays(FirstDay);
        var end = day.AddDays(LastDay);
        var days = fewest;
        var when = new LocalizedText(
            $"Surgery{(surgery.Label.Length > 0 ? $" ({surgery.Label})" : "")} on {day:yyyy-MM-dd} (day {days}); adjuvant radiotherapy is always indicated and starts between day 15 ({start:yyyy-MM-dd}) and day 21 ({end:yyyy-MM-dd}), on healed skin.",
            $"Chirurgie{(surgery.Label.Length > 0 ? $" ({surgery.Label})" : "")} le {day:yyyy-MM-dd} (J{days}) ; la radiothérapie adjuvante est systématique et débute entre J15 ({start:yyyy-MM-dd}) et J21 ({end:yyyy-MM-dd}), sur peau cicatrisée.");

        if (days < FirstDay)
        {
            return new(surgery.Id, targetId, start, end, days, WindowStatus.NotYetOpen, LocalizedText.Join([when,
                new("The window is not open yet: plan the start and check the scar before it.", "La fenêtre n'est pas encore ouverte : planifier le début et vérifier la cicatrice avant.")]));
        }

        if (surgery.SkinHealed.State != FactState.Present)
        {
            findings.Add(new Finding(surgery.SkinHealed.State == FactState.Conflicting ? Severity.Error : Severity.Warning,
                surgery.SkinHealed.State == FactState.Conflicting ? FindingKind.ConflictingItem : FindingKind.MissingItem, ItemCodes.SkinHealed, surgery.Id,
                surgery.SkinHealed.State == FactState.Conflicting
                    ? new("Post-operative radiotherapy is held: skin healing after surgery has conflicting values of the same date (skin-healed).",
                        "Radiothérapie post-opératoire suspendue : la cicatrisation après chirurgie a des valeurs contradictoires à la même date (skin-healed).")
                    : new("Post-operative radiotherapy is held: skin healing after surgery is not documented (skin-healed).",
                        "Radiothérapie post-opératoire suspendue : la cicatrisation cutanée n'est pas documentée (skin-healed)."),
                Sections.PostOperative, surgery.SkinHealed.Sources));
            return new(surgery.Id, targetId, start, end, days, WindowStatus.HeldSkinUnknown, LocalizedText.Join([when,
                new("Held until healed skin is confirmed.", "Suspendue jusqu'à confirmation de la cicatrisation.")]));
        }

        if (!surgery.SkinHealed.Value)
        {
            return new(surgery.Id, targetId, start, end, days, WindowStatus.HeldSkinNotHealed, LocalizedText.Join([when,
                new("Held: the skin is not healed; start once it is.", "Suspendue : la peau n'est pas cicatrisée ; débuter dès qu'elle l'est.")]));
        }

        return days <= LastDay
            ? new(surgery.Id, targetId, start, end, days, WindowStatus.Open, LocalizedText.Join([when,
                new("The window is open and the skin is healed: start now.", "La fenêtre est ouverte et la peau cicatrisée : débuter maintenant.")]))
            : new(surgery.Id, targetId, start, end, days, WindowStatus.Passed, LocalizedText.Join([when,
                new("The recommended window has passed; the treatment remains indicated: start without further delay.",
                    "La fenêtre recommandée est dépassée ; le traitement reste indiqué : débuter sans délai supplémentaire.")]));
    }
}
