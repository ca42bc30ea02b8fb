#!/usr/bin/env bash
# The image, scaled out: two instances of it behind haproxy (round robin) on loopback, and every example of examples/
# (valid and invalid) sent to each instance directly and through haproxy. Passes when both instances give the same
# status and the same body for every example, and haproxy's answers are those too.
#
# Containers: podman is not used (its runtime refuses to start containers on these machines, and it is not installed);
# each instance runs the image's root file system the way a container runtime would here: a private mount namespace
# (unshare), the image mounted read-only, a tmpfs on /tmp, chroot, as user 10001. The image itself is always built
# (deploy/image/build.sh), never skipped.
#
# usage: deploy/image/two-instances.sh [--no-build] [--tag bonemetrt:dev] [--ports 28092,28093,28094]
set -euo pipefail
cd "$(dirname "$0")/../.."

tag=bonemetrt:dev build=1 ports=28092,28093,28094
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=0; shift ;;
    --tag) tag=$2; shift 2 ;;
    --ports) ports=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
IFS=, read -r port_a port_b port_lb <<<"$ports"
export STORAGE_DRIVER=vfs
[[ $build == 1 ]] && deploy/image/build.sh --tag "$tag"
command -v haproxy >/dev/null || { apt-get update -qq && apt-get install -y -qq haproxy >/dev/null; }

work=$(mktemp -d)
pids=() unshares=() ctrs=()
cleanup() {
  # unshare ignores SIGTERM while it waits for its child, so it gets SIGKILL; the instance inside then gets its
  # parent-death SIGTERM (see start) and stops cleanly. haproxy gets SIGTERM.
  for p in "${unshares[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${unshares[@]}" "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  for c in "${ctrs[@]}"; do buildah rm "$c" >/dev/null || echo "could not remove buildah container $c" >&2; done
  rm -rf "$work"
}
trap cleanup EXIT

start() { # name port
  local ctr mnt
  ctr=$(buildah from "$tag"); ctrs+=("$ctr")
  mnt=$(buildah mount "$ctr")
  # Stopping unshare (the pid kept) stops the instance inside it: --kill-child for the first process, and setpriv's
  # --pdeathsig again after the switch to user 10001, since changing credentials clears the parent-death signal.
  unshare -m --fork --kill-child=SIGTERM sh -c "mount --bind '$mnt' '$mnt' && mount -o remount,bind,ro '$mnt' \
      && mount -t tmpfs -o size=128m tmpfs '$mnt/tmp' && mount -t proc proc '$mnt/proc' && mount --rbind /dev '$mnt/dev' \
      && exec chroot '$mnt' /usr/bin/setpriv --reuid=10001 --regid=10001 --clear-groups --pdeathsig=TERM /usr/bin/env HOME=/tmp TMPDIR=/tmp DOTNET_EnableDiagnostics=0 \
         BoneMetRT__Auth__RequireToken=false ASPNETCORE_URLS=http://127.0.0.1:$2 /app/BoneMetRT.Api" >"$work/$1.log" 2>&1 &
  unshares+=($!)
}

start a "$port_a"
start b "$port_b"
cat >"$work/haproxy.cfg" <<CFG
global
  maxconn 256
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend fe
  bind 127.0.0.1:$port_lb
  default_backend be
backend be
  balance roundrobin
  option httpchk GET /ready
  server a 127.0.0.1:$port_a check inter 500
  server b 127.0.0.1:$port_b check inter 500
CFG
haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
pids+=($!)

# Both instances ready (warm-up done), and haproxy seeing them.
for port in "$port_a" "$port_b"; do
  for _ in $(seq 600); do [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready") == 200 ]] && break; sleep 0.1; done
  [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready") == 200 ]] || { echo "instance on $port not ready"; cat "$work"/*.log; exit 1; }
done
sleep 1.5

post() { # port file out -> status
  curl -s -o "$3" -w '%{http_code}' -H 'Content-Type: application/fhir+json' -H 'Accept: application/fhir+json' \
    --data-binary @"$2" "http://127.0.0.1:$1/fhir/\$assess"
}

failures=0 count=0
for file in examples/valid/*.json examples/invalid/*.json; do
  name=$(basename "$file")
  sa=$(post "$port_a" "$file" "$work/a.json"); sb=$(post "$port_b" "$file" "$work/b.json")
  s1=$(post "$port_lb" "$file" "$work/lb1.json"); s2=$(post "$port_lb" "$file" "$work/lb2.json")
  count=$((count + 1))
  if [[ $sa != "$sb" || $sa != "$s1" || $sa != "$s2" ]] || ! cmp -s "$work/a.json" "$work/b.json" \
     || ! cmp -s "$work/a.json" "$work/lb1.json" || ! cmp -s "$work/a.json" "$work/lb2.json"; then
    echo "DIFFERENT $name: a=$sa b=$sb haproxy=$s1,$s2"
    failures=$((failures + 1))
  else
    echo "same $name $sa ($(wc -c <"$work/a.json") bytes)"
  fi
done
# Each instance must have served some of haproxy's requests (round robin), or the comparison proves little.
served_a=$(grep -c 'POST /fhir/\$assess ->' "$work/a.log" || true)
served_b=$(grep -c 'POST /fhir/\$assess ->' "$work/b.log" || true)
echo "requests served: instance a $served_a, instance b $served_b (each got $count direct)"
(( served_a > count && served_b > count )) || { echo "haproxy did not spread the requests"; failures=$((failures + 1)); }
echo "$count examples, $failures difference(s)"
exit $(( failures > 0 ))
