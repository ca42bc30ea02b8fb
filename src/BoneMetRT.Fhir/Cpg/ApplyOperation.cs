using System.Text.RegularExpressions;
using BoneMetRT.Domain;
using BoneMetRT.Fhir.Pipeline;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Cpg;

/// <summary>
/// <c>PlanDefinition/$apply</c> of the guideline's PlanDefinition, independent of the transport: reads the CPG
/// parameters, runs exactly the <c>$assess</c> pipeline on the patient's data, evaluates the PlanDefinition's
/// applicability conditions on its answer and returns a CarePlan with the RequestGroups contained (docs/cpg.md).
/// </summary>
public sealed partial class ApplyOperation(AssessPipeline pipeline, GuidelinePlan plan)
{
    /// <summary>FHIRPath of the record read from the FHIR server in the answer's messages: it is no part of the body.</summary>
    public const string ServerDataPrefix = "Bundle";

    /// <summary>CPG <c>$apply</c> parameters this service does not use: reported as ignored, never silently dropped.</summary>
    private static readonly HashSet<string> UnsupportedCpgParameters =
    [
        "encounter", "practitioner", "organization", "userType", "userTaskContext", "settingContext", "parameters",
        "library", "prefetchData", "dataEndpoint", "contentEndpoint", "terminologyEndpoint", "canonical",
    ];

    /// <summary>
    /// The id of the patient whose record the transport must read from its FHIR server before <see cref="Apply"/>, or
    /// null when there is none to read: the request asks for server data (<c>useServerData</c> true, or absent with no
    /// <c>data</c>, docs/cpg.md), sends no <c>data</c>, and names one <c>subject</c> <c>Patient/{id}</c>. Otherwise
    /// <see cref="Apply"/> runs on <c>data</c> or says what is wrong.
    /// </summary>
    public static string? ServerDataPatient(Resource body)
    {
        if (body is not Parameters parameters || parameters.Parameter.Any(p => p.Name == "data"))
        {
            return null;
        }

        var flags = parameters.Parameter.Where(p => p.Name == "useServerData").ToList();
        if (flags.Count > 1 || (flags.Count == 1 && flags[0].Value is not FhirBoolean { Value: true }))
        {
            return null;
        }

        var subjects = parameters.Parameter.Where(p => p.Name == "subject")
            .Select(p => p.Value switch { FhirString f => f.Value, ResourceReference r => r.Reference, _ => null }).ToList();
        return subjects is [{ } only] ? PatientIdOf(only) : null;
    }

