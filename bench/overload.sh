#!/usr/bin/env bash
# Overload of the published service (see bench/BENCHMARKS.md, "Overload"): 96 requests of a ~1 MiB Bundle (under 1 000
# entries, so that it is admitted and costs CPU) sent at once, two rounds, default load-shedding settings. Prints each
# round's statuses and times, a small request after each round, and the service's RSS (now and peak).
#
# usage: bench/overload.sh [--concurrency 96] [--rounds 2] [--port 18090] [--no-publish]
set -euo pipefail
cd "$(dirname "$0")/.."

concurrency=96 rounds=2 port=18090 publish=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --concurrency) concurrency=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --no-publish) publish=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

out=bench/out
mkdir -p "$out"
if [[ $publish == 1 ]]; then
  dotnet publish src/BoneMetRT.Api -c Release -o "$out/api" --nologo -v quiet >/dev/null
fi

# ~1 MiB: the femur example plus 900 pain Observations, each with a 700-character note (ignored by the engine, validated).
python3 - "$out/overload.json" <<'PY'
import json, sys
request = json.load(open("examples/valid/fracture-femur-mirels-8.json"))
bundle = next(p for p in request["parameter"] if p["name"] == "data")["resource"]
patient = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
ref = patient["fullUrl"]
for i in range(900):
    bundle["entry"].append({"fullUrl": f"urn:uuid:00000000-0000-4000-8000-{i:012d}", "resource": {
        "resourceType": "Observation", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "72514-3"}]},
        "subject": {"reference": ref}, "effectiveDateTime": "2025-01-01",
        "valueInteger": i % 10, "note": [{"text": "x" * 700}]}})
json.dump(request, open(sys.argv[1], "w"))
PY

url="http://127.0.0.1:$port"
(cd "$out/api" && exec env BoneMetRT__Auth__RequireToken=false ASPNETCORE_URLS=$url ${OVERLOAD_ENV:-} ./BoneMetRT.Api) >"$out/overload-service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 200); do curl -fsS "$url/health" >/dev/null 2>&1 && break; sleep 0.05; done
# Warm: one request of each body, so that the rounds measure the steady state.
curl -s -o /dev/null -X POST "$url/fhir/\$assess" -H 'Content-Type: application/fhir+json' --data-binary @examples/valid/fracture-femur-mirels-8.json
curl -s -o /dev/null -w 'warm-up large request: HTTP %{http_code} in %{time_total} s\n' -X POST "$url/fhir/\$assess" \
  -H 'Content-Type: application/fhir+json' --data-binary @"$out/overload.json"

python3 bench/overload.py "$url/fhir/\$assess" "$out/overload.json" examples/valid/fracture-femur-mirels-8.json \
  --concurrency "$concurrency" --rounds "$rounds"
echo "service rss_mb=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status") peak_rss_mb=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$pid/status") cores=$(nproc) load=$(cut -d' ' -f1 /proc/loadavg)"
