#!/usr/bin/env bash
# The SMART sandbox in one command: builds and starts the test EHR and the BoneMetRT service configured against it,
# then prints the URL to open. Ctrl-C stops both.
#   ./sandbox/run.sh                      EHR on 127.0.0.1:8090, service on 127.0.0.1:8080
#   EHR_PORT=9090 API_PORT=9080 ./sandbox/run.sh
#   WRITE_BACK=true ./sandbox/run.sh     the app also offers to save the proposal in the EHR
set -euo pipefail
cd "$(dirname "$0")/.."
EHR_PORT="${EHR_PORT:-8090}"
API_PORT="${API_PORT:-8080}"
EHR="http://127.0.0.1:${EHR_PORT}"
API="http://127.0.0.1:${API_PORT}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build sandbox/BoneMetRT.TestEhr/BoneMetRT.TestEhr.csproj -nologo -v q
dotnet build src/BoneMetRT.Api/BoneMetRT.Api.csproj -nologo -v q

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

dotnet run --no-build --no-launch-profile --project sandbox/BoneMetRT.TestEhr -- \
  --urls "$EHR" --environment Development \
  --TestEhr:PublicUrl="$EHR" --TestEhr:AppLaunchUrl="$API/app/launch.html" &
pids+=($!)

dotnet run --no-build --no-launch-profile --project src/BoneMetRT.Api -- \
  --urls "$API" --environment Development \
  --BoneMetRT:FhirServer:BaseUrl="$EHR/fhir" \
  --BoneMetRT:Auth:Authority="$EHR" --BoneMetRT:Auth:RequireHttpsMetadata=false \
  --BoneMetRT:SmartApp:WriteBack="${WRITE_BACK:-false}" &
pids+=($!)

for url in "$EHR/fhir/metadata" "$API/health"; do
  for _ in $(seq 1 120); do
    curl -fs -o /dev/null "$url" && break
    sleep 0.5
  done
  curl -fs -o /dev/null "$url" || { echo "sandbox: $url did not come up" >&2; exit 1; }
done

# The service's first assessment loads the FHIR definitions used for validation (10–20 s): do it now, not on the first click.
echo "sandbox: warming up the engine…"
curl -fs -o /dev/null -X POST -H "Content-Type: application/fhir+json" \
  --data-binary @examples/valid/fracture-femur-mirels-8.json "$API/fhir/\$assess" || echo "sandbox: warm-up failed (the app still works)" >&2

cat <<MSG

  BoneMetRT SMART sandbox is running.
  Open the test EHR and click "Launch BoneMetRT" for a patient:   $EHR/
  (standalone launch: $API/app/launch.html — the EHR asks you to pick a patient)
  Service: $API/fhir   Test EHR FHIR base: $EHR/fhir
  Ctrl-C stops both.

MSG
wait
