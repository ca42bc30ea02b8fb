// Optional write-back (BoneMetRT:SmartApp:WriteBack): after the clinician confirms, the answer is saved to the EHR in
// one FHIR transaction. The service turns the answer into that transaction (POST /app/write-back, the same rule the
// tests use to store every example on the test EHR): outputs as conditional creates on their identifiers (saving twice
// creates nothing), the engine's Device and the Provenance saved (the clinician as enterer), every caveat of the
// OperationOutcome kept as a note of the CarePlan, score Observations and RiskAssessments preliminary, requests and the
// CarePlan drafts; the EHR's own records, copied into the answer, are not saved again (references become its Type/id).
// The app then posts the transaction to the EHR with its own token; the service never writes to the EHR.

/** POSTs FHIR JSON with the app's token; the answer's body, or an Error quoting the OperationOutcome. */
async function postFhir(url, client, resource) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/fhir+json", Accept: "application/fhir+json", Authorization: client.getAuthorizationHeader() },
    body: JSON.stringify(resource),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const why = body?.issue?.map((i) => i.details?.text ?? i.diagnostics).join(" ") ?? "";
    throw new Error(`HTTP ${response.status} ${why}`.trim());
  }
  return body;
}

/** Asks the service for the transaction that saves <result> on the EHR the app is launched against. */
export function buildTransaction(config, client, result) {
  const query = new URLSearchParams({ base: client.state.serverUrl.replace(/\/$/, "") });
  if (client.user?.fhirUser) {
    query.set("enterer", client.user.fhirUser);
  }
  return postFhir(`${config.writeBackUrl}?${query}`, client, result);
}

/**
 * Saves the answer with the app's token; returns { created, unchanged, locations }: the Type/id of each resource the
 * EHR created, how many it already held (an earlier save of the same assessment), and the Type/id of every entry.
 */
export async function save(config, client, result) {
  const transaction = await buildTransaction(config, client, result);
  const body = await postFhir(client.state.serverUrl.replace(/\/$/, ""), client, transaction);
  const locations = (body?.entry ?? []).map((e) => [e.response?.status ?? "", (e.response?.location ?? "").split("/_history")[0]]);
  const created = locations.filter(([status]) => status.startsWith("201")).map(([, at]) => at);
  return { created, unchanged: locations.length - created.length, locations: locations.map(([, at]) => at) };
}
