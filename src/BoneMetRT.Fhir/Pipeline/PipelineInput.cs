using BoneMetRT.Domain;
using Hl7.Fhir.Model;

namespace BoneMetRT.Fhir.Pipeline;

/// <summary>
/// A request whose parameters an operation has read: the patient's data, where it sits in the caller's body (so that
/// every issue points at the caller's own input), and the settings of the run.
/// </summary>
/// <param name="Body">The caller's whole body; its content seeds the output ids, so the same request gives the same answer.</param>
/// <param name="Data">The patient's Bundle.</param>
/// <param name="Prefix">FHIRPath of <paramref name="Data"/> in <paramref name="Body"/>, e.g. <c>Parameters.parameter[0].resource</c>.</param>
/// <param name="Subject">The patient, <c>Patient/{id}</c>, when the data holds several.</param>
/// <param name="AssessmentDate">The date intervals are counted to; null for today.</param>
/// <param name="Language">Language of the answer.</param>
/// <param name="Notes">Issues found while reading the parameters, reported with the answer.</param>
public sealed record PipelineInput(Resource Body, Bundle Data, string Prefix, string? Subject, DateOnly? AssessmentDate, Language Language, IReadOnlyList<Issue> Notes);
