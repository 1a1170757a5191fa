#!/usr/bin/env bash
# Builds packaging/Dockerfile (from the committed tree, HEAD) with podman and runs the image as the
# README says, but inside a network namespace of its own (192.0.2.0/24, no route out), and checks:
# /healthz answers; pxelinux.0 (Debian's, byte for byte) and pxelinux.cfg/default come over TFTP;
# the process runs as the provisioner user with exactly NET_BIND_SERVICE and NET_RAW effective;
# the image's HEALTHCHECK passes; SIGTERM stops it with exit code 0. Prints one line per check; exits non-zero at the first failure.
#   packaging/check-container.sh
# STANDIN_IMAGES=1, where the registries cannot be reached (this project's build machines): the two
# base images are made here instead, debian:bookworm-slim by debootstrap and the SDK image from it
# plus this machine's .NET SDK and CA certificates (its HTTPS proxy's root among them).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt-ensure.sh
# runc: crun refuses this kind of VM's hybrid cgroups.
apt_ensure podman runc tftp-hpa curl git pxelinux ${STANDIN_IMAGES:+debootstrap}

work=$(mktemp -d /tmp/provisioner-container-XXXXXX)
ns="pvct$$"
name="provisioner-check-$$"
podman=(podman --runtime runc --cgroup-manager=cgroupfs)
# podman's default limits are above what a process here may set.
limits=(--ulimit "nofile=$(ulimit -Sn):$(ulimit -Hn)" --ulimit "nproc=1000:1000")
cleanup() {
  "${podman[@]}" rm -f "$name" >/dev/null 2>&1 || true
  "${podman[@]}" volume rm -f "$name" >/dev/null 2>&1 || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

if [ -n "${STANDIN_IMAGES:-}" ]; then
  debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
    || fail "debootstrap (see $work/debootstrap.log)"
  tar -C "$work/rootfs" -c . | "${podman[@]}" import - docker.io/library/debian:bookworm-slim >/dev/null
  cp /etc/resolv.conf "$work/rootfs/etc/resolv.conf"
  chroot "$work/rootfs" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates libicu72 libssl3 zlib1g libstdc++6' >/dev/null
  cp /etc/ssl/certs/ca-certificates.crt "$work/rootfs/etc/ssl/certs/ca-certificates.crt"
  cp -a "$(dirname "$(readlink -f "$(command -v dotnet)")")" "$work/rootfs/usr/share/dotnet"
  ln -sf /usr/share/dotnet/dotnet "$work/rootfs/usr/bin/dotnet"
  tar -C "$work/rootfs" -c . | "${podman[@]}" import --change 'ENV DOTNET_CLI_TELEMETRY_OPTOUT=1' - mcr.microsoft.com/dotnet/sdk:10.0-bookworm-slim >/dev/null
  pull=(--pull=never)
fi

mkdir "$work/src"
git archive HEAD | tar -x -C "$work/src"
started=$(date +%s)
"${podman[@]}" build --format docker --isolation=chroot ${pull[@]+"${pull[@]}"} "${limits[@]}" -f packaging/Dockerfile -t provisioner-check "$work/src" \
  >"$work/build.log" 2>&1 || { tail -20 "$work/build.log" >&2; fail "image build"; }
echo "ok: image built in $(( $(date +%s) - started )) s ($("${podman[@]}" image inspect -f '{{.Size}}' provisioner-check | awk '{ printf "%d MB", $1 / 1e6 }'))"

ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add pv0 type veth peer name pv1
ip -n "$ns" addr add 192.0.2.10/24 dev pv0
ip -n "$ns" addr add 192.0.2.20/24 dev pv1
ip -n "$ns" link set pv0 up
ip -n "$ns" link set pv1 up

"${podman[@]}" run -d --name "$name" --network "ns:/run/netns/$ns" --cap-add NET_RAW --cap-add NET_BIND_SERVICE "${limits[@]}" \
  -v "$name:/var/lib/provisioner" provisioner-check serve --config /etc/provisioner/appsettings.json --interface pv0 >/dev/null 2>"$work/run.log"
for _ in $(seq 100); do
  ip netns exec "$ns" curl -sf http://192.0.2.10:8080/healthz >"$work/healthz" 2>/dev/null && break
  sleep 0.2
done
[ -s "$work/healthz" ] || { "${podman[@]}" logs "$name" >&2; fail "/healthz did not answer"; }
echo "ok: /healthz $(cat "$work/healthz")"
# The image's HEALTHCHECK, run once by hand (podman schedules it through systemd, which is not here).
"${podman[@]}" healthcheck run "$name" 2>>"$work/run.log" || fail "HEALTHCHECK"
echo "ok: the image's HEALTHCHECK passes"

(cd "$work" && ip netns exec "$ns" tftp 192.0.2.10 -m binary -c get pxelinux.0 pxelinux.0)
cmp -s "$work/pxelinux.0" /usr/lib/PXELINUX/pxelinux.0 || fail "pxelinux.0 over TFTP is not Debian's"
echo "ok: TFTP pxelinux.0, $(stat -c %s "$work/pxelinux.0") bytes, the same as Debian's"
(cd "$work" && ip netns exec "$ns" tftp 192.0.2.10 -c get pxelinux.cfg/default default)
grep -q LOCALBOOT "$work/default" || fail "pxelinux.cfg/default over TFTP"
echo "ok: TFTP pxelinux.cfg/default"

pid=$("${podman[@]}" inspect -f '{{.State.Pid}}' "$name")
uid=$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")
caps=$(awk '/^CapEff:/ { print $2 }' "/proc/$pid/status")
[ "$uid" -ne 0 ] || fail "runs as root"
# NET_BIND_SERVICE is bit 10, NET_RAW bit 13.
[ "$caps" = "0000000000002400" ] || fail "effective capabilities $caps, not NET_BIND_SERVICE and NET_RAW alone"
echo "ok: uid $uid ($("${podman[@]}" top "$name" user | tail -1)), CapEff $caps (NET_BIND_SERVICE, NET_RAW)"

"${podman[@]}" stop -t 20 "$name" >/dev/null 2>>"$work/run.log"
code=$("${podman[@]}" inspect -f '{{.State.ExitCode}}' "$name")
[ "$code" = 0 ] || fail "exit code $code after SIGTERM"
echo "ok: stopped by SIGTERM, exit code 0"
