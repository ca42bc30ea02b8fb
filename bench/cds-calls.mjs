// CDS Hooks calls made from the valid examples, as an EHR would send them, for comparing two builds of the service
// (bench/aot.sh). For each example: a patient-view call with the prefetch of the discovery templates, and an
// order-select and an order-sign call with draft radiotherapy orders (8 Gy/1, one for each Condition) when the chart
// has Conditions.
// One feedback body at the end. Writes NAME.json files into the output folder and prints "PATH FILE" lines (the
// service path to POST to, the body).
//
// usage: node bench/cds-calls.mjs examples/valid OUTDIR
//
// The chart is built as the Api tests build it (tests/BoneMetRT.Api.Tests/CdsHooks/CdsTestSupport.cs, CdsCalls): every
// resource gets an id (an urn:uuid fullUrl gives it) and references between them become relative, as a server holds them.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { join, basename } from "node:path";

const [examples, out] = process.argv.slice(2);
if (!examples || !out) {
  console.error("usage: node bench/cds-calls.mjs EXAMPLES-FOLDER OUTDIR");
  process.exit(2);
}
mkdirSync(out, { recursive: true });

const ehr = "http://ehr.test/fhir";
const base = "/cds-services/bonemetrt-";
const lines = [];
const write = (name, path, body) => {
  const file = join(out, `${name}.json`);
  writeFileSync(file, JSON.stringify(body));
  lines.push(`${path} ${file}`);
};

function chart(file) {
  let root = JSON.parse(readFileSync(file, "utf8"));
  if (root.resourceType === "Parameters") root = root.parameter[0].resource;
  const rename = new Map();
  for (const entry of root.entry) {
    const r = entry.resource;
    if (entry.fullUrl?.startsWith("urn:uuid:")) {
      r.id ??= entry.fullUrl.slice("urn:uuid:".length);
      rename.set(entry.fullUrl, `${r.resourceType}/${r.id}`);
    }
  }
  let text = JSON.stringify(root);
  for (const [from, to] of rename) text = text.split(`"${from}"`).join(`"${to}"`);
  const byType = {};
  for (const { resource } of JSON.parse(text).entry) (byType[resource.resourceType] ??= []).push(resource);
  return byType;
}

function prefetch(byType) {
  const searchset = (type) => {
    const entry = (byType[type] ?? []).map((r) => ({ fullUrl: `${ehr}/${type}/${r.id}`, resource: r, search: { mode: "match" } }));
    return { resourceType: "Bundle", type: "searchset", total: entry.length, ...(entry.length ? { entry } : {}) };
  };
  return { patient: byType.Patient[0], conditions: searchset("Condition"), observations: searchset("Observation"), procedures: searchset("Procedure") };
}

const call = (hook, patientId, pre, context = {}) => ({
  hook,
  hookInstance: "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
  context: { userId: "Practitioner/example", patientId, ...context },
  prefetch: pre,
});

for (const name of readdirSync(examples).filter((f) => f.endsWith(".json")).sort()) {
  const byType = chart(join(examples, name));
  const patientId = byType.Patient[0].id;
  const pre = prefetch(byType);
  const stem = basename(name, ".json");
  write(`patient-view-${stem}`, `${base}patient-view`, call("patient-view", patientId, pre));
  const conditions = byType.Condition ?? [];
  if (conditions.length) {
    const drafts = conditions.map((condition, i) => ({
      resourceType: "ServiceRequest", id: `draft-rt-${i + 1}`, status: "draft", intent: "order",
      code: { coding: [{ system: "http://snomed.info/sct", code: "1217123003" }, { system: "https://bonemetrt.org/fhir/CodeSystem/bonemet", code: "rt-8gy-1fx" }], text: "Radiotherapy" },
      subject: { reference: `Patient/${patientId}` },
      reasonReference: [{ reference: `Condition/${condition.id}` }],
    }));
    const draftOrders = { resourceType: "Bundle", type: "collection", entry: drafts.map((resource) => ({ resource })) };
    const selections = drafts.map((d) => `ServiceRequest/${d.id}`);
    write(`order-select-${stem}`, `${base}order-select`, call("order-select", patientId, pre, { selections, draftOrders }));
    write(`order-sign-${stem}`, `${base}order-sign`, call("order-sign", patientId, pre, { draftOrders }));
  }
}
write("feedback", `${base}patient-view/feedback`, {
  feedback: [
    { card: "4f8b2a56-8bd2-4d5f-9a47-0f6f1a1a6c11", outcome: "overridden", overrideReason: { reason: { code: "x", display: "other" } }, outcomeTimestamp: "2026-03-16T12:00:00Z" },
    { card: "5f8b2a56-8bd2-4d5f-9a47-0f6f1a1a6c11", outcome: "accepted", acceptedSuggestions: [{ id: "e56e1945-20b3-4393-8503-a1a20fd73152" }], outcomeTimestamp: "2026-03-16T12:00:00Z" },
  ],
});
console.log(lines.join("\n"));
