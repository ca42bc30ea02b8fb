using System.Globalization;
using BoneMetRT.Domain;
using BoneMetRT.Fhir.Normalize;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Denormalize;

/// <summary>
/// Business identifiers of the outputs (issue 10), so that a client saving the answer with conditional creates
/// (<c>ifNoneExist: identifier=…</c>) never makes duplicates. An output's identifier names its role within one
/// assessment; the assessment is the same when the patient, the date it is made for and the clinical data the engine
/// used are the same (the Provenance's sources, by content). The language, the request's wrapping and the resources
/// the engine ignored do not count: an assessment read back from an EHR that already holds its saved outputs (which the
/// engine ignores) is still the same one, while a changed record (a new or corrected measurement the engine uses) makes
/// a new assessment, saved next to the earlier one rather than silently merged with it.
/// </summary>
public sealed class OutputIdentifiers
{
    /// <summary>System of an output's identifier.</summary>
    public const string OutputSystem = "https://bonemetrt.org/fhir/sid/assessment-output";

    /// <summary>System of the assessment's identifier (<c>Bundle.identifier</c> of the answer).</summary>
    public const string AssessmentSystem = "https://bonemetrt.org/fhir/sid/assessment";

    /// <summary>System of the engine Device's identifier: one Device per engine version, shared by every answer.</summary>
    public const string DeviceSystem = "https://bonemetrt.org/fhir/sid/engine";

    // UTF-8 of the assessment's key and "\n", the prefix of every output's name (see OutputIds.NameBased).
    private readonly byte[] _prefix;

    /// <summary>
    /// The identity of one assessment from its normalized input and date; <paramref name="hashes"/> may hold the
    /// SHA-256 of the compact JSON of the <see cref="HashedInputs"/> (the pipeline has them from hashing the request),
    /// the others are computed.
    /// </summary>
    public OutputIdentifiers(NormalizedInput input, DateOnly assessmentDate, IReadOnlyDictionary<Resource, byte[]>? hashes = null)
    {
        var index = input.Index;
        var patient = index.ByKey(input.PatientKey) as Patient;
        var patientId = patient?.Identifier.FirstOrDefault(i => !string.IsNullOrEmpty(i.System) && !string.IsNullOrEmpty(i.Value)) is { } mrn
            ? $"{mrn.System}|{mrn.Value}"
            : index.EntryOf(input.PatientKey)?.FullUrl is { Length: > 0 } url ? url : input.PatientKey;

        // Sorted: the order in which a server returns the record does not make another assessment.
        var used = HashedInputs(input)
            .Select(r => Convert.ToHexString(hashes is not null && hashes.TryGetValue(r, out var hash) ? hash : FhirSerialization.JsonSha256(r)))
            .Order(StringComparer.Ordinal);
        var key = string.Join('\n', [patientId, assessmentDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), .. used]);
        _prefix = OutputIds.Prefix(key);
        Assessment = new Identifier(AssessmentSystem, OutputIds.NameBased(key));
    }

    /// <summary>The inputs whose content identifies the assessment: those the engine used, but the Patient.</summary>
    public static IEnumerable<Resource> HashedInputs(NormalizedInput input) =>
        input.Index.Resources.Where(x => input.Used.Contains(x.Index) && x.Resource is not Patient).Select(x => x.Resource);

    /// <summary>The assessment's identifier.</summary>
    public Identifier Assessment { get; }

    /// <summary>The identifier of an output by its role (e.g. <c>mirels-risk/…</c>).</summary>
    public Identifier Of(string role) => new(OutputSystem, OutputIds.NameBased(_prefix, role));

    /// <summary>The engine Device's identifier: its name and version.</summary>
    public static Identifier Device => new(DeviceSystem, $"{EngineInfo.Name} {EngineInfo.Version}");
}
