// Optional write-back (BoneMetRT:SmartApp:WriteBack): after the clinician confirms, the proposal is saved to the EHR
// as drafts in one transaction: the score Observations, RiskAssessments, RequestGroups, ServiceRequests and the CarePlan. References
// between them stay urn:uuid fullUrls (the EHR resolves them); references to the engine's Device (not saved) are dropped.
// The response also holds copies of the EHR's own resources (tagged bonemet#input), which are never saved again:
// references to them become the EHR's relative Type/id.
const INPUT_TAG = (t) => t.system === "https://bonemetrt.org/fhir/CodeSystem/bonemet" && t.code === "input";
const SAVED = new Set(["Observation", "RiskAssessment", "RequestGroup", "ServiceRequest", "CarePlan"]);
const SCORE_CODES = new Set(["mirels-score", "rades-score"]);

function isSaved(resource) {
  if (!SAVED.has(resource?.resourceType) || (resource.meta?.tag ?? []).some(INPUT_TAG)) {
    return false;
  }
  return resource.resourceType !== "Observation" || (resource.code?.coding ?? []).some((c) => SCORE_CODES.has(c.code));
}

/** Removes every reference to a urn:uuid that is not in the transaction; references to inputs become Type/id. */
function prune(node, kept, inputs) {
  if (node && typeof node === "object" && !Array.isArray(node) && typeof node.reference === "string" && inputs.has(node.reference)) {
    node.reference = inputs.get(node.reference);
  }
  const dangling = (v) => v && typeof v === "object" && typeof v.reference === "string" && v.reference.startsWith("urn:uuid:") && !kept.has(v.reference) && !inputs.has(v.reference);
  if (Array.isArray(node)) {
    const out = node.filter((v) => !dangling(v)).map((v) => prune(v, kept, inputs));
    return out;
  }
  if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (dangling(v)) {
        delete node[k];
      } else {
        const pruned = prune(v, kept, inputs);
        if (Array.isArray(pruned) && pruned.length === 0) {
          delete node[k]; // FHIR JSON has no empty arrays
        } else {
          node[k] = pruned;
        }
      }
    }
  }
  return node;
}

/** The transaction Bundle that saves a result Bundle's proposal. */
export function buildTransaction(result) {
  const entries = (result.entry ?? []).filter((e) => isSaved(e.resource));
  const kept = new Set(entries.map((e) => e.fullUrl));
  const inputs = new Map((result.entry ?? []).filter((e) => (e.resource?.meta?.tag ?? []).some(INPUT_TAG) && e.fullUrl && e.resource.id)
    .map((e) => [e.fullUrl, `${e.resource.resourceType}/${e.resource.id}`]));
  return {
    resourceType: "Bundle",
    type: "transaction",
    entry: entries.map((e) => {
      const resource = prune(structuredClone(e.resource), kept, inputs);
      delete resource.id;
      return { fullUrl: e.fullUrl, resource, request: { method: "POST", url: resource.resourceType } };
    }),
  };
}

/** Saves the proposal with the app's token; returns the created Type/id of each resource. */
export async function save(client, result) {
  const response = await fetch(client.state.serverUrl.replace(/\/$/, ""), {
    method: "POST",
    headers: { "Content-Type": "application/fhir+json", Accept: "application/fhir+json", Authorization: client.getAuthorizationHeader() },
    body: JSON.stringify(buildTransaction(result)),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const why = body?.issue?.map((i) => i.details?.text ?? i.diagnostics).join(" ") ?? "";
    throw new Error(`HTTP ${response.status} ${why}`.trim());
  }
  return (body?.entry ?? []).map((e) => (e.response?.location ?? "").split("/_history")[0]);
}
