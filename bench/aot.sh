#!/usr/bin/env bash
# Native AOT build of the service (opt-in; see bench/BENCHMARKS.md, "Native AOT"): publishes it, checks that it answers
# every example exactly as the JIT build does, then measures its cold start beside the default ReadyToRun publish.
#
# usage: bench/aot.sh [--runs 5] [--no-publish] [--no-coldstart]
#
#   Publishes to bench/out/aot (needs clang and zlib1g-dev: apt-get install clang zlib1g-dev; a few minutes) and
#   builds the JIT service (dotnet build -c Release). Both run on loopback; every request of examples/valid and
#   examples/invalid is POSTed to $assess on each, and the status and the body must be the same, but for the clock's
#   Bundle.timestamp and Provenance.recorded. Prints one line per difference, then "aot: N passed, N failed".
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
  # The ILCompiler links with clang; Debian 12 may have only the versioned binary.
  linker=()
  if ! command -v clang >/dev/null; then
    for c in clang-19 clang-18 clang-17 clang-16 clang-15 clang-14; do
      if command -v "$c" >/dev/null; then linker=(-p:CppCompilerAndLinker="$c"); break; fi
    done
  fi
  echo "aot: publishing the native AOT build to $out/aot (a few minutes)"
  # Our reflection over Firely's model (PocoElements, InputCopies, NativeAotModel) is what the AOT analysis warns
  # about, and so do the third-party assemblies: warnings, not errors, in this build only; what it produces is checked
  # below by running it.
  dotnet publish src/BoneMetRT.Api -c Release -p:PublishAot=true -p:TreatWarningsAsErrors=false "${linker[@]}" -o "$out/aot" --nologo -v quiet \
    >"$out/aot-publish.log" 2>&1 || { tail -20 "$out/aot-publish.log" >&2; echo "aot: the native AOT publish failed" >&2; exit 1; }
fi
[[ -x "$out/aot/BoneMetRT.Api" ]] || { echo "no native AOT build in $out/aot" >&2; exit 2; }
dotnet build src/BoneMetRT.Api -c Release --nologo -v quiet >/dev/null

aot_port=5291 jit_port=5292
pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT
(cd "$out/aot" && exec env BoneMetRT__Auth__RequireToken=false ASPNETCORE_URLS="http://127.0.0.1:$aot_port" ./BoneMetRT.Api) >"$out/aot-service.log" 2>&1 &
pids+=($!)
(cd src/BoneMetRT.Api/bin/Release/net10.0 && exec env BoneMetRT__Auth__RequireToken=false ASPNETCORE_URLS="http://127.0.0.1:$jit_port" dotnet BoneMetRT.Api.dll) >"$out/aot-jit-service.log" 2>&1 &
pids+=($!)
for port in $aot_port $jit_port; do
  for _ in $(seq 600); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready")" == 200 ]] && break
    sleep 0.1
  done
done

# The clock is the only thing allowed to differ.
mask() { sed -E 's/"(timestamp|recorded)":"[^"]*"/"\1":"…"/g' "$1"; }
passed=0 failed=0
tmp=$(mktemp -d)
for f in examples/valid/*.json examples/invalid/*.json; do
  a=$(curl -s -o "$tmp/aot" -w '%{http_code}' -X POST -H 'Content-Type: application/fhir+json' --data-binary @"$f" "http://127.0.0.1:$aot_port/fhir/\$assess")
  j=$(curl -s -o "$tmp/jit" -w '%{http_code}' -X POST -H 'Content-Type: application/fhir+json' --data-binary @"$f" "http://127.0.0.1:$jit_port/fhir/\$assess")
  if [[ "$a" == "$j" && "$a" != 000 ]] && [[ "$(mask "$tmp/aot")" == "$(mask "$tmp/jit")" ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "aot: $f answered $a by the native AOT build, $j by the JIT build, or with other bytes"
  fi
done
rm -rf "$tmp"
stop
pids=()
echo "aot: $passed passed, $failed failed"

if [[ $coldstart == 1 ]]; then
  [[ -x "$out/api/BoneMetRT.Api" ]] || dotnet publish src/BoneMetRT.Api -c Release -o "$out/api" --nologo -v quiet >/dev/null
  bench/coldstart.sh --dirs "$out/api $out/aot" --runs "$runs"
fi
[[ $failed == 0 ]]
