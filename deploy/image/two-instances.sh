#!/usr/bin/env bash
# The image, scaled out: two instances of it behind haproxy (round robin) on loopback, and every example of examples/
# (valid and invalid) sent to each instance directly and through haproxy, then the CDS Hooks calls bench/cds-calls.mjs
# makes from the valid examples (needs node). Passes when both instances give the expected status (200; 4xx for
# examples/invalid) and the same body for every request, and haproxy's answers are those too. Prints how long each
# instance took from its start to ready (warm-up done: a validated answer made), both started back to back.
#
# Containers: podman is not used (its runtime refuses to start containers on these machines, and it is not installed);
# each instance runs the image's root file system the way a container runtime would here: a private mount namespace
# (unshare), the image mounted read-only, a tmpfs on /tmp, chroot, as user 10001. The image itself is always built
# (deploy/image/build.sh), never skipped.
#
# Checks, one line each ("ok NAME" or "FAILED NAME", with why): the build; both instances ready and seen up by
# haproxy; one per example and per hook call (the expected status, the same answer four times, but for when each was
# made and the cards' uuids: bench/lib/answers.sh); haproxy sending requests to both instances. When this machine
# cannot run an image's root file system (no private mount namespace, no chroot, no change of user, no haproxy), the
# run is skipped with the reason printed and counted as one skipped check; the build is not. The last line is
# "image: N passed, N failed[, N skipped]" (.ci/run adds it to its own); exit 1 when a check failed.
#
# usage: deploy/image/two-instances.sh [--native] [--no-build] [--tag bonemetrt:dev] [--ports 28092,28093,28094]
# --native: the native AOT image (deploy/image/build.sh --native, tag bonemetrt:native). Without --ports: the first
# three free ports from 28092 on.
set -uo pipefail
cd "$(dirname "$0")/../.."

