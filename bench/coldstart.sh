#!/usr/bin/env bash
# Cold start of the published service (see bench/BENCHMARKS.md): time from process start to the first 200 answer of
# POST /fhir/$assess on the small example, with input validation on (the default). Loopback only.
#
# usage: bench/coldstart.sh [--runs 5] [--port 5190] [--no-publish]
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5 port=5190 publish=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --no-publish) publish=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

out=bench/out
if [[ $publish == 1 ]]; then
  dotnet publish src/BoneMetRT.Api -c Release -o "$out/api" --nologo -v quiet >/dev/null
fi

url="http://127.0.0.1:$port"
body=examples/valid/pain-uncomplicated-rib.json
pid=
stop() { if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi; pid=; }
trap stop EXIT

times=() cpus=()
for run in $(seq "$runs"); do
  start=$(date +%s%N)
  (cd "$out/api" && exec env BoneMetRT__ValidateInput=true BoneMetRT__Auth__RequireToken=false ASPNETCORE_URLS=$url ${COLDSTART_ENV:-} ./BoneMetRT.Api) >"$out/coldstart.log" 2>&1 &
  pid=$!
  answered=
  # Wait for the port with bash's /dev/tcp (no process per poll: a curl every few ms would itself eat CPU the
  # service needs), then send the request, which waits for its answer.
  for _ in $(seq 3000); do # at most ~30 s
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.01
  done
  for _ in $(seq 100); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/fhir+json' --data-binary "@$body" "$url/fhir/\$assess" || true)
    now=$(date +%s%N)
    if [[ "$code" == 200 ]]; then
      answered=$(( (now - start) / 1000000 ))
      # CPU time the service has used so far (user + system), robust to other load on the machine.
      cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat")
      break
    fi
    [[ "$code" != 000 ]] && { echo "run $run: answered HTTP $code" >&2; exit 1; }
    sleep 0.01
  done
  [[ -n "$answered" ]] || { echo "run $run: no answer in 30 s" >&2; exit 1; }
  sleep 0.2 # let the console logger flush the request's timing line
  inside=$(grep -o -m1 'in [0-9.]* ms' "$out/coldstart.log" | head -1 || true)
  echo "run $run: first 200 from \$assess after ${answered} ms, service CPU ${cpu} ms (the service's own timing of that request: ${inside:-not logged})"
  times+=("$answered")
  cpus+=("$cpu")
  stop
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
csorted=($(printf '%s\n' "${cpus[@]}" | sort -n))
echo "coldstart runs=$runs median_ms=${sorted[$(( runs / 2 ))]} min_ms=${sorted[0]} max_ms=${sorted[$(( runs - 1 ))]} median_cpu_ms=${csorted[$(( runs / 2 ))]} load=$(cut -d' ' -f1 /proc/loadavg)"
