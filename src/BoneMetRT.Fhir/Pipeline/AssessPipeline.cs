using System.Globalization;
using BoneMetRT.Domain;
using BoneMetRT.Domain.Assessment;
using BoneMetRT.Fhir.Denormalize;
using BoneMetRT.Fhir.Normalize;
using BoneMetRT.Fhir.Validation;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Pipeline;

/// <summary>Overrides a caller outside HTTP (the CLI, tests) may set on top of the request's own parameters.</summary>
/// <param name="Validate">Validate the input against the base spec and the input profiles before scoring.</param>
/// <param name="AssessmentDate">Overrides <c>assessmentDate</c>.</param>
/// <param name="Language">Overrides <c>language</c>.</param>
public sealed record AssessOptions(bool Validate = true, DateOnly? AssessmentDate = null, Language? Language = null);

/// <summary>
/// <c>$assess</c> end to end, independent of the transport: read the operation's parameters, validate, Normalize
/// (FHIR → domain), Evaluate (the guideline engine), Denormalize (domain → FHIR). The HTTP service and the CLI call
/// exactly this.
/// </summary>
/// <param name="validation">Input validation, or null to skip it.</param>
/// <param name="settings">The engine's settings.</param>
/// <param name="clock">The clock of <c>Bundle.timestamp</c> and <c>Provenance.recorded</c>.</param>
/// <param name="terminology">The code systems Conditions are read in (<c>BoneMetRT:Terminology:AcceptedSystems</c>); default all the package lists.</param>
public sealed class AssessPipeline(FhirValidation? validation, EngineSettings settings, TimeProvider clock, TerminologySettings? terminology = null)
{
    /// <summary>A pipeline with the default validation, settings and clock.</summary>
    public static AssessPipeline CreateDefault() => new(FhirValidation.Default, EngineSettings.Default, TimeProvider.System);

    /// <summary>
    /// Starts warming up in the background (for a service, at start-up): the validation schemas, then one made-up
    /// request through the whole pipeline and its serialization, so that the first real request is not the one that
    /// pays for compiling them. Idempotent; requests that need validation meanwhile wait for it to finish.
    /// </summary>
    public Task BeginWarmUp()
    {
        void Sample()
        {
            var result = Assess(WarmUpSample.Request(), new AssessOptions(Validate: validation is not null));
            FhirSerialization.Write(result.Value!, FhirFormat.Json, Stream.Null);
        }

        return validation is not null ? validation.BeginWarmUp(Sample) : Task.Run(Sample);
    }

    /// <summary>
    /// Runs the operation on a request body (Parameters, or a bare Bundle taken as <c>data</c>): a success with the
    /// result Bundle, or a failure whose value is the OperationOutcome in the request's language.
    /// </summary>
    public Result<Resource> Assess(Resource body, AssessOptions? options = null)
    {
        options ??= new AssessOptions();
        var request = ReadRequest(body, options);
        if (request.Errors.Count > 0)
        {
            return Fail(OutcomeKind.Unprocessable, request.Errors, request.Language);
        }

        return Run(new PipelineInput(body, request.Bundle!, request.Prefix, request.Subject, request.Date, request.Language, request.Notes), options);
    }

    /// <summary>
    /// Runs validation, Normalize, the engine and Denormalize on data another operation has already read from its own
    /// parameters (<c>$apply</c>), so that both operations answer from exactly the same steps.
    /// </summary>
    public Result<Resource> Run(PipelineInput input, AssessOptions? options = null)
    {
        options ??= new AssessOptions();
        var language = options.Language ?? input.Language;
        var date = options.AssessmentDate ?? input.AssessmentDate ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var issues = new List<Issue>(input.Notes);
        (byte[] Root, Dictionary<Resource, byte[]> Parts)? hashes = null;
        if (options.Validate && validation is not null)
        {
            // The request is hashed before validation, once: the validation cache looks the data Bundle and its
            // profiled Observations up by their hashes (a record seen before costs this serialization), and the ids
            // and identifiers of the answer take theirs from the same pass.
            hashes = FhirSerialization.JsonSha256Within(input.Body, [input.Data, .. input.Data.Entry.Select(e => e.Resource).OfType<Resource>()]);
            var invalid = validation.ValidateInput(input.Data, input.Prefix, hashes.Value.Parts);
            var notChecked = validation.UncheckedProfiles(input.Data, input.Prefix); // declared profiles it does not know: warnings
            if (invalid.Count > 0)
            {
                return Fail(OutcomeKind.Unprocessable, [.. invalid, .. notChecked], language);
            }

            issues.AddRange(notChecked);
        }

        var normalized = Normalizer.Normalize(input.Data, input.Prefix, input.Subject, date, terminology);
        if (!normalized.IsSuccess)
        {
            return Fail(normalized.Kind, normalized.Issues.Where(i => i.IsError).ToList(), language);
        }

        issues.AddRange(normalized.Issues);
        var result = GuidelineEngine.Evaluate(normalized.Value.Facts, settings);

        // One serialization of the request gives the hash that seeds the ids and those of the inputs that identify
        // the assessment (the same bytes as hashing each alone).
        var hashed = OutputIdentifiers.HashedInputs(normalized.Value);
        var (requestHash, inputHashes) = hashes is { } before && hashed.All(before.Parts.ContainsKey)
            ? before
            : FhirSerialization.JsonSha256Within(input.Body, hashed);
        var seed = Seed(requestHash, date, language);
        return Result<Resource>.Success(Denormalizer.ToBundle(result, normalized.Value, language, seed, issues, clock.GetUtcNow(), inputHashes), issues);
    }

