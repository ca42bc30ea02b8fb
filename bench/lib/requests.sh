# The requests two services are compared on, and how they are run (sourced by bench/aot.sh and
# deploy/image/two-instances.sh, from the repository's root).

# The settings both scripts run the service with: no token for $assess or CDS Hooks (loopback only), and one public
# origin, as replicas behind a load balancer have (CDS cards link to the app there; each would otherwise name the host
# and port it was called on).
service_env=(BoneMetRT__Auth__RequireToken=false BoneMetRT__CdsHooks__AllowUnauthenticated=true
  BoneMetRT__CdsHooks__PublicBaseUrl=https://bonemetrt.example.org)

# requests_list WORKDIR: writes WORKDIR/requests, one "PATH FILE EXPECTED" line per request: every example of
# examples/valid (200) and examples/invalid (4xx) to $assess, then every CDS Hooks call bench/cds-calls.mjs makes from
# the valid examples (200). Fails, saying why, when node is missing or makes no call: then nothing about CDS Hooks
# would be checked.
requests_list() {
  local work=$1 f
  : >"$work/requests"
  for f in examples/valid/*.json; do echo "/fhir/\$assess $f 200" >>"$work/requests"; done
  for f in examples/invalid/*.json; do echo "/fhir/\$assess $f 4xx" >>"$work/requests"; done
  command -v node >/dev/null || { echo "node is missing: bench/cds-calls.mjs makes the CDS Hooks calls" >&2; return 1; }
  mkdir -p "$work/cds"
  node bench/cds-calls.mjs examples/valid "$work/cds" >"$work/cds-calls" || { echo "bench/cds-calls.mjs failed" >&2; return 1; }
  [[ -s "$work/cds-calls" ]] || { echo "bench/cds-calls.mjs made no call" >&2; return 1; }
  sed 's/$/ 200/' "$work/cds-calls" >>"$work/requests"
}

# post BASE-URL PATH FILE OUT: POSTs the request, its answer to OUT; prints the HTTP status (000 when none came).
post() {
  local type=application/fhir+json
  [[ $2 == /cds-services/* ]] && type=application/json
  curl -s --max-time 120 -o "$4" -w '%{http_code}' -H "Content-Type: $type" -H 'Accept: application/fhir+json, application/json' \
    --data-binary @"$3" "$1$2" || true
}

# expected STATUS EXPECTED: true when the status is the one expected (EXPECTED "4xx": any 4xx).
expected() {
  [[ $2 == 4xx ]] && [[ $1 == 4[0-9][0-9] ]] || [[ $1 == "$2" ]]
}
