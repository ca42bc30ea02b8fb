using BoneMetRT.Domain.Assessment;
using BoneMetRT.Domain.Facts;

namespace BoneMetRT.Domain.Tests;

/// <summary>Small builders that keep the tests readable. Every value they fill in is stated here, nowhere hidden.</summary>
internal static class Facts
{
    /// <summary>The assessment date used by every test unless it says otherwise.</summary>
    public static readonly DateOnly Today = new(2025, 3, 14);

    /// <summary>A present fact with a made-up source.</summary>
    public static Fact<T> Of<T>(T value, string source = "Observation/test") => Fact<T>.Of(value, source);

    /// <summary>A missing fact.</summary>
    public static Fact<T> Missing<T>() => Fact<T>.Missing;

    /// <summary>A conflicting fact (two values tie for most recent).</summary>
    public static Fact<T> Conflict<T>() => Fact<T>.Conflict("Observation/a", "Observation/b");

    /// <summary>A patient with the given lesions and nothing else documented.</summary>
    public static PatientFacts Patient(params LesionFacts[] lesions) => new() { AssessmentDate = Today, Lesions = lesions };

    /// <summary>A long-bone lesion with every Mirels item given.</summary>
    public static LesionFacts LongBone(
        MirelsSite site = MirelsSite.LowerLimb,
        MirelsSize size = MirelsSize.LessThanOneThird,
        LesionType type = LesionType.Blastic,
        MirelsPain pain = MirelsPain.Mild,
        string id = "Condition/femur",
        string label = "left femur") => new()
        {
            Id = id,
            Label = label,
            Kind = BoneKind.LongBone,
            Site = Of(site),
            Size = Of(size),
            Type = Of(type),
            Pain = Of(pain),
        };

    /// <summary>A long-bone lesion whose four Mirels items score the given points (1–3 each), answers read from the spec table.</summary>
    public static LesionFacts LongBoneWithPoints(int site, int size, int type, int pain, string id = "Condition/femur") =>
        LongBone(
            Spec.SitePoints.Single(p => p.Value == site).Key,
            Spec.SizePoints.Single(p => p.Value == size).Key,
            Spec.TypePoints.Single(p => p.Value == type).Key,
            Spec.PainPoints.Single(p => p.Value == pain).Key,
            id);

    /// <summary>A long-bone lesion with a Mirels total of <paramref name="total"/> (4–12).</summary>
    public static LesionFacts LongBoneWithMirels(int total, string id = "Condition/femur")
    {
        var points = new[] { 1, 1, 1, 1 };
        var left = total - 4;
        for (var i = 0; i < 4 && left > 0; i++)
        {
            var add = Math.Min(2, left);
            points[i] += add;
            left -= add;
        }

        if (left != 0 || total < 4)
        {
            throw new ArgumentOutOfRangeException(nameof(total), total, "A Mirels total is 4 to 12.");
        }

        return LongBoneWithPoints(points[0], points[1], points[2], points[3], id);
    }

    /// <summary>A vertebral lesion; epidural extension given only when <paramref name="epidural"/> is not null.</summary>
    public static LesionFacts Vertebra(string id = "Condition/t10", string label = "T10", bool? epidural = false) => new()
    {
        Id = id,
        Label = label,
        Kind = BoneKind.Vertebra,
        Level = label,
        EpiduralExtension = epidural is { } e ? Of(e) : Fact<bool>.Missing,
    };

    /// <summary>A flat bone (pelvis, rib…).</summary>
    public static LesionFacts FlatBone(string id = "Condition/iliac", string label = "iliac wing") => new()
    {
        Id = id,
        Label = label,
        Kind = BoneKind.Other,
    };

    /// <summary>The lesion, painful and resistant to analgesics.</summary>
    public static LesionFacts Painful(this LesionFacts lesion) => lesion with { AnalgesicRefractoryPain = Of(true) };

    /// <summary>The lesion, well delimited on imaging (or not).</summary>
    public static LesionFacts WellDefined(this LesionFacts lesion, bool wellDefined = true) => lesion with { WellDefined = Of(wellDefined) };