    /// <summary>
    /// Applies the PlanDefinition. <paramref name="instanceId"/> is the id of the URL at instance level
    /// (<c>PlanDefinition/{id}/$apply</c>), null at type level, where <c>url</c> or <c>planDefinition</c> names it.
    /// <paramref name="serverData"/> is the record of <see cref="ServerDataPatient"/> as the transport read it from
    /// its FHIR server (null where it has none). The answer is a success with the CarePlan, or a failure whose value is the OperationOutcome.
    /// </summary>
    public Result<Resource> Apply(string? instanceId, Resource body, AssessOptions? options = null, Bundle? serverData = null)
    {
        options ??= new AssessOptions();
        if (body is not Parameters parameters)
        {
            return Fail(OutcomeKind.Unprocessable, Language.En, Issue.Invalid(new($"$apply expects a Parameters resource, not {body.TypeName}.",
                $"$apply attend une ressource Parameters, pas {body.TypeName}."), body.TypeName));
        }

        var language = options.Language ?? LanguageOf(parameters) ?? Language.En;
        if (instanceId is not null && instanceId != PackageCanonicals.PlanDefinitionId)
        {
            return Fail(OutcomeKind.NotFound, language, new Issue(OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueType.NotFound,
                new($"PlanDefinition/{instanceId} is not known here: this service applies PlanDefinition/{PackageCanonicals.PlanDefinitionId}.",
                    $"PlanDefinition/{instanceId} est inconnue ici : ce service applique PlanDefinition/{PackageCanonicals.PlanDefinitionId}."), null, []));
        }

        var errors = new List<Issue>();
        var notes = new List<Issue>();
        var named = false;
        Bundle? data = null;
        var prefix = "Parameters";
        string? subject = null;
        DateOnly? date = null;
        bool? useServerData = null;
        var serverFlagAt = "Parameters.parameter";
        for (var i = 0; i < parameters.Parameter.Count; i++)
        {
            var p = parameters.Parameter[i];
            var at = $"Parameters.parameter[{i}]";
            switch (p.Name)
            {
                case "url" or "planDefinition" when instanceId is not null:
                    errors.Add(Issue.Invalid(new($"Parameter '{p.Name}' is not allowed at instance level: the URL names the PlanDefinition.",
                        $"Le paramètre « {p.Name} » n'est pas admis au niveau instance : l'URL désigne la PlanDefinition."), at));
                    break;
                case "url":
                    named = true;
                    if (NamedByUrl(p.Value) is { } notFound)
                    {
                        return Fail(OutcomeKind.NotFound, language, notFound with { Expressions = [$"{at}.value"] });
                    }

                    break;
                case "planDefinition" when p.Resource is PlanDefinition given:
                    named = true;
                    if (given.Url != PackageCanonicals.PlanDefinition || (given.Version is { } v && v != plan.Version))
                    {
                        errors.Add(new Issue(OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueType.NotSupported,
                            new($"This service applies only its own PlanDefinition {PackageCanonicals.PlanDefinition} (version {plan.Version}), not {given.Url}|{given.Version}.",
                                $"Ce service n'applique que sa propre PlanDefinition {PackageCanonicals.PlanDefinition} (version {plan.Version}), pas {given.Url}|{given.Version}."),
                            null, [$"{at}.resource.url"]));
                    }
                    else
                    {
                        notes.Add(new Issue(OperationOutcome.IssueSeverity.Information, OperationOutcome.IssueType.Informational,
                            new("The PlanDefinition sent was applied as this service holds it (the guideline engine is its logic); the content sent was not read beyond its url and version.",
                                "La PlanDefinition envoyée a été appliquée telle que le service la détient (sa logique est le moteur du référentiel) ; son contenu n'a pas été lu au-delà de son url et de sa version."),
                            "ignored-resource", [$"{at}.resource"]));
                    }

                    break;
                case "planDefinition":
                    errors.Add(Issue.Invalid(new("Parameter 'planDefinition' must be a PlanDefinition resource.", "Le paramètre « planDefinition » doit être une ressource PlanDefinition."), at));
                    break;
                case "data":
                    OperationParameters.Data(p, at, ref data, ref prefix, errors);
                    break;
                case "subject":
                    subject = OperationParameters.Subject(p, at, errors);
                    break;
                case "useServerData" when useServerData is not null:
                    errors.Add(Issue.Invalid(new("Parameter 'useServerData' must be given once.", "Le paramètre « useServerData » doit être donné une fois."), at));
                    break;
                case "useServerData" when p.Value is FhirBoolean { Value: { } flag }:
                    useServerData = flag;
                    serverFlagAt = $"{at}.value";
                    break;
                case "useServerData":
                    errors.Add(Issue.Invalid(new("Parameter 'useServerData' must be a boolean.", "Le paramètre « useServerData » doit être un booléen."), $"{at}.value"));
                    break;
                case "userLanguage":
                    if (LanguageOfValue(p.Value) is null)
                    {
                        errors.Add(Issue.Invalid(new("Parameter 'userLanguage' must be the language en or fr (a CodeableConcept, or a code).",
                            "Le paramètre « userLanguage » doit être la langue en ou fr (un CodeableConcept, ou un code)."), $"{at}.value"));
                    }

                    break;
                case "setting":
                    notes.Add(new Issue(OperationOutcome.IssueSeverity.Information, OperationOutcome.IssueType.Informational,
                        new("Parameter 'setting' was read but does not change the proposal: the guideline has one setting (radiation oncology).",
                            "Le paramètre « setting » a été lu mais ne change pas la proposition : le référentiel n'a qu'un cadre (radiothérapie)."),
                        "ignored-resource", [at]));
                    break;
                case "assessmentDate":
                    date = OperationParameters.AssessmentDate(p, at, errors);
                    break;
                default:
                    var cpg = UnsupportedCpgParameters.Contains(p.Name ?? "");
                    notes.Add(new Issue(OperationOutcome.IssueSeverity.Warning, OperationOutcome.IssueType.NotSupported,
                        cpg
                            ? new($"Parameter '{p.Name}' of CPG $apply is not supported by this service and was ignored.",
                                $"Le paramètre « {p.Name} » du $apply de CPG n'est pas pris en charge par ce service et a été ignoré.")
                            : new($"Unknown parameter '{p.Name}' ignored: $apply takes url, planDefinition, subject, data, useServerData, setting, userLanguage and assessmentDate.",
                                $"Paramètre inconnu « {p.Name} » ignoré : $apply prend url, planDefinition, subject, data, useServerData, setting, userLanguage et assessmentDate."),
                        "ignored-resource", [at]));
                    break;
            }
        }

        if (instanceId is null && !named && errors.Count == 0)
        {
            errors.Add(Issue.Invalid(new($"Name the PlanDefinition to apply with 'url' ({PackageCanonicals.PlanDefinition}) or 'planDefinition', or call PlanDefinition/{PackageCanonicals.PlanDefinitionId}/$apply.",
                $"Désignez la PlanDefinition à appliquer par « url » ({PackageCanonicals.PlanDefinition}) ou « planDefinition », ou appelez PlanDefinition/{PackageCanonicals.PlanDefinitionId}/$apply."), "Parameters.parameter"));
        }

        // CPG's default for useServerData is true; here it is true only when no data is sent, so that a request
        // with data alone keeps meaning "this record" (docs/cpg.md).
        var fromServer = useServerData ?? data is null;
        if (fromServer && errors.Count == 0)
        {
            if (data is not null)
            {
                // Not merged: the same resource read twice (sent, and on the server) under two ids would look like two
                // lesions or two conflicting scores, and which copy is current cannot be told; the caller chooses.
                errors.Add(Issue.Invalid(new("Parameters 'data' and useServerData=true cannot be combined: the record sent and the server's would be merged without knowing which copy of a resource is current. Send the record in 'data' (useServerData false or absent), or send 'subject' alone.",
                    "Les paramètres « data » et useServerData=true ne peuvent être combinés : le dossier envoyé et celui du serveur seraient fusionnés sans savoir quelle copie d'une ressource est à jour. Envoyez le dossier dans « data » (useServerData faux ou absent), ou « subject » seul."), serverFlagAt));
            }
            else if (subject is null || PatientIdOf(subject) is null)
            {
                errors.Add(Issue.Invalid(new("Parameter 'subject' (Patient/{id}) is required to read the patient's record from the FHIR server (useServerData true, the default without 'data'); or send the record in 'data'.",
                    "Le paramètre « subject » (Patient/{id}) est obligatoire pour lire le dossier du patient sur le serveur FHIR (useServerData vrai, la valeur par défaut sans « data ») ; ou envoyez le dossier dans « data »."), "Parameters.parameter"));
            }
            else if (serverData is null)
            {
                errors.Add(new Issue(OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueType.NotSupported,
                    new("This transport reads no FHIR server: send the patient's record in 'data'.", "Ce transport ne lit aucun serveur FHIR : envoyez le dossier du patient dans « data »."),
                    null, [serverFlagAt]));
            }
            else
            {
                data = serverData;
                prefix = ServerDataPrefix;
                // The record holds only the subject's data; its Patient is the one read, under the server's URL.
                subject = null;
            }
        }
        else if (data is null && errors.Count == 0)
        {
            errors.Add(Issue.Invalid(new("Parameter 'data' (the patient's Bundle) is required when useServerData is false.",
                "Le paramètre « data » (le Bundle du patient) est obligatoire quand useServerData est faux."), serverFlagAt));
        }

        if (errors.Count > 0)
        {
            return Result<Resource>.Failure(OutcomeKind.Unprocessable, errors, OperationOutcomes.From(errors, language));
        }

        var result = pipeline.Run(new PipelineInput(body, data!, prefix, subject, date, language, notes), options with { Language = language });
        if (!result.IsSuccess || result.Value is not Bundle assessment)
        {
            return result;
        }

        return Result<Resource>.Success(AppliedCarePlan.From(assessment, plan.ApplicableActions(assessment)), result.Issues);
    }

