using BoneMetRT.Domain.Facts;
using FsCheck;
using FsCheck.Fluent;

namespace BoneMetRT.Domain.Tests;

/// <summary>A full set of Mirels answers.</summary>
public sealed record MirelsAnswers(MirelsSite Site, MirelsSize Size, LesionType Type, MirelsPain Pain)
{
    /// <summary>Total by the spec table.</summary>
    public int SpecTotal => Spec.SitePoints[Site] + Spec.SizePoints[Size] + Spec.TypePoints[Type] + Spec.PainPoints[Pain];

    /// <summary>A long-bone lesion with these answers.</summary>
    public LesionFacts ToLesion() => Facts.LongBone(Site, Size, Type, Pain);
}

/// <summary>A full set of Rades answers; the deficit is a whole number of days ≥ 1.</summary>
public sealed record RadesAnswers(PrimaryTumourType Primary, bool MoreThan15Months, bool Visceral, AmbulatoryStatus Ambulatory, int DeficitDays)
{
    /// <summary>Total by the spec table.</summary>
    public int SpecTotal => Spec.PrimaryPoints[Primary] + Spec.IntervalPoints(MoreThan15Months) + Spec.VisceralPoints(Visceral)
        + Spec.AmbulatoryPoints[Ambulatory] + Spec.DeficitPoints(DeficitDays);

    /// <summary>An MSCC patient with these answers.</summary>
    public PatientFacts ToPatient() => Facts.MsccPatient(Primary, MoreThan15Months, Visceral, Ambulatory, DeficitDays);
}

/// <summary>Which single input to remove from a complete score.</summary>
public sealed record Removal<T>(T Answers, int Index);

/// <summary>FsCheck 3 generators for the domain (registered with <c>[Property(Arbitrary = …)]</c>).</summary>
public static class DomainArbitraries
{
    private static Gen<T> EnumGen<T>() where T : struct, Enum => Gen.Elements(Enum.GetValues<T>());

    private static Gen<bool> Bool => Gen.Elements(true, false);

    /// <summary>A fact that is mostly present, sometimes missing, sometimes conflicting.</summary>
    private static Gen<Fact<T>> FactOf<T>(Gen<T> value) => Gen.Frequency(
        (6, value.Select(v => Fact<T>.Of(v, "Observation/gen"))),
        (2, Gen.Constant(Fact<T>.Missing)),
        (1, Gen.Constant(Fact<T>.Conflict("Observation/x", "Observation/y"))));

    public static Gen<MirelsAnswers> MirelsGen =>
        from site in EnumGen<MirelsSite>()
        from size in EnumGen<MirelsSize>()
        from type in EnumGen<LesionType>()
        from pain in EnumGen<MirelsPain>()
        select new MirelsAnswers(site, size, type, pain);

    public static Gen<RadesAnswers> RadesGen =>
        from primary in EnumGen<PrimaryTumourType>()
        from interval in Bool
        from visceral in Bool
        from ambulatory in EnumGen<AmbulatoryStatus>()
        from days in Gen.Choose(1, 60)
        select new RadesAnswers(primary, interval, visceral, ambulatory, days);

    public static Arbitrary<MirelsAnswers> Mirels() => MirelsGen.ToArbitrary();

    public static Arbitrary<RadesAnswers> Rades() => RadesGen.ToArbitrary();

    /// <summary>Index 0–3: site, size, type, pain.</summary>
    public static Arbitrary<Removal<MirelsAnswers>> MirelsRemoval() =>
        MirelsGen.SelectMany(a => Gen.Choose(0, 3).Select(i => new Removal<MirelsAnswers>(a, i))).ToArbitrary();

    /// <summary>Index 0–5: primary, diagnosis date, compression onset, visceral, ambulatory, deficit.</summary>
    public static Arbitrary<Removal<RadesAnswers>> RadesRemoval() =>
        RadesGen.SelectMany(a => Gen.Choose(0, 5).Select(i => new Removal<RadesAnswers>(a, i))).ToArbitrary();

    /// <summary>Any patient: 0–5 lesions of any kind, items present/missing/conflicting, maybe a compression and surgeries.</summary>
    public static Arbitrary<PatientFacts> Patients() => PatientGen.ToArbitrary();

