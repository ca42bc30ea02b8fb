#!/usr/bin/env bash
# Publishes the service as a native AOT executable into OUTDIR: the one publish command of bench/aot.sh and of
# deploy/image/build.sh --native. Its log goes to OUTDIR.log; on failure its end is shown and the exit code is 1.
#
# usage: bench/aot-publish.sh OUTDIR
#
# Needs clang and zlib1g-dev (apt-get install clang zlib1g-dev); a few minutes, a 75 MB executable (and its symbols,
# BoneMetRT.Api.dbg, twice that).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# == 1 ]] || { echo "usage: bench/aot-publish.sh OUTDIR" >&2; exit 2; }
out=${1%/} # a path from the repository's root, or absolute

# The ILCompiler links with clang (bench/lib/clang.sh).
. bench/lib/clang.sh
option=$(aot_linker) || { echo "clang is missing (apt-get install clang zlib1g-dev)" >&2; exit 1; }
linker=()
if [[ -n $option ]]; then linker=("$option"); fi
mkdir -p "$(dirname "$out")"
# Our reflection over Firely's model (PocoElements, InputCopies, NativeAotModel) is what the AOT analysis warns about,
# and so do the third-party assemblies: warnings, not errors, in this build only; bench/aot.sh checks what it produces
# by running it.
dotnet publish src/BoneMetRT.Api -c Release -p:PublishAot=true -p:TreatWarningsAsErrors=false "${linker[@]}" -o "$out" --nologo -v quiet \
  >"$out.log" 2>&1 || { tail -n 20 "$out.log" >&2; echo "the native AOT publish failed (log: $out.log)" >&2; exit 1; }
[[ -x "$out/BoneMetRT.Api" ]] || { echo "the native AOT publish made no $out/BoneMetRT.Api" >&2; exit 1; }
