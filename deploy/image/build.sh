#!/usr/bin/env bash
# Builds the service's OCI image with one command, from this repository and Debian's packages only (no image registry
# is reachable here): a Debian 12 root file system made by debootstrap (minbase, plus CA certificates for the calls to
# the EHR's FHIR server), and the service published self-contained and ReadyToRun (the .NET runtime comes from the
# runtime packs NuGet serves, since Debian does not package .NET). The image runs as an unprivileged user (10001) and
# needs nothing writable but /tmp, so it runs with a read-only root file system (deploy/k8s mounts an emptyDir there).
#
# usage: deploy/image/build.sh [--native] [--tag bonemetrt:dev] [--out deploy/out] [--mirror URL] [--print-mirror]
# Needs root (debootstrap, buildah with the vfs driver); installs buildah and debootstrap from Debian when missing.
# Writes the image to buildah's local store and to OUT/bonemetrt.oci.tar (an OCI archive, for `podman load` or a
# registry push elsewhere).
#
# --native: the service as a native AOT executable instead (bench/BENCHMARKS.md, "Native AOT": half the cold start and
# its CPU, answers checked against the JIT build by bench/aot.sh); needs clang and zlib1g-dev, installed when missing.
# Tag bonemetrt:native and OUT/bonemetrt-native.oci.tar unless --tag says otherwise.
#
# The Debian mirror: without --mirror, the one apt on this machine uses for bookworm (its sources, read by apt itself),
# through apt's proxy for that host if it has one, and checked with the keyring apt's source names; so debootstrap
# reaches whatever apt reaches (a local mirror, a caching proxy). deb.debian.org when apt names no bookworm source.
# --print-mirror prints what was found (mirror, proxy without credentials, keyring) and exits.
set -euo pipefail
cd "$(dirname "$0")/../.."

tag= out=deploy/out mirror= print_mirror=0 native=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --native) native=1; shift ;;
    --tag) tag=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --mirror) mirror=$2; shift 2 ;;
    --print-mirror) print_mirror=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ $native == 1 ]]; then tag=${tag:-bonemetrt:native} archive=bonemetrt-native.oci.tar
else tag=${tag:-bonemetrt:dev} archive=bonemetrt.oci.tar; fi

# apt's own reading of its sources (sources.list, *.list, deb822 *.sources, Enabled: no, options): one line per index
# target, "repository|release|type|file:entry". --no-release-info lists them before any apt-get update.
apt_targets() {
  apt-get indextargets --no-release-info --format '$(REPO_URI)|$(RELEASE)|$(TARGET_OF)|$(SOURCESENTRY)' 2>/dev/null | sort -u
}

# The bookworm archive apt uses: a "deb" source of release bookworm, else of oldstable (the same archive under its
# alias); http, https, ftp or file (what debootstrap can fetch from; apt's mirror+ and cdrom methods cannot be used).
# Prints "repository|file:entry".
apt_mirror() {
  local release
  for release in bookworm oldstable; do
    apt_targets | awk -F'|' -v r="$release" '$2 == r && $3 == "deb" && $1 ~ /^(https?|ftp|file):/ { print $1 "|" $4; exit }' | grep . && return 0
  done
  return 1
}

