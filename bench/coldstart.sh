#!/usr/bin/env bash
# Cold start of the published service (see bench/BENCHMARKS.md): time from process start to the first 200 answer of
# POST /fhir/$assess on the small example, with input validation on (the default). Loopback only.
#
# usage: bench/coldstart.sh [--runs 5] [--port 5190] [--no-publish] [--dirs "DIR_A DIR_B ..."] [--timeline] [--body FILE]
#
#   --dirs      published services to compare side by side (each a directory holding BoneMetRT.Api): each run starts
#               them in turn, A B A B ..., so that they share the machine's load; figures are given per directory.
#               Without it, the service is published to bench/out/api and measured alone.
#   --timeline  also print the service's start-up timeline of each run (BoneMetRT:LogStartupTimeline: the phases with
#               their wall and CPU time since the process started, and the JIT's work so far).
#   --body      the request sent first (default examples/valid/pain-uncomplicated-rib.json), e.g. a record with meta.
#   COLDSTART_ENV="K=V ..." passes further environment to the service (runtime settings, e.g. DOTNET_TieredPGO=0).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5 port=5190 publish=1 dirs="" timeline=0 body=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --no-publish) publish=0; shift ;;
    --dirs) dirs=$2; publish=0; shift 2 ;;
    --timeline) timeline=1; shift ;;
    --body) body=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

out=bench/out
mkdir -p "$out"
if [[ $publish == 1 ]]; then
  dotnet publish src/BoneMetRT.Api -c Release -o "$out/api" --nologo -v quiet >/dev/null
fi
[[ -n "$dirs" ]] || dirs="$out/api"
read -r -a dirlist <<<"$dirs"
for d in "${dirlist[@]}"; do
  [[ -x "$d/BoneMetRT.Api" ]] || { echo "no published service in $d" >&2; exit 2; }
done

url="http://127.0.0.1:$port"
body=${body:-examples/valid/pain-uncomplicated-rib.json}
log="$out/coldstart.log"
pid=
stop() { if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi; pid=; }
trap stop EXIT

declare -A times cpus
echo "coldstart: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at the start, $(date -u +%FT%TZ)"
for run in $(seq "$runs"); do
  for d in "${dirlist[@]}"; do
    start=$(date +%s%N)
    (cd "$d" && exec env BoneMetRT__ValidateInput=true BoneMetRT__Auth__RequireToken=false BoneMetRT__LogStartupTimeline=$([[ $timeline == 1 ]] && echo true || echo false) \
      ASPNETCORE_URLS=$url ${COLDSTART_ENV:-} ./BoneMetRT.Api) >"$log" 2>&1 &
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
      [[ "$code" != 000 ]] && { echo "run $run ($d): answered HTTP $code" >&2; exit 1; }
      sleep 0.01
    done
    [[ -n "$answered" ]] || { echo "run $run ($d): no answer in 30 s" >&2; exit 1; }
    sleep 0.2 # let the console logger flush the request's timing line
    inside=$(grep -o -m1 'in [0-9.]* ms' "$log" | head -1 || true)
    echo "run $run $d: first 200 from \$assess after ${answered} ms, service CPU ${cpu} ms (the service's own timing of that request: ${inside:-not logged}), load $(cut -d' ' -f1 /proc/loadavg)"
    if [[ $timeline == 1 ]]; then
      sed -n '/timeline after the first request/,/^[a-z]*:/p' "$log" | sed '1d;$d'
    fi
    times[$d]+="$answered "
    cpus[$d]+="$cpu "
    stop
  done
done
for d in "${dirlist[@]}"; do
  sorted=($(printf '%s\n' ${times[$d]} | sort -n))
  csorted=($(printf '%s\n' ${cpus[$d]} | sort -n))
  echo "coldstart $d runs=$runs median_ms=${sorted[$(( runs / 2 ))]} min_ms=${sorted[0]} max_ms=${sorted[$(( runs - 1 ))]} median_cpu_ms=${csorted[$(( runs / 2 ))]} load=$(cut -d' ' -f1 /proc/loadavg)"
done
