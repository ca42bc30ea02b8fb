#!/usr/bin/env bash
# Builds the service's OCI image with one command, from this repository and Debian's packages only (no image registry
# is reachable here): a Debian 12 root file system made by debootstrap (minbase, plus CA certificates for the calls to
# the EHR's FHIR server), and the service published self-contained and ReadyToRun (the .NET runtime comes from the
# runtime packs NuGet serves, since Debian does not package .NET). The image runs as an unprivileged user (10001) and
# needs nothing writable but /tmp, so it runs with a read-only root file system (deploy/k8s mounts an emptyDir there).
#
# usage: deploy/image/build.sh [--tag bonemetrt:dev] [--out deploy/out] [--mirror http://deb.debian.org/debian]
# Needs root (debootstrap, buildah with the vfs driver); installs buildah and debootstrap from Debian when missing.
# Writes the image to buildah's local store and to OUT/bonemetrt.oci.tar (an OCI archive, for `podman load` or a
# registry push elsewhere).
set -euo pipefail
cd "$(dirname "$0")/../.."

tag=bonemetrt:dev out=deploy/out mirror=http://deb.debian.org/debian
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tag) tag=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --mirror) mirror=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

command -v buildah >/dev/null && command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq buildah debootstrap >/dev/null; }
# vfs needs no kernel overlay support and no fuse: slower to build, works in any container or VM this runs in.
export STORAGE_DRIVER=vfs
mkdir -p "$out"

# 1. The service: self-contained (the runtime inside the image), ReadyToRun (no JIT wait at start-up).
rm -rf "$out/app"
dotnet publish src/BoneMetRT.Api -c Release -r linux-x64 -p:SelfContained=true -p:PublishReadyToRun=true -o "$out/app" --nologo -v quiet

# 2. The base: Debian 12 minbase, made once and kept (delete OUT/rootfs to make it again).
if [[ ! -d "$out/rootfs" ]]; then
  rm -rf "$out/rootfs.tmp"
  debootstrap --variant=minbase --include=ca-certificates,libssl3,zlib1g bookworm "$out/rootfs.tmp" "$mirror" >"$out/debootstrap.log"
  # Package caches, documentation and locales are not needed at run time.
  rm -rf "$out/rootfs.tmp"/var/cache/apt/archives/*.deb "$out/rootfs.tmp"/var/lib/apt/lists/* \
         "$out/rootfs.tmp"/usr/share/doc "$out/rootfs.tmp"/usr/share/man "$out/rootfs.tmp"/usr/share/locale
  mv "$out/rootfs.tmp" "$out/rootfs"
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
buildah commit --quiet "$ctr" "$tag" >/dev/null
rm -f "$out/bonemetrt.oci.tar"
buildah push --quiet "$tag" "oci-archive:$out/bonemetrt.oci.tar:$tag"
echo "image $tag: $(du -h "$out/bonemetrt.oci.tar" | cut -f1) in $out/bonemetrt.oci.tar"