tag= build=1 ports= native=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --native) native=(--native); shift ;;
    --no-build) build=0; shift ;;
    --tag) tag=$2; shift 2 ;;
    --ports) ports=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -n $tag ]] || tag=$([[ ${#native[@]} -gt 0 ]] && echo bonemetrt:native || echo bonemetrt:dev)
export STORAGE_DRIVER=vfs
. bench/lib/answers.sh
. bench/lib/requests.sh

passed=0 failed=0 skipped=0
ok() { echo "ok $1"; passed=$((passed + 1)); }
failure() { echo "FAILED $1"; failed=$((failed + 1)); }
skip() { echo "SKIPPED $1"; skipped=$((skipped + 1)); }
finish() {
  echo "two-instances.sh: ${SECONDS} s"
  if ((skipped > 0)); then echo "image: $passed passed, $failed failed, $skipped skipped"
  else echo "image: $passed passed, $failed failed"; fi
  exit $((failed > 0))
}

work=$(mktemp -d)
pids=() unshares=() ctrs=() started=()
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
# Stopped from outside (CI's time limit): clean up all the same.
trap 'echo "two-instances.sh: stopped" >&2; exit 143' TERM INT

# 1. The build: never skipped.
if [[ $build == 1 ]]; then
  if deploy/image/build.sh "${native[@]}" --tag "$tag"; then ok "build: image $tag"; else failure "build: deploy/image/build.sh ${native[*]} failed"; finish; fi
elif ! buildah inspect --type image "$tag" >/dev/null 2>&1; then
  failure "build: --no-build, and buildah has no image $tag"; finish
fi

# 2. What running the image needs from this machine; when it is missing, the run is skipped with the reason.
export DEBIAN_FRONTEND=noninteractive
for tool in haproxy curl; do
  command -v "$tool" >/dev/null && continue
  if ! { apt-get update -qq && apt-get install -y -qq "$tool" >/dev/null; } >"$work/apt.log" 2>&1; then
    skip "run: $tool is missing and could not be installed: $(tail -n 1 "$work/apt.log")"; finish
  fi
done
mkdir "$work/probe"
if ! unshare -m --fork sh -c "mount -t tmpfs -o size=1m tmpfs '$work/probe' && mount -o remount,ro '$work/probe' \
       && chroot / /usr/bin/setpriv --reuid=10001 --regid=10001 --clear-groups true" >"$work/probe.log" 2>&1; then
  skip "run: this machine cannot run an image's root file system (private mount namespace, read-only mount, chroot, user 10001): $(tr '\n' ' ' <"$work/probe.log")"
  finish
fi

# 3. Three free loopback ports (a port is free when nothing accepts a connection on it).
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [[ -z $ports ]]; then
  free=()
  for p in $(seq 28092 28191); do port_free "$p" && free+=("$p"); ((${#free[@]} == 3)) && break; done
  ports=$(IFS=,; echo "${free[*]}")
fi
IFS=, read -r port_a port_b port_lb <<<"$ports"
[[ -n ${port_lb:-} ]] || { failure "ports: three free ports needed, got '$ports'"; finish; }

# Each instance's root file system is made first (buildah from and mount copy the whole image with vfs), then both are
# started back to back, so that each start-to-ready time counts its own start only. The settings are bench/aot.sh's
# (bench/lib/requests.sh: no token, and one public origin for the cards' links, as replicas behind a load balancer have).
mounts=()
prepare() {
  local ctr mnt
  ctr=$(buildah from "$tag") || return 1
  ctrs+=("$ctr")
  mnt=$(buildah mount "$ctr") || return 1
  mounts+=("$mnt")
}
start() { # name port mount
  local mnt=$3
  # Stopping unshare (the pid kept) stops the instance inside it: --kill-child for the first process, and setpriv's
  # --pdeathsig again after the switch to user 10001, since changing credentials clears the parent-death signal.
  unshare -m --fork --kill-child=SIGTERM sh -c "mount --bind '$mnt' '$mnt' && mount -o remount,bind,ro '$mnt' \
      && mount -t tmpfs -o size=128m tmpfs '$mnt/tmp' && mount -t proc proc '$mnt/proc' && mount --rbind /dev '$mnt/dev' \
      && exec chroot '$mnt' /usr/bin/setpriv --reuid=10001 --regid=10001 --clear-groups --pdeathsig=TERM /usr/bin/env HOME=/tmp TMPDIR=/tmp DOTNET_EnableDiagnostics=0 \
         ${service_env[*]} ASPNETCORE_URLS=http://127.0.0.1:$2 /app/BoneMetRT.Api" >"$work/$1.log" 2>&1 &
  unshares+=($!)
  started+=("$(date +%s%N)")
}
# The end of both instances' logs, when something went wrong (method, route, status and timing only: no bodies).
show_logs() { for n in a b; do echo "--- instance $n (last 30 lines)"; tail -n 30 "$work/$n.log" 2>/dev/null; done; }

prepare || { failure "instances: buildah could not mount the image for instance a"; finish; }
prepare || { failure "instances: buildah could not mount the image for instance b"; finish; }
start a "$port_a" "${mounts[0]}"
start b "$port_b" "${mounts[1]}"
# The stats page on the frontend's own port tells when haproxy sees both servers up, and how many requests each got.
cat >"$work/haproxy.cfg" <<CFG
global
  maxconn 256
defaults
  mode http
  timeout connect 5s
  timeout client 120s
  timeout server 120s
frontend fe
  bind 127.0.0.1:$port_lb
  stats enable
  stats uri /haproxy-stats
  default_backend be
backend be
  balance roundrobin
  option httpchk GET /ready
  server a 127.0.0.1:$port_a check inter 500
  server b 127.0.0.1:$port_b check inter 500
CFG
haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
pids+=($!)

# haproxy's view of server NAME: field 18 is the status (UP, DOWN...), field 8 the requests it was sent.
server_field() { # name field
  curl -s --max-time 5 "http://127.0.0.1:$port_lb/haproxy-stats;csv" | awk -F, -v s="$1" -v f="$2" '$1 == "be" && $2 == s { print $f }'
}

# 4. Both instances ready (warm-up done, which takes long on a loaded machine) and up in haproxy: 5 minutes at most.
#    The time from each start to its first 200 on /ready is printed (polled every 50 ms while not ready): the cold start
#    of the image as deployed, two instances starting at once on this machine.
deadline=$((SECONDS + 300)) ready=0 ready_ms=()
while ((SECONDS < deadline)); do
  for i in 0 1; do
    kill -0 "${unshares[$i]}" 2>/dev/null || { failure "instances: instance $([[ $i == 0 ]] && echo a || echo b) exited before it was ready"; show_logs; finish; }
    port=$([[ $i == 0 ]] && echo "$port_a" || echo "$port_b")
    if [[ -z ${ready_ms[$i]:-} && $(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready") == 200 ]]; then
      ready_ms[$i]=$((($(date +%s%N) - ${started[$i]}) / 1000000))
    fi
  done
  kill -0 "${pids[0]}" 2>/dev/null || { failure "instances: haproxy exited: $(tail -n 3 "$work/haproxy.log" | tr '\n' ' ')"; finish; }
  if [[ -n ${ready_ms[0]:-} && -n ${ready_ms[1]:-} && $(server_field a 18) == UP && $(server_field b 18) == UP ]]; then
    ready=1; break
  fi
  sleep 0.05
done
if ((ready == 0)); then
  failure "instances: not ready and up in haproxy within 300 s (a: $(server_field a 18), b: $(server_field b 18))"; show_logs; finish
fi
ok "instances: a on $port_a and b on $port_b ready, in ${ready_ms[0]} and ${ready_ms[1]} ms from their start, both up in haproxy on $port_lb"

# 5. Every example, to a, to b, and twice through haproxy (round robin: once to each): four identical answers, with the
#    expected status. Then the CDS Hooks calls made from the valid examples (bench/lib/requests.sh; the answers set aside
#    as bench/lib/answers.sh says); when they cannot be made (no node), that is one failure, not a quiet pass.
requests_list "$work" 2>"$work/requests.err" || failure "CDS Hooks calls: not made, not compared: $(tr '\n' ' ' <"$work/requests.err")"
count=0
while read -r path file expect; do
  name="$(basename "$file") ($path)"
  sa=$(post "http://127.0.0.1:$port_a" "$path" "$file" "$work/a.json"); sb=$(post "http://127.0.0.1:$port_b" "$path" "$file" "$work/b.json")
  s1=$(post "http://127.0.0.1:$port_lb" "$path" "$file" "$work/lb1.json"); s2=$(post "http://127.0.0.1:$port_lb" "$path" "$file" "$work/lb2.json")
  count=$((count + 1))
  for answer in a b lb1 lb2; do set_time_aside "$work/$answer.json"; done
  if [[ $sa == 000 ]]; then
    failure "$name: no answer from instance a"
  elif ! expected "$sa" "$expect"; then
    failure "$name: answered $sa by instance a, expected $expect"
  elif [[ $sa != "$sb" || $sa != "$s1" || $sa != "$s2" ]] || ! cmp -s "$work/a.json.cmp" "$work/b.json.cmp" \
     || ! cmp -s "$work/a.json.cmp" "$work/lb1.json.cmp" || ! cmp -s "$work/a.json.cmp" "$work/lb2.json.cmp"; then
    failure "$name: answers differ: a=$sa b=$sb haproxy=$s1,$s2"
    # Where: the first differing byte of each answer against a's, with some context (answers carry no log of a body;
    # these are the examples' synthetic patients).
    for answer in b lb1 lb2; do
      at=$(cmp "$work/a.json.cmp" "$work/$answer.json.cmp" 2>/dev/null | sed -n 's/.* byte \([0-9]*\).*/\1/p')
      [[ -n $at ]] && echo "  $answer differs from a at byte $at: a '$(tail -c +"$((at > 60 ? at - 60 : 1))" "$work/a.json.cmp" | head -c 120)' $answer '$(tail -c +"$((at > 60 ? at - 60 : 1))" "$work/$answer.json.cmp" | head -c 120)'"
    done
  else
    aside=$(grep -oE '"\((when made|new each call)\)"' "$work/a.json.cmp" | wc -l)
    ok "$name: $sa, $(wc -c <"$work/a.json") bytes, the same from a, b and haproxy twice ($aside instants of making or uuids set aside)"
  fi
done <"$work/requests"

# 6. haproxy must have sent requests to both instances, or the comparison through it proves little.
sent_a=$(server_field a 8) sent_b=$(server_field b 8)
if [[ $sent_a =~ ^[0-9]+$ && $sent_b =~ ^[0-9]+$ ]] && ((sent_a > 0 && sent_b > 0)); then
  ok "haproxy: of its $((2 * count)) requests, $sent_a went to a and $sent_b to b"
else
  failure "haproxy: did not spread its $((2 * count)) requests (a: ${sent_a:-?}, b: ${sent_b:-?})"
fi
finish
