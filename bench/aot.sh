#!/usr/bin/env bash
# Native AOT build of the service (opt-in; see bench/BENCHMARKS.md, "Native AOT"): publishes it, checks that it answers
# every example exactly as the JIT build does, then measures its cold start beside the default ReadyToRun publish.
#
# usage: bench/aot.sh [--runs 5] [--no-publish] [--no-coldstart]
#
#   Publishes to bench/out/aot (needs clang and zlib1g-dev: apt-get install clang zlib1g-dev; a few minutes) and
#   builds the JIT service (dotnet build -c Release). Both run on loopback; every request of examples/valid and
#   examples/invalid is POSTed to $assess on each, then CDS Hooks' discovery and the hook calls made from the valid
#   examples (bench/cds-calls.mjs; needs node); the status must be the one expected (200, 4xx for examples/invalid) and
#   the same, and the body the same, but for the clock's Bundle.timestamp and Provenance.recorded and the cards' random
#   uuids (bench/lib/answers.sh). Prints one line per difference, then "aot: N passed, N failed".
#   Then, unless --no-coldstart, bench/coldstart.sh side by side with the ReadyToRun publish (bench/out/api, published
#   if missing). Exit code 1 when an answer differs.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5 publish=1 coldstart=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --no-publish) publish=0; shift ;;
    --no-coldstart) coldstart=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

out=bench/out
mkdir -p "$out"
if [[ $publish == 1 ]]; then
  echo "aot: publishing the native AOT build to $out/aot (a few minutes)"
  bench/aot-publish.sh "$out/aot" || { echo "aot: the native AOT publish failed" >&2; exit 1; }
fi
[[ -x "$out/aot/BoneMetRT.Api" ]] || { echo "no native AOT build in $out/aot" >&2; exit 2; }
dotnet build src/BoneMetRT.Api -c Release --nologo -v quiet >"$out/aot-jit-build.log" 2>&1 \
  || { tail -20 "$out/aot-jit-build.log" >&2; echo "aot: the JIT build failed" >&2; exit 1; }

aot_port=5291 jit_port=5292
for port in $aot_port $jit_port; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "aot: port $port is already in use" >&2; exit 2; fi
done
# Both run with the same settings (bench/lib/requests.sh: no token, one public origin for the cards' links).
. bench/lib/requests.sh
pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT
(cd "$out/aot" && exec env "${service_env[@]}" ASPNETCORE_URLS="http://127.0.0.1:$aot_port" ./BoneMetRT.Api) >"$out/aot-service.log" 2>&1 &
pids+=($!)
(cd src/BoneMetRT.Api/bin/Release/net10.0 && exec env "${service_env[@]}" ASPNETCORE_URLS="http://127.0.0.1:$jit_port" dotnet BoneMetRT.Api.dll) >"$out/aot-jit-service.log" 2>&1 &
pids+=($!)
# Each must say it is ready within a minute; one that exits or never does is shown (the end of its log) and every
# comparison then fails below, counted, rather than the script stopping without its summary.
i=0
for port in $aot_port $jit_port; do
  pid=${pids[$i]} log=$([[ $port == "$aot_port" ]] && echo "$out/aot-service.log" || echo "$out/aot-jit-service.log")
  i=$((i + 1))
  for _ in $(seq 600); do
    [[ "$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready" || true)" == 200 ]] && continue 2
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "aot: the service on port $port is not ready; end of $log:" >&2
  tail -n 20 "$log" >&2
done

# What may differ between the two answers: bench/lib/answers.sh (when each was made, the cards' uuids).
. bench/lib/answers.sh
passed=0 failed=0
tmp=$(mktemp -d)
# check NAME A-STATUS J-STATUS EXPECTED: a pass when both builds answered the expected status with the same body.
check() {
  if expected "$2" "$4" && [[ "$2" == "$3" ]] && same_answer "$tmp/aot" "$tmp/jit"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "aot: $1 answered ${2:-nothing} by the native AOT build, ${3:-nothing} by the JIT build (expected $4), or with other bytes"
  fi
}
# Every example to $assess, then CDS Hooks: discovery and every call bench/cds-calls.mjs makes from the valid examples
# (patient-view with the chart prefetched, order-select and order-sign with draft orders, feedback). The hooks' JSON has
# a generated context (CdsJsonContext): with System.Text.Json's reflection every call answered 500 in the native build.
if ! requests_list "$tmp"; then
  failed=$((failed + 1)); echo "aot: the CDS Hooks calls could not be made: not compared"
fi
check_get() { # path
  local a j
  a=$(curl -s --max-time 60 -o "$tmp/aot" -w '%{http_code}' "http://127.0.0.1:$aot_port$1" || true)
  j=$(curl -s --max-time 60 -o "$tmp/jit" -w '%{http_code}' "http://127.0.0.1:$jit_port$1" || true)
  check "GET $1" "$a" "$j" 200
}
check_get /cds-services
while read -r path body expect; do
  check "$(basename "$body") ($path)" "$(post "http://127.0.0.1:$aot_port" "$path" "$body" "$tmp/aot")" \
    "$(post "http://127.0.0.1:$jit_port" "$path" "$body" "$tmp/jit")" "$expect"
done <"$tmp/requests"
rm -rf "$tmp"
stop
pids=()
echo "aot: $passed passed, $failed failed"

if [[ $coldstart == 1 ]]; then
  [[ -x "$out/api/BoneMetRT.Api" ]] || dotnet publish src/BoneMetRT.Api -c Release -o "$out/api" --nologo -v quiet >/dev/null
  bench/coldstart.sh --dirs "$out/api $out/aot" --runs "$runs"
fi
[[ $failed == 0 ]]
