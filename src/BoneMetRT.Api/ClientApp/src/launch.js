// SMART launch URL (/app/launch.html). EHR launch: the EHR opens it with ?iss=<FHIR base>&launch=<context>.
// Standalone launch: opened directly; the FHIR server is ?iss=… or the service's configured FHIR server.
import FHIR from "fhirclient";
import { t, initialLanguage } from "./i18n.js";

async function main() {
  const lang = initialLanguage();
  document.documentElement.lang = lang;
  const status = document.getElementById("status");
  status.textContent = t(lang, "launching");
  const config = await (await fetch("config.json", { cache: "no-store" })).json();
  const params = new URLSearchParams(window.location.search);
  const iss = params.get("iss") || config.fhirServerUrl;
  if (!iss) {
    status.textContent = t(lang, "noServer");
    return;
  }

  // An EHR launch needs the "launch" scope; a standalone launch asks the EHR to pick a patient (launch/patient).
  const scope = params.get("launch") ? `launch ${config.scope}` : config.scope;
  await FHIR.oauth2.authorize({
    clientId: config.clientId,
    scope,
    redirectUri: "index.html",
    iss,
    pkceMode: "required",
  });
}

main().catch((e) => {
  document.getElementById("status").textContent = `${t(initialLanguage(), "launchFailed")} ${e.message ?? e}`;
});
