using BoneMetRT.Domain.Facts;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Normalize;

/// <summary>The patient's facts read from a Bundle, with the index needed to point back at the inputs.</summary>
/// <param name="Facts">Facts for the engine.</param>
/// <param name="Index">Index of the input Bundle.</param>
/// <param name="PatientKey">Source key of the Patient (e.g. <c>Patient/p1</c> or its urn:uuid).</param>
public sealed record NormalizedInput(PatientFacts Facts, InputIndex Index, string PatientKey)
{
    /// <summary>Positions in the Bundle of the entries the engine used (every other one is reported as ignored).</summary>
    public IReadOnlySet<int> Used { get; init; } = new HashSet<int>();
}

/// <summary>
/// Normalize: FHIR → domain. Reads a patient's Bundle into <see cref="PatientFacts"/> following the FHIR
/// contract's input table (docs/fhir-contract.md §2), as of the assessment date. Every resource is either used or reported as
/// ignored; structural errors (no Patient, several Patients and no subject, a followed reference to nothing) are
/// returned as error issues.
/// </summary>
/// <remarks>
/// The work is done in steps that each read one thing: <see cref="BundleChecks"/> (structure and patient),
/// <see cref="RecordTriage"/> (what counts: status, verification, assessment date; what each Condition is), then the
/// readers of the patient model: lesions (<see cref="LesionReader"/>, with their fractures), compressions
/// (<see cref="CompressionReader"/>), procedures (<see cref="ProcedureReader"/>), primary and visceral disease
/// (<see cref="PrimaryReader"/>); all Observations are read once by the <see cref="ObservationReader"/> and handed to
/// the readers that ask for them. <see cref="ReadContext"/> keeps the issues and what was used.
/// </remarks>
public static class Normalizer
{
    /// <summary>
    /// Normalizes a Bundle: the input with the issues worth telling beside it, or an
    /// <see cref="OutcomeKind.Unprocessable"/> failure with its issues when the request is inconsistent or incomplete.
    /// </summary>
    /// <param name="bundle">The patient's data.</param>
    /// <param name="prefix">FHIRPath of the Bundle in the request, for issue expressions.</param>
    /// <param name="subject">Optional <c>Patient/{id}</c> choosing the patient.</param>
    /// <param name="assessmentDate">Date of the assessment.</param>
    /// <param name="terminology">The code systems Conditions are read in; default every system the package lists.</param>
    public static Result<NormalizedInput> Normalize(Bundle bundle, string prefix, string? subject, DateOnly assessmentDate,
        TerminologySettings? terminology = null)
    {
        var ctx = new ReadContext(new InputIndex(bundle, prefix), terminology ?? TerminologySettings.Default);
        if (!BundleChecks.TypeAccepted(ctx) || !BundleChecks.Unambiguous(ctx) || BundleChecks.ChoosePatient(ctx, subject) is not { } patient)
        {
            return Result<NormalizedInput>.Failure(OutcomeKind.Unprocessable, ctx.Issues);
        }

        var record = RecordTriage.Sort(ctx, patient, assessmentDate);
        var facts = Read(ctx, record, assessmentDate);
        ctx.Finish();
        return ctx.HasErrors
            ? Result<NormalizedInput>.Failure(OutcomeKind.Unprocessable, ctx.Issues)
            : Result<NormalizedInput>.Success(new NormalizedInput(facts, ctx.Index, ctx.Index.Key(patient)) { Used = ctx.Used }, ctx.Issues);
    }

    private static PatientFacts Read(ReadContext ctx, PatientRecord record, DateOnly assessmentDate)
    {
        foreach (var lesion in record.Lesions)
        {
            ctx.Use(lesion.Index);
        }

        var lesionKeys = new Dictionary<Resource, string>(ReferenceEqualityComparer.Instance);
        foreach (var l in record.Lesions)
        {
            lesionKeys[l.Resource] = l.Key;
        }

        var counted = new HashSet<Resource>(record.Lesions.Concat(record.Compressions).Select(x => x.Resource), ReferenceEqualityComparer.Instance);
        var items = new ObservationReader(ctx, lesionKeys, counted, record.Lesions.Count == 1 ? record.Lesions[0].Key : null);
        foreach (var (i, o, _) in record.Observations)
        {
            items.Read(i, o);
        }

        var lesions = LesionReader.Read(ctx, record, items);
        var compressions = CompressionReader.Read(ctx, record, lesions, items);
        var facts = new PatientFacts
        {
            AssessmentDate = assessmentDate,
            Lesions = lesions,
            PrimaryTumour = PrimaryReader.Type(ctx, record, items),
            PrimaryDiagnosisDate = PrimaryReader.DiagnosisDate(record),
            VisceralMetastases = PrimaryReader.Visceral(ctx, record, items),
            Compressions = compressions,
            // Patient-level pain stays the patient's: the engine applies it to a lesion only when there is one.
            AnalgesicRefractoryPain = items.Fact<bool>(ItemCodes.AnalgesicRefractoryPain, null),
            NeuropathicPain = items.Fact<bool>(ItemCodes.NeuropathicPain, null),
            PainScore = items.Fact<int>(ItemCodes.PainScore, null),
            Performance = items.Fact<PerformanceStatus>(ItemCodes.PerformanceStatus, null),
            Procedures = ProcedureReader.Read(ctx, record, items),
        };
        items.ReportUnasked();
        return facts;
    }
}