    /// <summary>Null when <c>url</c> names this PlanDefinition (optionally with its version), else the not-found issue.</summary>
    private Issue? NamedByUrl(DataType? value)
    {
        var text = value switch
        {
            PrimitiveType primitive => primitive.ToString(),
            _ => null,
        };
        var parts = (text ?? "").Split('|', 2);
        if (parts[0] == PackageCanonicals.PlanDefinition && (parts.Length == 1 || parts[1] == plan.Version))
        {
            return null;
        }

        return new Issue(OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueType.NotFound,
            new($"No PlanDefinition '{text}' here: this service applies {PackageCanonicals.PlanDefinition} (version {plan.Version}).",
                $"Pas de PlanDefinition « {text} » ici : ce service applique {PackageCanonicals.PlanDefinition} (version {plan.Version})."), null, []);
    }

    /// <summary>The id of <c>Patient/{id}</c> (a FHIR id), else null.</summary>
    private static string? PatientIdOf(string subject) => PatientReference().Match(subject) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("^Patient/([A-Za-z0-9\\-\\.]{1,64})$")]
    private static partial Regex PatientReference();

    private static Result<Resource> Fail(OutcomeKind kind, Language language, Issue issue) =>
        Result<Resource>.Failure(kind, [issue], OperationOutcomes.From([issue], language));

    /// <summary>The language asked for in <c>userLanguage</c>, read first so that every error speaks it.</summary>
    private static Language? LanguageOf(Parameters parameters) =>
        parameters.Parameter.Where(p => p.Name == "userLanguage").Select(p => LanguageOfValue(p.Value)).FirstOrDefault(l => l is not null);

    /// <summary><c>en</c> or <c>fr</c>, with or without a region (<c>fr-FR</c>), from a CodeableConcept's codings or text, or a code.</summary>
    private static Language? LanguageOfValue(DataType? value)
    {
        var candidates = value switch
        {
            CodeableConcept cc => cc.Coding.Select(c => c.Code).Append(cc.Text),
            Code code => [code.Value],
            Coding coding => [coding.Code],
            _ => [],
        };
        foreach (var candidate in candidates.OfType<string>())
        {
            switch (candidate.Split('-', 2)[0].ToLowerInvariant())
            {
                case "en":
                    return Language.En;
                case "fr":
                    return Language.Fr;
            }
        }

        return null;
    }
}
