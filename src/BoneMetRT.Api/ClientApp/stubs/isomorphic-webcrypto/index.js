// Never bundled (build.mjs aliases isomorphic-webcrypto to src/webcrypto.js); present so that fhirclient resolves.
module.exports = globalThis.crypto;
