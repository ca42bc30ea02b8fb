# The C compiler and linker the native AOT publish uses (sourced by bench/aot-publish.sh and deploy/image/build.sh).

# aot_linker: prints the MSBuild option naming the clang to link with ("" when plain clang is on the PATH, else
# -p:CppCompilerAndLinker=clang-N for the newest versioned one: Debian 12 may have only that); fails when there is none.
aot_linker() {
  local c
  command -v clang >/dev/null && return 0
  for c in clang-21 clang-20 clang-19 clang-18 clang-17 clang-16 clang-15 clang-14; do
    if command -v "$c" >/dev/null; then echo "-p:CppCompilerAndLinker=$c"; return 0; fi
  done
  return 1
}