# The keyring named by Signed-By in that source entry (file:N is the Nth stanza of a .sources file, the Nth line of a
# .list file), when it is one keyring file debootstrap's gpgv can read; nothing otherwise (debootstrap then checks
# with Debian's archive keyring, its default).
apt_keyring() { # file:entry
  local file=${1%:*} entry=${1##*:} key=
  [[ -f $file && $entry =~ ^[0-9]+$ ]] || return 0
  case "$file" in
    # Stanzas are counted as apt counts them: paragraphs with at least one line that is not a comment.
    *.sources) key=$(awk -v n="$entry" 'BEGIN { RS = "" } /(^|\n)[^#]/ && ++k == n' "$file" \
                     | sed -n 's/^[Ss]igned-[Bb]y:[[:space:]]*\([^[:space:]]*\)[[:space:]]*$/\1/p' | head -n 1) ;;
    *) key=$(sed -n "${entry}p" "$file" | sed -n 's/.*\[[^]]*signed-by=\([^] ,]*\).*/\1/p') ;;
  esac
  [[ $key == /* && -f $key && $key != *.asc ]] && echo "$key" || true
}

# apt's proxy for a URL, as apt chooses it: Acquire::METHOD::Proxy::HOST, then Acquire::METHOD::Proxy, then the
# METHOD_proxy environment variable, the auto-detect script (Acquire::METHOD::Proxy-Auto-Detect) before the last two.
# Prints the proxy URL, "DIRECT", or nothing.
apt_proxy() { # url
  local url=$1 scheme host specific= general= detect=
  scheme=${url%%://*} host=${url#*://}; host=${host%%/*}; host=${host##*@}; host=${host%%:*}
  [[ $scheme == http || $scheme == https ]] || return 0
  eval "$(apt-config shell specific "Acquire::$scheme::Proxy::$host" general "Acquire::$scheme::Proxy" \
                           detect "Acquire::$scheme::Proxy-Auto-Detect")"
  if [[ -n $specific ]]; then echo "$specific"; return 0; fi
  if [[ -n $detect && -x $detect ]]; then
    specific=$("$detect" "$url" 2>/dev/null | head -n 1 || true)
    if [[ -n $specific ]]; then echo "$specific"; return 0; fi
  fi
  if [[ -n $general ]]; then echo "$general"; return 0; fi
  local var="${scheme}_proxy"
  echo "${!var:-}"
}

keyring= source_entry=
if [[ -z $mirror ]]; then
  if found=$(apt_mirror); then
    mirror=${found%%|*} source_entry=${found#*|}
    keyring=$(apt_keyring "$source_entry")
  else
    mirror=http://deb.debian.org/debian
  fi
fi
mirror=${mirror%/}
proxy=$(apt_proxy "$mirror")
scheme=${mirror%%://*}
# debootstrap downloads with wget, which reads http_proxy/https_proxy: set them to apt's choice, or clear them when apt
# goes direct.
case "$proxy" in
  '') ;;
  DIRECT|direct) unset "${scheme}_proxy" ;;
  *) export "${scheme}_proxy=$proxy" ;;
esac
# What debootstrap will use, read back from the environment; a proxy's user and password are never printed.
proxy_var="${scheme}_proxy"
shown_proxy=$(sed -E 's#://[^/@]*@#://#' <<<"${!proxy_var:-none}")
echo "debian mirror: $mirror${source_entry:+ (apt source $source_entry)}; proxy: $shown_proxy; keyring: ${keyring:-the default of debootstrap}"
[[ $print_mirror == 1 ]] && exit 0

tools=(buildah debootstrap)
missing=()
for t in "${tools[@]}"; do command -v "$t" >/dev/null || missing+=("$t"); done
# The native publish links with clang (a version bench/lib/clang.sh finds) against zlib.
if [[ $native == 1 ]]; then
  . bench/lib/clang.sh
  aot_linker >/dev/null || missing+=(clang)
  dpkg -s zlib1g-dev >/dev/null 2>&1 || missing+=(zlib1g-dev)
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# vfs needs no kernel overlay support and no fuse: slower to build, works in any container or VM this runs in.
export STORAGE_DRIVER=vfs
mkdir -p "$out"

# 1. The service: self-contained (the runtime inside the image), ReadyToRun (no JIT wait at start-up); or native AOT,
#    published as bench/aot.sh publishes it (its analysis warnings stay warnings; its answers are checked there), without
#    the debugging symbols (twice the executable's size) and the XML documentation.
rm -rf "$out/app"
if [[ $native == 1 ]]; then
  bench/aot-publish.sh "$out/app"
  find "$out/app" \( -name '*.dbg' -o -name '*.pdb' -o -name '*.xml' \) -delete
else
  dotnet publish src/BoneMetRT.Api -c Release -r linux-x64 -p:SelfContained=true -p:PublishReadyToRun=true -o "$out/app" --nologo -v quiet
fi
echo "publish: done at ${SECONDS} s"

# 2. The base: Debian 12 minbase, made once and kept (delete OUT/rootfs to make it again).
if [[ ! -d "$out/rootfs" ]]; then
  # Two tries: one dropped connection to the mirror should not fail a CI run. A failure shows the end of the log.
  for try in 1 2; do
    rm -rf "$out/rootfs.tmp"
    if debootstrap --variant=minbase --include=ca-certificates,libssl3,zlib1g ${keyring:+--keyring="$keyring"} \
         bookworm "$out/rootfs.tmp" "$mirror" >"$out/debootstrap.log" 2>&1; then
      break
    fi
    echo "debootstrap failed (try $try of 2); end of $out/debootstrap.log:" >&2
    tail -n 20 "$out/debootstrap.log" >&2
    [[ $try == 2 ]] && exit 1
  done
  # The image names the public archive, not the mirror or proxy of the machine that built it (apt is not used at run
  # time: its lists are removed below).
  echo "deb http://deb.debian.org/debian bookworm main" >"$out/rootfs.tmp/etc/apt/sources.list"
  # Package caches, documentation and locales are not needed at run time.
  rm -rf "$out/rootfs.tmp"/var/cache/apt/archives/*.deb "$out/rootfs.tmp"/var/lib/apt/lists/* \
         "$out/rootfs.tmp"/usr/share/doc "$out/rootfs.tmp"/usr/share/man "$out/rootfs.tmp"/usr/share/locale
  mv "$out/rootfs.tmp" "$out/rootfs"
  echo "debootstrap: done at ${SECONDS} s"
fi

# 3. The image: the root file system, the service in /app owned by root (read-only to the service's user), the user.
ctr=$(buildah from scratch)
trap 'buildah rm "$ctr" >/dev/null 2>&1 || true' EXIT
mnt=$(buildah mount "$ctr")
cp -a "$out/rootfs/." "$mnt/"
mkdir -p "$mnt/app"
cp -a "$out/app/." "$mnt/app/"
chown -R 0:0 "$mnt/app"
chmod -R go-w "$mnt/app"
echo "bonemetrt:x:10001:10001:BoneMetRT:/nonexistent:/usr/sbin/nologin" >>"$mnt/etc/passwd"
echo "bonemetrt:x:10001:" >>"$mnt/etc/group"
buildah umount "$ctr" >/dev/null

# DOTNET_EnableDiagnostics=0: no diagnostic IPC socket in /tmp (the only writable place). The core definitions the
# embedded subset lacks are extracted under TMPDIR on first need (FhirValidation.CoreSpecification).
buildah config \
  --user 10001:10001 \
  --workingdir /app \
  --entrypoint '["/app/BoneMetRT.Api"]' \
  --cmd '[]' \
  --port 8080 \
  --env ASPNETCORE_URLS=http://0.0.0.0:8080 \
  --env DOTNET_EnableDiagnostics=0 \
  --env TMPDIR=/tmp \
  --label org.opencontainers.image.title=BoneMetRT \
  --label org.opencontainers.image.revision="$(git rev-parse HEAD)" \
  "$ctr"
# The image the tag named before is removed once the tag moves, so that repeated builds (every CI run) do not fill
# buildah's store with untagged copies (vfs keeps each one whole).
previous=$(buildah images --quiet --no-trunc "$tag" 2>/dev/null | head -n 1 || true)
current=$(buildah commit --quiet "$ctr" "$tag")
if [[ -n $previous && $previous != *"$current"* ]]; then
  buildah rmi "$previous" >/dev/null 2>&1 || echo "note: the previous image of $tag ($previous) is still in use, kept" >&2
fi
rm -f "$out/$archive"
buildah push --quiet "$tag" "oci-archive:$out/$archive:$tag"
echo "image $tag: $(du -h "$out/$archive" | cut -f1) in $out/$archive, done at ${SECONDS} s"
