namespace BoneMetRT.Fhir.WriteBack;

/// <summary>Who saves an answer of <c>$assess</c>, and where.</summary>
/// <param name="ServerBase">
/// FHIR base URL of the server the transaction is for (e.g. <c>https://ehr.example/fhir</c>): inputs whose fullUrl is
/// under it are already there and are referred to as <c>Type/id</c>, never sent again. Null: every input is sent.
/// </param>
/// <param name="Enterer">The clinician who confirmed the save (a SMART <c>fhirUser</c> such as <c>Practitioner/123</c>), when known.</param>
public sealed record WriteBackRequest(string? ServerBase, string? Enterer);