    private static Result<Resource> Fail(OutcomeKind kind, IReadOnlyList<Issue> issues, Language language) =>
        Result<Resource>.Failure(kind, issues, OperationOutcomes.From(issues, language));

    // The request's content (the SHA-256 of its compact JSON, whatever the wire format was), the date and the language.
    private static string Seed(byte[] requestHash, DateOnly date, Language language) =>
        Convert.ToHexString(requestHash) + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + language;

    private sealed record Request(Bundle? Bundle, string Prefix, string? Subject, DateOnly? Date, Language Language, List<Issue> Errors, List<Issue> Notes);

    private Request ReadRequest(Resource body, AssessOptions options)
    {
        var errors = new List<Issue>();
        var notes = new List<Issue>();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        switch (body)
        {
            case Bundle bundle:
                return new Request(bundle, "Bundle", null, options.AssessmentDate ?? today, options.Language ?? Language.En, errors, notes);

            case Parameters parameters:
                Bundle? data = null;
                var prefix = "Parameters";
                string? subject = null;
                DateOnly? date = null;
                Language? language = null;
                for (var i = 0; i < parameters.Parameter.Count; i++)
                {
                    var p = parameters.Parameter[i];
                    var at = $"Parameters.parameter[{i}]";
                    switch (p.Name)
                    {
                        case "data":
                            OperationParameters.Data(p, at, ref data, ref prefix, errors);
                            break;
                        case "subject":
                            subject = OperationParameters.Subject(p, at, errors);
                            break;
                        case "assessmentDate":
                            date = OperationParameters.AssessmentDate(p, at, errors);
                            break;
                        case "language":
                            language = (p.Value as Code)?.Value?.ToLowerInvariant() switch
                            {
                                "en" => Language.En,
                                "fr" => Language.Fr,
                                _ => null,
                            };
                            if (language is null)
                            {
                                errors.Add(Issue.Invalid(new("Parameter 'language' must be the code 'en' or 'fr'.", "Le paramètre « language » doit être le code « en » ou « fr »."), $"{at}.value"));
                            }

                            break;
                        default:
                            notes.Add(new Issue(OperationOutcome.IssueSeverity.Warning, OperationOutcome.IssueType.NotSupported,
                                new($"Unknown parameter '{p.Name}' ignored: $assess takes data, subject, assessmentDate and language.",
                                    $"Paramètre inconnu « {p.Name} » ignoré : $assess prend data, subject, assessmentDate et language."),
                                "ignored-resource", [at]));
                            break;
                    }
                }

                if (data is null && errors.Count == 0)
                {
                    errors.Add(Issue.Invalid(new("Parameter 'data' (the patient's Bundle) is required.", "Le paramètre « data » (le Bundle du patient) est obligatoire."), "Parameters.parameter"));
                }

                return new Request(data, prefix, subject, options.AssessmentDate ?? date ?? today, options.Language ?? language ?? Language.En, errors, notes);

            default:
                errors.Add(Issue.Invalid(new($"$assess expects a Parameters or a Bundle resource, not {body.TypeName}.",
                    $"$assess attend une ressource Parameters ou Bundle, pas {body.TypeName}."), body.TypeName));
                return new Request(null, body.TypeName, null, today, options.Language ?? Language.En, errors, notes);
        }
    }
}
