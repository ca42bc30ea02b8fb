// SMART launch URL (/app/launch.html). EHR launch: the EHR opens it with ?iss=<FHIR base>&launch=<context>.
// Standalone launch: opened directly; the FHIR server is ?iss=… or the service's configured FHIR server.
// Either way the FHIR server must be one of the service's allowed EHRs, and the launch always goes through OAuth.
import FHIR from "fhirclient";
import { t, initialLanguage } from "./i18n.js";
import { FORBIDDEN_PARAMS, isAllowed, originOf } from "./ehrs.js";

async function main() {
  const lang = initialLanguage();
  document.documentElement.lang = lang;
  const status = document.getElementById("status");
  status.textContent = t(lang, "launching");
  const config = await (await fetch("config.json", { cache: "no-store" })).json();
  const params = new URLSearchParams(window.location.search);
  const forbidden = FORBIDDEN_PARAMS.filter((name) => params.has(name));
  if (forbidden.length > 0) {
    status.textContent = t(lang, "forbiddenParams", forbidden.join(", "));
    document.body.dataset.state = "refused";
    return;
  }
  const iss = params.get("iss") || config.fhirServerUrl;
  if (!iss) {
    status.textContent = t(lang, "noServer");
    return;
  }
  if (!isAllowed(config, iss)) {
    status.textContent = t(lang, "notAllowed", originOf(iss));
    document.body.dataset.state = "refused";
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
