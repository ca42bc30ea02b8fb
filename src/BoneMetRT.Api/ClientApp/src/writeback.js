// Optional write-back (BoneMetRT:SmartApp:WriteBack): after the clinician confirms, the proposal is saved to the EHR
// in one transaction, never as final: the score Observations and RiskAssessments as preliminary, the RequestGroups
// (the choice of regimen and its order), their ServiceRequests and the CarePlan as drafts. Each names the engine as its
// author (a contained Device: the EHR is not asked to create one), and a Provenance records the engine as author and
// the clinician who confirmed as enterer. References between them stay urn:uuid fullUrls (the EHR resolves them). The
// response also holds copies of the EHR's own resources (tagged bonemet#input), which are never saved again: references
// to them become the EHR's relative Type/id.
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

const ENGINE = "#engine";
// Never final: the clinician has reviewed a proposal, not signed an order.
const STATUS = { Observation: "preliminary", RiskAssessment: "preliminary", RequestGroup: "draft", ServiceRequest: "draft", CarePlan: "draft" };
// Where each saved type names its author (FHIR R4 elements that take a Device).
const AUTHOR = { Observation: "device", RiskAssessment: "performer", RequestGroup: "author", ServiceRequest: "requester", CarePlan: "author" };

/** The engine's Device of the result, to be contained as #engine. */
function engineDevice(result) {
  const device = (result.entry ?? []).map((e) => e.resource).find((r) => r?.resourceType === "Device");
  return device ? { ...structuredClone(device), id: ENGINE.slice(1) } : null;
}

/**
 * The transaction Bundle that saves a result Bundle's proposal; <fhirUser> (e.g. Practitioner/123), when known, is the
 * Provenance's enterer.
 */
export function buildTransaction(result, fhirUser, now = new Date()) {
  const entries = (result.entry ?? []).filter((e) => isSaved(e.resource));
  const kept = new Set(entries.map((e) => e.fullUrl));
  const inputs = new Map((result.entry ?? []).filter((e) => (e.resource?.meta?.tag ?? []).some(INPUT_TAG) && e.fullUrl && e.resource.id)
    .map((e) => [e.fullUrl, `${e.resource.resourceType}/${e.resource.id}`]));
  const device = engineDevice(result);
  const saved = entries.map((e) => {
    const resource = prune(structuredClone(e.resource), kept, inputs);
    delete resource.id;
    resource.status = STATUS[resource.resourceType];
    if (device) {
      resource.contained = [...(resource.contained ?? []), structuredClone(device)];
      resource[AUTHOR[resource.resourceType]] = { reference: ENGINE }; // 0..1 in each of the five types
    }
    return { fullUrl: e.fullUrl, resource, request: { method: "POST", url: resource.resourceType } };
  });
  const agent = [];
  if (device) {
    agent.push({ type: participant("author"), who: { reference: ENGINE } });
  }
  if (fhirUser) {
    agent.push({ type: participant("enterer"), who: { reference: fhirUser } });
  }
  const provenance = {
    resourceType: "Provenance",
    ...(device ? { contained: [device] } : {}),
    target: saved.map((e) => ({ reference: e.fullUrl })),
    recorded: now.toISOString(),
    agent,
  };
  return {
    resourceType: "Bundle",
    type: "transaction",
    entry: [...saved, { fullUrl: `urn:uuid:${crypto.randomUUID()}`, resource: provenance, request: { method: "POST", url: "Provenance" } }],
  };
}

function participant(code) {
  return { coding: [{ system: "http://terminology.hl7.org/CodeSystem/provenance-participant-type", code }] };
}

/** Saves the proposal with the app's token; returns the created Type/id of each resource. */
export async function save(client, result) {
  const response = await fetch(client.state.serverUrl.replace(/\/$/, ""), {
    method: "POST",
    headers: { "Content-Type": "application/fhir+json", Accept: "application/fhir+json", Authorization: client.getAuthorizationHeader() },
    body: JSON.stringify(buildTransaction(result, client.user?.fhirUser)),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const why = body?.issue?.map((i) => i.details?.text ?? i.diagnostics).join(" ") ?? "";
    throw new Error(`HTTP ${response.status} ${why}`.trim());
  }
  return (body?.entry ?? []).map((e) => (e.response?.location ?? "").split("/_history")[0]);
}
