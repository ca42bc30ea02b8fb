using BoneMetRT.Domain.Facts;
using Hl7.Fhir.Model;
using static BoneMetRT.Fhir.Normalize.Terminology;
using IssueSeverity = Hl7.Fhir.Model.OperationOutcome.IssueSeverity;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace BoneMetRT.Fhir.Normalize;

/// <summary>
/// Reads the patient-level disease items: the primary tumour type and its date of diagnosis (Rades items 1 and 2), and
/// visceral metastases (Rades item 3, oligometastatic eligibility).
/// </summary>
internal static class PrimaryReader
{
    /// <summary>What a primary-cancer Condition says: its Rades type, or null for a lung primary without histology.</summary>
    public sealed record PrimaryOfCondition(PrimaryTumourType? Type);

    /// <summary>Primary type of a Condition: null when not a primary; a null type when lung without histology.</summary>
    /// <remarks>A coding that maps to a type (e.g. SNOMED small-cell lung cancer) wins over one that only says "lung"
    /// (e.g. ICD-10 C34.1) in the same Condition, whatever their order.</remarks>
    /// <param name="c">The Condition.</param>
    /// <param name="codings">Its codings in the accepted code systems.</param>
    public static PrimaryOfCondition? PrimaryOf(Condition c, IReadOnlyCollection<Coding> codings)
    {
        var matches = codings.Select(x => Primary(x.System, x.Code)).ToList();
        if (matches.FirstOrDefault(m => m.Match == PrimaryMatch.Mapped) is { Match: PrimaryMatch.Mapped } mapped)
        {
            return new(mapped.Type);
        }

        if (!matches.Any(m => m.Match == PrimaryMatch.LungUnspecified))
        {
            return null;
        }

        // Small-cell vs non-small-cell decides Rades points: read the histology if sent, never guess.
        var histology = c.Extension.Where(e => e.Url?.EndsWith("histology-morphology-behavior", StringComparison.Ordinal) == true).ToList();
        var morph = histology.Select(e => e.Value as CodeableConcept).Where(v => v is not null).SelectMany(v => v!.Coding)
            .Concat(codings).ToList();
        if (morph.Any(m => IsSmallCellMorphology(m.System, m.Code)))
        {
            return new(PrimaryTumourType.Sclc);
        }

        return histology.Count > 0 ? new(PrimaryTumourType.Nsclc) : new(null);
    }

    /// <summary>
    /// The primary tumour type. The explicit <c>primary-tumour-type</c> wins; two primary Conditions of different types
    /// are a conflict: a patient may have had two cancers, and which one metastasised is not for the engine to choose,
    /// so the Conditions are not ordered by date.
    /// </summary>
    public static Fact<PrimaryTumourType> Type(ReadContext ctx, PatientRecord record, ObservationReader items)
    {
        foreach (var (e, _) in record.Primaries)
        {
            ctx.Use(e.Index);
        }

        var explicitPrimary = items.Candidates<PrimaryTumourType>(ItemCodes.PrimaryTumourType, null).ToList();
        if (explicitPrimary.Count == 0)
        {
            foreach (var (lung, _) in record.Primaries.Where(p => p.Type is null))
            {
                ctx.Add(new(IssueSeverity.Warning, IssueType.Incomplete,
                    new("Lung primary without histology: small-cell (6 Rades points) and non-small-cell (5) cannot be told apart; send primary-tumour-type or a histology.",
                        "Primitif pulmonaire sans histologie : petites cellules (6 points de Rades) et non à petites cellules (5) ne peuvent être distingués ; transmettre primary-tumour-type ou une histologie."),
                    "missing-item", [ctx.Index.Expression(lung.Index, "code")]));
            }
        }

        return FactResolution.Resolve(explicitPrimary
            .Concat(record.Primaries.Where(p => p.Type is not null).Select(p => new Candidate<PrimaryTumourType>(p.Type!.Value, null, p.Entry.Key, false))));
    }

    /// <summary>
    /// The date of diagnosis: the primary's <c>onset[x]</c>, else its <c>recordedDate</c>, as precise as written ("2025"
    /// stays the whole year: the engine says when that leaves the Rades interval undecided, it is never completed).
    /// </summary>
    public static Fact<PartialDate> DiagnosisDate(PatientRecord record) =>
        FactResolution.Resolve(record.Primaries
            .Select(p => (p.Entry.Key, When: FhirDates.Partial(p.Entry.Resource.Onset) ?? FhirDates.Partial(p.Entry.Resource.RecordedDate)))
            .Where(p => p.When is not null)
            .Select(p => new Candidate<PartialDate>(p.When!.Value, null, p.Key)));

    /// <summary>
    /// Visceral metastases: the explicit <c>visceral-metastases</c> wins over active visceral secondary Conditions, unless
    /// a Condition is dated (onset, else recordedDate; its first possible day) after it, which is a conflict
    /// (<see cref="FactResolution"/>): an old "no" must not hide a newer liver metastasis.
    /// </summary>
    public static Fact<bool> Visceral(ReadContext ctx, PatientRecord record, ObservationReader items)
    {
        foreach (var (e, _) in record.Visceral)
        {
            ctx.Use(e.Index);
        }

        return FactResolution.Resolve(items.Candidates<bool>(ItemCodes.VisceralMetastases, null)
            .Concat(record.Visceral.Select(v => new Candidate<bool>(true, Dated(v.Entry.Resource), v.Entry.Key, false))));
    }

    private static DateTimeOffset? Dated(Condition c) =>
        (FhirDates.Partial(c.Onset) ?? FhirDates.Partial(c.RecordedDate)) is { } d
            ? new DateTimeOffset(d.Earliest.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : null;
}
