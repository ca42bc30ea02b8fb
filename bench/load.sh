#!/usr/bin/env bash
# Load test of POST /fhir/$assess on loopback with wrk (see bench/BENCHMARKS.md), anonymous (Auth:RequireToken off).
# Publishes the service (Release), starts it on 127.0.0.1, warms it up, runs wrk for a bounded time with and without
# input validation, and prints throughput, p50/p99 latency, non-2xx answers and the service's RSS after the run.
#
# usage: bench/load.sh [--duration 20s] [--connections 32] [--threads 1] [--bodies small|mix|large] [--fresh|--fresh-texts|--declared]
#                      [--modes "on off nocache noshort noshape"] [--port 28090] [--no-publish] [--dir DIR]
# Modes: on = validation on (result cache on, the default), off = validation off, nocache = validation on, cache off,
# noshort = validation on, cache off, core-invariant shortcuts off (BoneMetRT:FastInvariants=false),
# noshape = validation on, result cache on, shape cache off (BoneMetRT:ValidationShapeCache=false).
# --fresh: every request's resources get new ids and values (load.lua), so none was seen before (at most 16 threads).
# --fresh-texts: the same, and every CodeableConcept text and note gets new words too.
# --declared: the same, and the Bundle and every resource in it declare a US Core profile (meta.profile), which the
# service does not hold: each is a warning in the answer, and the records still use the shape cache.
# --dir: the published service to run (a directory holding BoneMetRT.Api; default bench/out/api, published unless
# --no-publish), e.g. the native AOT build of bench/aot.sh, bench/out/aot.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=20s connections=32 threads=1 bodies=small modes="on off" port=28090 publish=1 fresh=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --bodies) bodies=$2; shift 2 ;;
    --modes) modes=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --no-publish) publish=0; shift ;;
    --dir) dir=$2; publish=0; shift 2 ;;
    --fresh) fresh=(--fresh); shift ;;
    --fresh-texts) fresh=(--fresh-texts); shift ;;
    --declared) fresh=(--declared); shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
out=bench/out
dir=${dir:-$out/api}
if [[ $publish == 1 ]]; then
  dotnet publish src/BoneMetRT.Api -c Release -o "$out/api" --nologo -v quiet >/dev/null
fi

data=examples/valid
case "$bodies" in
  small) files=("$data/pain-uncomplicated-rib.json") ;;
  mix) files=("$data"/pain-uncomplicated-rib.json "$data"/fracture-femur-mirels-8.json "$data"/mscc-nsclc.json
              "$data"/postoperative-femur-day-18-healed.json "$data"/oligometastatic-prostate-two-sites.json "$data"/french-language.json) ;;
  large) dotnet run -c Release --project bench/BoneMetRT.Benchmarks -- --write-data "$out" >/dev/null
         files=("$out/large.json") ;;
  *) echo "--bodies small|mix|large" >&2; exit 2 ;;
esac

url="http://127.0.0.1:$port"
pid=
stop() { if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi; pid=; }
trap stop EXIT

for mode in $modes; do
  validate=$([[ $mode == off ]] && echo false || echo true)
  cache_size=$([[ $mode == nocache || $mode == noshort ]] && echo 0 || echo 20000)
  shortcuts=$([[ $mode == noshort ]] && echo false || echo true)
  shapes=$([[ $mode == noshape ]] && echo false || echo true)
  (cd "$dir" && exec env BoneMetRT__ValidateInput=$validate BoneMetRT__ValidationCacheSize=$cache_size BoneMetRT__FastInvariants=$shortcuts BoneMetRT__ValidationShapeCache=$shapes BoneMetRT__Auth__RequireToken=false ASPNETCORE_URLS=$url ${LOAD_ENV:-} ./BoneMetRT.Api) >"$out/service-$mode.log" 2>&1 &
  pid=$!
  for _ in $(seq 200); do curl -fsS "$url/health" >/dev/null 2>&1 && break; sleep 0.05; done
  # Warm-up (JIT, tiered compilation, validator pools), not counted.
  wrk -t"$threads" -c"$connections" -d5s --timeout 5s -s bench/load.lua "$url" -- "${fresh[@]}" "${files[@]}" >/dev/null
  cpu0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  result=$(wrk -t"$threads" -c"$connections" -d"$duration" --timeout 5s --latency -s bench/load.lua "$url" -- "${fresh[@]}" "${files[@]}" | grep '^RESULT')
  cpu1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
  hwm=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$pid/status")
  requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$result")
  # The service's CPU time per request (user + system): what the machine's other load does not change much.
  cpu_per_req=$(awk -v a="$cpu0" -v b="$cpu1" -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (n > 0 ? (b - a) * 1000 / hz / n : 0) }')
  echo "service=$dir validation=$mode bodies=$bodies${fresh:+ (${fresh#--})} connections=$connections duration=$duration ${result#RESULT } service_cpu_ms_per_req=$cpu_per_req rss_mb=$rss peak_rss_mb=$hwm load=$(cut -d' ' -f1 /proc/loadavg)"
  stop
done
