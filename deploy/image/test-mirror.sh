#!/usr/bin/env bash
# Checks how build.sh chooses the Debian mirror, proxy and keyring from apt's configuration (build.sh --print-mirror),
# on apt configurations made here in a temporary folder (APT_CONFIG points apt at them; the machine's own is not read).
# Prints one line per case and "mirror: N passed, N failed" last; exits 1 when a case fails.
#
# usage: deploy/image/test-mirror.sh
set -uo pipefail
cd "$(dirname "$0")/../.."

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
passed=0 failed=0

# One apt configuration: sources.list.d, apt.conf.d and the keyrings under $root/NAME.
setup() { # name
  dir="$root/$1"
  mkdir -p "$dir/sources.list.d" "$dir/apt.conf.d" "$dir/keyrings"
  : >"$dir/keyrings/mirror.gpg"
  : >"$dir/keyrings/other.gpg"
  cat >"$dir/apt.conf" <<CONF
Dir::Etc "$dir";
Dir::Etc::sourcelist "sources.list";
Dir::Etc::sourceparts "sources.list.d";
Dir::Etc::parts "apt.conf.d";
Dir::Etc::main "none";
Dir::State "$dir/state";
Dir::Cache "$dir/cache";
CONF
  mkdir -p "$dir/state/lists/partial" "$dir/cache/archives/partial"
}

check() { # name expected [build.sh options...], with any environment given before check
  local name=$1 expected=$2 got
  shift 2
  got=$(env -u http_proxy -u https_proxy APT_CONFIG="$dir/apt.conf" "${extra_env[@]}" deploy/image/build.sh --print-mirror "$@" 2>&1)
  if [[ $got == "$expected" ]]; then
    echo "ok $name"
    passed=$((passed + 1))
  else
    echo "FAILED $name"
    echo "  expected: $expected"
    echo "  got:      $got"
    failed=$((failed + 1))
  fi
}
extra_env=()

# A one-line .list with signed-by, a security line first; apt's general proxy.
setup list
cat >"$dir/sources.list" <<LIST
deb http://mirror.example.test/debian-security bookworm-security main
# deb http://commented.example.test/debian bookworm main
deb [arch=amd64 signed-by=$dir/keyrings/mirror.gpg] http://mirror.example.test/debian/ bookworm main contrib
LIST
echo 'Acquire::http::Proxy "http://proxy.example.test:3128/";' >"$dir/apt.conf.d/30proxy"
check list-with-proxy \
  "debian mirror: http://mirror.example.test/debian (apt source $dir/sources.list:3); proxy: http://proxy.example.test:3128/; keyring: $dir/keyrings/mirror.gpg"

# deb822: a disabled stanza, a comment-only paragraph, then the archive; the host's own proxy beats the general one,
# and a proxy's credentials are not printed.
setup sources
cat >"$dir/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: http://disabled.example.test/debian
Suites: bookworm
Components: main
Enabled: no
Signed-By: $dir/keyrings/other.gpg

# A comment-only paragraph.

Types: deb deb-src
# A comment inside the stanza.
URIs: https://archive.example.test/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: $dir/keyrings/mirror.gpg
SOURCES
cat >"$dir/apt.conf.d/30proxy" <<'CONF'
Acquire::https::Proxy "http://general.example.test:3128";
Acquire::https::Proxy::archive.example.test "http://user:secret@cache.example.test:3142";
CONF
check sources-host-proxy \
  "debian mirror: https://archive.example.test/debian (apt source $dir/sources.list.d/debian.sources:2); proxy: http://cache.example.test:3142; keyring: $dir/keyrings/mirror.gpg"

# The same, the host going DIRECT although the environment names a proxy (apt's per-host setting wins, and
# debootstrap is left with no proxy).
echo 'Acquire::https::Proxy::archive.example.test "DIRECT";' >"$dir/apt.conf.d/30proxy"
extra_env=(https_proxy=http://env.example.test:8080)
check sources-direct \
  "debian mirror: https://archive.example.test/debian (apt source $dir/sources.list.d/debian.sources:2); proxy: none; keyring: $dir/keyrings/mirror.gpg"
extra_env=()

# No proxy in apt's configuration: the environment's, as apt would use it.
rm "$dir/apt.conf.d/30proxy"
extra_env=(https_proxy=http://env.example.test:8080)
check sources-env-proxy \
  "debian mirror: https://archive.example.test/debian (apt source $dir/sources.list.d/debian.sources:2); proxy: http://env.example.test:8080; keyring: $dir/keyrings/mirror.gpg"
extra_env=()

# The auto-detect script answers for the mirror's URL.
cat >"$dir/detect" <<'SH'
#!/bin/sh
case "$1" in https://archive.example.test/*) echo http://detected.example.test:3128 ;; *) echo DIRECT ;; esac
SH
chmod +x "$dir/detect"
echo "Acquire::https::Proxy-Auto-Detect \"$dir/detect\";" >"$dir/apt.conf.d/30proxy"
check sources-auto-detect \
  "debian mirror: https://archive.example.test/debian (apt source $dir/sources.list.d/debian.sources:2); proxy: http://detected.example.test:3128; keyring: $dir/keyrings/mirror.gpg"

# The oldstable alias names the same archive; an armored keyring is left to debootstrap's default.
setup alias
cat >"$dir/sources.list.d/debian.list" <<LIST
deb [signed-by=$dir/keyrings/mirror.asc] http://alias.example.test/debian oldstable main
LIST
check oldstable-alias \
  "debian mirror: http://alias.example.test/debian (apt source $dir/sources.list.d/debian.list:1); proxy: none; keyring: the default of debootstrap"

# No bookworm source at all: Debian's own archive.
setup none
echo "deb http://other.example.test/debian trixie main" >"$dir/sources.list"
check no-bookworm-source \
  "debian mirror: http://deb.debian.org/debian; proxy: none; keyring: the default of debootstrap"

# --mirror is taken as given, with apt's proxy for it.
echo 'Acquire::http::Proxy "http://proxy.example.test:3128/";' >"$dir/apt.conf.d/30proxy"
check mirror-option \
  "debian mirror: http://given.example.test/debian; proxy: http://proxy.example.test:3128/; keyring: the default of debootstrap" \
  --mirror http://given.example.test/debian/

echo "mirror: $passed passed, $failed failed"
exit $((failed > 0))
