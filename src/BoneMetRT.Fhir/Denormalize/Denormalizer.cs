using BoneMetRT.Domain;
using BoneMetRT.Domain.Assessment;
using BoneMetRT.Fhir.Normalize;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Denormalize;

/// <summary>
/// Denormalize: domain → FHIR. Builds the response Bundle of <c>$assess</c> exactly as the contract (§3) describes:
/// a CarePlan, one RiskAssessment and one score Observation per computed score, one RequestGroup per proposed
/// radiotherapy course with one ServiceRequest per regimen, an OperationOutcome, the engine as a Device, and a
/// Provenance, then the input resources the outputs refer to (tagged <c>bonemet#input</c>). Each resource has its
/// own builder around a shared <see cref="DenormalizeContext"/>. Ids are deterministic for a given input, assessment
/// date and language; every reference resolves inside the Bundle: between outputs by urn:uuid, to inputs by the
/// fullUrl the caller gave them.
/// </summary>
public static class Denormalizer
{
    /// <summary>Builds the response Bundle.</summary>
    /// <param name="result">The engine's result.</param>
    /// <param name="input">The normalized input (for references back to the caller's resources).</param>
    /// <param name="language">Language of narratives and texts.</param>
    /// <param name="seed">Seed of deterministic ids (a hash of the request).</param>
    /// <param name="issues">Issues found before the engine ran (ignored resources, validation warnings).</param>
    /// <param name="now">When the answer is made (Bundle.timestamp, Provenance.recorded); ids do not depend on it.</param>
    /// <param name="inputHashes">SHA-256 of the compact JSON of the inputs, where the caller has them already (see
    /// <see cref="OutputIdentifiers.HashedInputs"/>); the others are computed.</param>
    public static Bundle ToBundle(AssessmentResult result, NormalizedInput input, Language language, string seed, IEnumerable<Issue> issues, DateTimeOffset now,
        IReadOnlyDictionary<Resource, byte[]>? inputHashes = null)
    {
        var c = new DenormalizeContext(result, input, language, seed, now, inputHashes);
        var scoreBuilder = new ScoreObservationBuilder(c);
        var riskBuilder = new RiskAssessmentBuilder(c);
        var provenance = new ProvenanceBuilder(c);

        // Risks first: the radiotherapy requests of a lesion point at its risk assessment.
        var riskEntries = new List<Bundle.EntryComponent>();
        var scores = new List<Bundle.EntryComponent>();
        foreach (var m in result.Mirels.Where(m => m.IsComputed))
        {
            var score = scoreBuilder.Mirels(m);
            scores.Add(score);
            riskEntries.Add(riskBuilder.Mirels(m, score.FullUrl!));
        }

        foreach (var rades in result.Rades.Where(r => r.IsComputed))
        {
            var score = scoreBuilder.Rades(rades);
            scores.Add(score);
            riskEntries.Add(riskBuilder.Rades(rades, score.FullUrl!));
        }

        var requests = new List<Bundle.EntryComponent>();
        var carePlan = new CarePlanBuilder(c, new RequestGroupBuilder(c, new RadiotherapyRequestBuilder(c)))
            .Build([.. riskEntries.Select(e => new ResourceReference(e.FullUrl))], requests);
        var outcome = new OutcomeBuilder(c).Build(issues);
        var device = provenance.EngineDevice();

        var all = new List<Bundle.EntryComponent> { carePlan };
        all.AddRange(riskEntries);
        all.AddRange(scores);
        all.AddRange(requests);
        if (outcome is not null)
        {
            all.Add(outcome);
        }

        all.Add(device);
        all.Add(provenance.OutputProvenance(all));

        // Last, once every output has said which inputs it points at: the copies of those inputs.
        all.AddRange(InputCopies.Build(c));

        var bundle = new Bundle
        {
            Id = c.Ids.Id("bundle"),
            Identifier = c.Identifiers.Assessment,
            Type = Bundle.BundleType.Collection,
            TimestampElement = c.Now,
        };
        bundle.Entry.AddRange(all);
        return bundle;
    }
}
