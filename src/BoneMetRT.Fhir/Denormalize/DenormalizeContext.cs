using System.Globalization;
using BoneMetRT.Domain;
using BoneMetRT.Domain.Assessment;
using BoneMetRT.Fhir.Normalize;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Denormalize;

/// <summary>
/// What every resource builder of Denormalize shares for one response: the engine's result, the normalized input (to
/// point back at the caller's resources), the language, the deterministic ids and the references between outputs
/// that later builders need (a lesion's risk assessment for its requests). One per response, never shared.
/// </summary>
internal sealed class DenormalizeContext
{
    private readonly Dictionary<string, string> _riskBySubject = new(StringComparer.Ordinal);
    private readonly List<string> _referencedInputs = [];
    private readonly HashSet<string> _referenced = new(StringComparer.Ordinal);

    public DenormalizeContext(AssessmentResult result, NormalizedInput input, Language language, string seed, DateTimeOffset now, IReadOnlyDictionary<Resource, byte[]>? inputHashes = null)
    {
        Now = new Instant(now.ToUniversalTime());
        Result = result;
        Input = input;
        Lang = language;
        Ids = new OutputIds(seed);
        Identifiers = new OutputIdentifiers(input, result.AssessmentDate, inputHashes);
        When = new FhirDateTime(result.AssessmentDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    /// <summary>The engine's result.</summary>
    public AssessmentResult Result { get; }

    /// <summary>The normalized input.</summary>
    public NormalizedInput Input { get; }

    /// <summary>Language of narratives and texts.</summary>
    public Language Lang { get; }

    /// <summary>Deterministic ids of the outputs.</summary>
    public OutputIds Ids { get; }

    /// <summary>Business identifiers of the outputs (stable across languages and re-reads of the same record).</summary>
    public OutputIdentifiers Identifiers { get; }

    /// <summary>When the answer is made (the pipeline's clock): Bundle.timestamp and Provenance.recorded.</summary>
    public Instant Now { get; }

    /// <summary>The assessment date, as every output dates itself.</summary>
    public FhirDateTime When { get; }

    /// <summary>fullUrl of the engine's Device (author and requester of every proposal).</summary>
    public string DeviceUrl => Ids.FullUrl("device");

    /// <summary>A text in the requested language.</summary>
    public string L(LocalizedText t) => t.In(Lang);

    /// <summary>The patient the response is about.</summary>
    public ResourceReference PatientRef => Ref(Input.PatientKey);

    /// <summary>
    /// A reference to an input, by its source key: the fullUrl the caller gave the input (kept as given, absolute or
    /// urn:uuid), so that it resolves to the copy of the input in the response; <c>Type/id</c> only when the caller
    /// gave no fullUrl. The input is remembered, to be copied into the response.
    /// </summary>
    public ResourceReference Ref(string key)
    {
        if (Input.Index.EntryOf(key) is not { } entry)
        {
            return new ResourceReference(key);
        }

        if (_referenced.Add(key))
        {
            _referencedInputs.Add(key);
        }

        return new ResourceReference(string.IsNullOrEmpty(entry.FullUrl) ? key : entry.FullUrl);
    }

    /// <summary>Source keys of the inputs the outputs reference, in the order first referenced.</summary>
    public IReadOnlyList<string> ReferencedInputs => _referencedInputs;

    /// <summary>True when a source key names a Condition of the input (lesion or compression).</summary>
    public bool IsCondition(string? key) => key is not null && Input.Index.ByKey(key) is Condition;

    /// <summary>A code of the BoneMetRT code system.</summary>
    public static CodeableConcept BoneMetCode(string code, string? display = null) => new(CodeSystems.BoneMet, code, display);

    /// <summary>Remembers the risk assessment a lesion's or compression's requests rest on (first one wins).</summary>
    public void AddRisk(string subject, string riskUrl) => _riskBySubject.TryAdd(subject, riskUrl);

    /// <summary>The risk assessment of a subject, if any.</summary>
    public string? RiskOf(string? subject) => subject is not null && _riskBySubject.TryGetValue(subject, out var url) ? url : null;

    /// <summary>The lesion Condition a compression comes from, when the input says (contract §3: focus the lesion where there is one).</summary>
    public string? MsccLesion(string msccId) =>
        Input.Facts.Compressions.FirstOrDefault(c => c.Id == msccId) is { LesionId: { } lesion } && Input.Index.ByKey(lesion) is Condition ? lesion : null;

    private static readonly SharedElements<string, Meta> Metas = new();

    /// <summary>
    /// An output entry: deterministic id from its role, its business identifier (where the type has one), its profile,
    /// the response language, a urn:uuid fullUrl.
    /// </summary>
    public Bundle.EntryComponent Entry(string role, Resource resource, string profile)
    {
        resource.Id = Ids.Id(role);
        switch (resource)
        {
            case Device device:
                device.Identifier = [OutputIdentifiers.Device];
                break;
            case IIdentifiable<List<Identifier>> x:
                x.Identifier = [Identifiers.Of(role)];
                break;
        }

        if (profile.Length > 0)
        {
            // Shared by every answer (SharedElements): never change it.
            resource.Meta = Metas.Get(profile, 0, static p => new Meta { Profile = [p] });
        }

        resource.Language = Lang == Language.Fr ? "fr" : "en";
        return new Bundle.EntryComponent { FullUrl = "urn:uuid:" + resource.Id, Resource = resource };
    }
}
