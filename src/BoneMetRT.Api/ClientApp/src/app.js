// The SMART app's page (/app/index.html, the redirect URI): completes the authorization, reads the patient's
// Conditions, Observations and Procedures from the EHR with fhirclient (every page), sends them as a Bundle to the
// service's $assess (same origin) and shows the result.
import FHIR from "fhirclient";
import { t, initialLanguage, saveLanguage } from "./i18n.js";
import { renderResult, renderOutcome } from "./view.js";
import { save } from "./writeback.js";
import { isAllowed, originOf } from "./ehrs.js";

const state = { lang: initialLanguage(), config: null, client: null, resources: [], patientId: null };

function status(text) {
  document.getElementById("status").textContent = text;
}

function applyLanguage() {
  document.documentElement.lang = state.lang;
  for (const el of document.querySelectorAll("[data-i18n]")) {
    el.textContent = t(state.lang, el.dataset.i18n);
  }
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === state.lang));
  }
}

async function readPatientData(client) {
  const patientId = client.patient.id;
  const search = (type) => client.request(`${type}?patient=${encodeURIComponent(patientId)}&_count=100`, { pageLimit: 0, flat: true })
    .then((found) => (found ?? []).filter((r) => r && r.resourceType === type));
  const [conditions, observations, procedures] = await Promise.all(["Condition", "Observation", "Procedure"].map(search));
  status(t(state.lang, "read", conditions.length, observations.length, procedures.length));
  return { patientId, resources: [...conditions, ...observations, ...procedures] };
}

function requestBody() {
  const base = state.client.state.serverUrl.replace(/\/$/, "");
  // Only the patient's id is sent for the Patient: the engine needs no more, and the app asks no Patient scope.
  const entries = [{ fullUrl: `${base}/Patient/${state.patientId}`, resource: { resourceType: "Patient", id: state.patientId } }];
  const seen = new Set();
  for (const r of state.resources) {
    const key = `${r.resourceType}/${r.id}`;
    if (!seen.has(key)) {
      seen.add(key);
      entries.push({ fullUrl: `${base}/${key}`, resource: r });
    }
  }
  const parameter = [
    { name: "data", resource: { resourceType: "Bundle", type: "collection", entry: entries } },
    { name: "language", valueCode: state.lang },
  ];
  const date = document.getElementById("assessment-date").value;
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    parameter.push({ name: "assessmentDate", valueDate: date });
  }
  return { resourceType: "Parameters", parameter };
}

async function assess() {
  status(t(state.lang, "assessing"));
  const out = document.getElementById("result");
  const response = await fetch(state.config.assessUrl, {
    method: "POST",
    // The EHR's access token goes with the data (same origin): a service that requires a token for patient data
    // (BoneMetRT:Auth:RequireToken) checks it as it checks instance-level calls.
    headers: { "Content-Type": "application/fhir+json", Accept: "application/fhir+json", "Accept-Language": state.lang, Authorization: state.client.getAuthorizationHeader() },
    body: JSON.stringify(requestBody()),
  });
  const body = await response.json();
  out.replaceChildren();
  if (response.ok && body.resourceType === "Bundle") {
    renderResult(out, body, { lang: state.lang, inputs: state.resources, guidelineUrl: state.config.guidelineUrl });
    if (state.config.writeBack) {
      out.append(writeBackCard(body));
    }
    status(t(state.lang, "read", ...["Condition", "Observation", "Procedure"].map((x) => state.resources.filter((r) => r.resourceType === x).length)));
    document.body.dataset.state = "assessed";
  } else {
    status(`${t(state.lang, "failed")} HTTP ${response.status}`);
    renderOutcome(out, body, state.lang);
    document.body.dataset.state = "failed";
  }
}

/** The write-back card: a confirmation checkbox, then one button that saves the proposal as drafts. */
function writeBackCard(result) {
  const card = document.createElement("section");
  card.id = "write-back";
  card.className = "card";
  const title = document.createElement("h2");
  title.textContent = t(state.lang, "saveTitle");
  const label = document.createElement("label");
  const confirm = document.createElement("input");
  confirm.type = "checkbox";
  confirm.id = "confirm-review";
  label.append(confirm, " ", t(state.lang, "saveConfirm"));
  const button = document.createElement("button");
  button.type = "button";
  button.id = "save";
  button.disabled = true;
  button.textContent = t(state.lang, "saveButton");
  const message = document.createElement("p");
  message.id = "save-status";
  message.setAttribute("role", "status");
  confirm.addEventListener("change", () => { button.disabled = !confirm.checked; });
  button.addEventListener("click", async () => {
    button.disabled = true;
    confirm.disabled = true;
    message.textContent = t(state.lang, "saving");
    try {
      const { created, unchanged, locations } = await save(state.config, state.client, result);
      message.textContent = t(state.lang, "saved", created.length, unchanged, locations.find((x) => x.startsWith("CarePlan/")) ?? "");
      document.body.dataset.saved = "true";
    } catch (e) {
      message.textContent = `${t(state.lang, "saveFailed")} ${e?.message ?? e}`;
      document.body.dataset.saved = "false";
      confirm.disabled = false;
      button.disabled = !confirm.checked;
    }
  });
  card.append(title, h2p(label), h2p(button), message);
  return card;
}

function h2p(child) {
  const p = document.createElement("p");
  p.append(child);
  return p;
}

async function main() {
  applyLanguage();
  document.getElementById("assessment-date").value = new Date().toISOString().slice(0, 10);
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.addEventListener("click", () => {
      state.lang = button.dataset.lang;
      saveLanguage(state.lang);
      applyLanguage();
      if (state.client) {
        assess().catch(fail);
      }
    });
  }
  document.getElementById("recompute").addEventListener("click", () => assess().catch(fail));

  status(t(state.lang, "authorizing"));
  state.config = await (await fetch("config.json", { cache: "no-store" })).json();
  state.client = await FHIR.oauth2.ready();
  // Only an authorized session with an allowed EHR (launch.js refuses the others; this holds for a crafted state too).
  if (!isAllowed(state.config, state.client.state.serverUrl) || !state.client.state.tokenResponse?.access_token) {
    state.client = null;
    status(t(state.lang, "notAuthorized"));
    document.body.dataset.state = "refused";
    return;
  }
  document.getElementById("ehr-origin").textContent = originOf(state.client.state.serverUrl);
  document.getElementById("patient-id").textContent = state.client.patient.id ?? "—";
  status(t(state.lang, "reading"));
  Object.assign(state, await readPatientData(state.client));
  await assess();
}

function fail(e) {
  status(`${t(state.lang, "failed")} ${e?.message ?? e}`);
  document.body.dataset.state = "failed";
}

main().catch(fail);