    /// <summary>
    /// A patient with a spinal cord compression from a T10 lesion and every Rades item given. The compression began
    /// two days before <see cref="Today"/>; the primary was diagnosed 6 months (≤ 15) or 24 months (&gt; 15) before it.
    /// </summary>
    public static PatientFacts MsccPatient(
        PrimaryTumourType primary = PrimaryTumourType.Breast,
        bool moreThan15Months = false,
        bool visceral = false,
        AmbulatoryStatus ambulatory = AmbulatoryStatus.AmbulatoryWithoutAid,
        decimal deficitDays = 10m,
        bool? epidural = true)
    {
        var onset = Today.AddDays(-2);
        var diagnosis = onset.AddMonths(moreThan15Months ? -24 : -6);
        var vertebra = Vertebra(epidural: epidural);
        return new PatientFacts
        {
            AssessmentDate = Today,
            Lesions = [vertebra],
            PrimaryTumour = Of(primary, "Condition/primary"),
            PrimaryDiagnosisDate = Of<PartialDate>(diagnosis, "Condition/primary"),
            VisceralMetastases = Of(visceral, "Observation/visceral"),
            Compressions =
            [
                new MsccFacts
                {
                    Id = "Condition/mscc",
                    Label = "T10",
                    Level = "T10",
                    LesionId = vertebra.Id,
                    Onset = Of<PartialDate>(onset, "Condition/mscc"),
                    Ambulatory = Of(ambulatory, "Observation/ambulatory"),
                    MotorDeficitDays = Of(deficitDays, "Observation/deficit"),
                },
            ],
        };
    }

    /// <summary>An MSCC patient whose Rades items score the given points (read from the spec tables).</summary>
    public static PatientFacts MsccPatientWithPoints(int primary, int interval, int visceral, int ambulatory, int deficit) => MsccPatient(
        Spec.PrimaryPoints.First(p => p.Value == primary).Key,
        interval switch { 6 => false, 8 => true, _ => throw new ArgumentOutOfRangeException(nameof(interval)) },
        visceral switch { 5 => true, 8 => false, _ => throw new ArgumentOutOfRangeException(nameof(visceral)) },
        Spec.AmbulatoryPoints.Single(p => p.Value == ambulatory).Key,
        deficit switch { 4 => 3m, 7 => 10m, 9 => 20m, _ => throw new ArgumentOutOfRangeException(nameof(deficit)) });

    /// <summary>Changes the (single) compression of a patient.</summary>
    public static PatientFacts WithMscc(this PatientFacts patient, Func<MsccFacts, MsccFacts> change) =>
        patient with { Compressions = [change(Assert.Single(patient.Compressions))] };

    /// <summary>Adds a surgery on <paramref name="targetId"/>, <paramref name="daysAgo"/> days before the assessment date.</summary>
    public static PatientFacts WithSurgery(this PatientFacts patient, string? targetId, int daysAgo = 18, bool? skinHealed = true,
        ProcedureKind kind = ProcedureKind.Fixation) =>
        patient.WithProcedure(targetId, kind, Of<PartialDate>(patient.AssessmentDate.AddDays(-daysAgo)), skinHealed);

    /// <summary>Adds a completed procedure of the given kind and date on <paramref name="targetId"/> (none when null).</summary>
    public static PatientFacts WithProcedure(this PatientFacts patient, string? targetId, ProcedureKind kind, Fact<PartialDate> performed,
        bool? skinHealed = null, decimal? doseGy = null, int? fractions = null) =>
        patient with
        {
            Procedures =
            [
                .. patient.Procedures,
                new ProcedureFacts
                {
                    Id = $"Procedure/procedure-{patient.Procedures.Count + 1}",
                    Kind = kind,
                    PerformedOn = performed,
                    TargetIds = targetId is null ? [] : [targetId],
                    SkinHealed = skinHealed is { } s ? Of(s) : Fact<bool>.Missing,
                    DoseGy = doseGy,
                    Fractions = fractions,
                },
            ],
        };

    /// <summary>Sets an ECOG performance status.</summary>
    public static PatientFacts WithEcog(this PatientFacts patient, int ecog) =>
        patient with { Performance = Of(new PerformanceStatus(PerformanceScale.Ecog, ecog)) };

    /// <summary>Runs the engine.</summary>
    public static AssessmentResult Evaluate(this PatientFacts patient, EngineSettings? settings = null) => GuidelineEngine.Evaluate(patient, settings);
}

/// <summary>Shortcuts to read an assessment.</summary>
internal static class ResultExtensions
{
    /// <summary>Recommendations with the given code.</summary>
    public static IReadOnlyList<Recommendation> Recs(this AssessmentResult result, string code) =>
        [.. result.Recommendations.Where(r => r.Code == code)];

    /// <summary>The single radiotherapy recommendation for a subject.</summary>
    public static Recommendation Radiotherapy(this AssessmentResult result, string subjectId) =>
        Assert.Single(result.Recommendations, r => r.Code == RecommendationCodes.Radiotherapy && r.SubjectId == subjectId);

    /// <summary>The preferred regimen of a recommendation (exactly one must exist).</summary>
    public static string PreferredCode(this Recommendation rec) => Assert.Single(rec.Regimens, o => o.Preferred).Regimen.Code;

    /// <summary>Codes of the alternative regimens of a recommendation.</summary>
    public static IReadOnlyList<string> AlternativeCodes(this Recommendation rec) => [.. rec.Regimens.Where(o => !o.Preferred).Select(o => o.Regimen.Code)];
}