    private static Gen<LesionFacts> LesionGen(int i) =>
        from kind in EnumGen<BoneKind>()
        from site in FactOf(EnumGen<MirelsSite>())
        from size in FactOf(EnumGen<MirelsSize>())
        from type in FactOf(EnumGen<LesionType>())
        from pain in FactOf(EnumGen<MirelsPain>())
        from axial in FactOf(from v in Gen.Choose(0, 1000) from u in EnumGen<LysisUnit>() select new LysisMeasure(v / 10m, u))
        from circ in FactOf(Gen.Choose(0, 1000).Select(v => v / 10m))
        from wellDefined in FactOf(Bool)
        from epidural in FactOf(Bool)
        from refractory in FactOf(Bool)
        from neuropathic in FactOf(Bool)
        from fracture in Gen.Frequency((6, Gen.Constant(Fact<bool>.Missing)), (1, FactOf(Bool)))
        select new LesionFacts
        {
            Id = $"Condition/lesion-{i}",
            Label = $"lesion {i}",
            Kind = kind,
            Site = site,
            Size = size,
            Type = type,
            Pain = pain,
            CorticalLysisAxial = axial,
            CorticalLysisCircumferential = circ,
            WellDefined = wellDefined,
            EpiduralExtension = epidural,
            AnalgesicRefractoryPain = refractory,
            NeuropathicPain = neuropathic,
            PathologicalFracture = fracture,
        };

    private static Gen<MsccFacts> MsccGen(LesionFacts[] lesions, int i) =>
        from lesionId in Gen.Elements(lesions.Select(l => (string?)l.Id).Append(null).Append("Condition/elsewhere").ToArray())
        from onset in FactOf(Gen.Choose(0, 60).Select(d => PartialDate.Day(Facts.Today.AddDays(-d))))
        from ambulatory in FactOf(EnumGen<AmbulatoryStatus>())
        from deficit in FactOf(Gen.Choose(-4, 80).Select(d => d / 2m))
        select new MsccFacts
        {
            Id = $"Condition/mscc-{i}",
            Label = i == 1 ? "T10" : "L2",
            Level = i == 1 ? "T10" : "L2",
            LesionId = lesionId,
            Onset = onset,
            Ambulatory = ambulatory,
            MotorDeficitDays = deficit,
        };

    /// <summary>A procedure date: mostly a day within the post-operative horizon and past it, sometimes only a year, sometimes none.</summary>
    private static Gen<Fact<PartialDate>> ProcedureDateGen(int i) => Gen.Frequency(
        (8, Gen.Choose(0, 60).Select(d => Fact<PartialDate>.Of(PartialDate.Day(Facts.Today.AddDays(-d)), $"Procedure/procedure-{i}"))),
        (1, Gen.Constant(Fact<PartialDate>.Of(PartialDate.Year(Facts.Today.Year), $"Procedure/procedure-{i}"))),
        (1, Gen.Constant(Fact<PartialDate>.Missing)));

    private static Gen<ProcedureFacts> ProcedureGen(int i, string?[] targets) =>
        from target in Gen.Elements(targets)
        from kind in EnumGen<ProcedureKind>()
        from performed in ProcedureDateGen(i)
        from skin in FactOf(Bool)
        select new ProcedureFacts
        {
            Id = $"Procedure/procedure-{i}",
            Kind = kind,
            PerformedOn = performed,
            TargetIds = target is null ? [] : [target],
            SkinHealed = skin,
        };

    private static Gen<PerformanceStatus> PerformanceGen => Gen.OneOf(
        Gen.Choose(0, 4).Select(v => new PerformanceStatus(PerformanceScale.Ecog, v)),
        Gen.Choose(0, 10).Select(v => new PerformanceStatus(PerformanceScale.Karnofsky, v * 10)));

    public static Gen<PatientFacts> PatientGen =>
        from n in Gen.Choose(0, 5)
        from lesions in Gen.CollectToArray(Enumerable.Range(1, n), LesionGen)
        from msccCount in Gen.Frequency((1, Gen.Constant(0)), (2, Gen.Constant(1)), (1, Gen.Constant(2)))
        from compressions in Gen.CollectToArray(Enumerable.Range(1, msccCount), i => MsccGen(lesions, i))
        from surgeryCount in Gen.Choose(0, 2)
        from surgeries in Gen.CollectToArray(Enumerable.Range(1, surgeryCount),
            i => ProcedureGen(i, [.. lesions.Select(l => l.Id), "Condition/mscc-1", null]))
        from primary in FactOf(EnumGen<PrimaryTumourType>())
        from diagnosis in FactOf(Gen.Choose(0, 2000).Select(d => PartialDate.Day(Facts.Today.AddDays(-d))))
        from visceral in FactOf(Bool)
        from refractory in FactOf(Bool)
        from neuropathic in FactOf(Bool)
        from painScore in FactOf(Gen.Choose(0, 10))
        from performance in FactOf(PerformanceGen)
        select new PatientFacts
        {
            AssessmentDate = Facts.Today,
            Lesions = lesions,
            Compressions = compressions,
            Procedures = surgeries,
            PrimaryTumour = primary,
            PrimaryDiagnosisDate = diagnosis,
            VisceralMetastases = visceral,
            AnalgesicRefractoryPain = refractory,
            NeuropathicPain = neuropathic,
            PainScore = painScore,
            Performance = performance,
        };
}
