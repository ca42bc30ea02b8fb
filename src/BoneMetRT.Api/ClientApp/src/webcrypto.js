// Stands in for isomorphic-webcrypto, which fhirclient falls back to outside browsers: the app only runs in
// browsers, whose WebCrypto (crypto.subtle, in a secure context: https or localhost) does PKCE.
export default globalThis.crypto;
