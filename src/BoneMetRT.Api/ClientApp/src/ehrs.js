// The EHRs the app may work with: those of the service's configuration (/app/config.json, allowedEhrs), compared as
// FHIR base URLs without a trailing slash. Anything else is refused, whoever wrote the link.

/** The FHIR base URL as compared: no trailing slash. */
export function normalize(url) {
  return (url ?? "").trim().replace(/\/+$/, "");
}

/** Whether the FHIR base URL is one of the configured EHRs. */
export function isAllowed(config, url) {
  const wanted = normalize(url);
  return wanted !== "" && (config.allowedEhrs ?? []).some((allowed) => normalize(allowed) === wanted);
}

/** The origin of a URL, for the page (or the text itself when it is not a URL). */
export function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return String(url);
  }
}

// fhirclient reads these from the launch URL itself: fhirServiceUrl and patientId put it in open-server mode, without
// OAuth or PKCE; the others would replace the service's own registration.
export const FORBIDDEN_PARAMS = ["fhirServiceUrl", "patientId", "encounterId", "clientId", "fakeTokenResponse", "scope", "redirectUri"];
