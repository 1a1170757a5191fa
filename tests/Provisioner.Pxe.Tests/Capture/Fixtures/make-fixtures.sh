#!/usr/bin/env bash
# Re-makes the capture fixtures from real clients, as root, inside a network namespace this script
# creates and deletes (192.0.2.0/24, a bridge with a veth and a tap, no route out):
#   ipxe-dhcp.pcap     QEMU's iPXE ROM doing PXE DHCP against dnsmasq
#   udhcpc-dhcp.pcap   busybox udhcpc (hostname option) against dnsmasq
#   arp.pcap           arping requests and replies, and gratuitous ARP
# Needs qemu-system-x86, ipxe-qemu, dnsmasq-base, tcpdump, iputils-arping, busybox.
set -euo pipefail
out=$(cd "$(dirname "$0")" && pwd)
ns=fixtures-$$
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 1
  ip netns del "$ns" 2>/dev/null || true
  ip netns del "$ns-client" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
srv() { ip netns exec "$ns" "$@"; }
client() { ip netns exec "$ns-client" "$@"; }

ip netns add "$ns"
ip netns add "$ns-client"
for n in "$ns" "$ns-client"; do
  ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip -n "$n" link set lo up
done
srv ip link add br0 type bridge mcast_snooping 0
srv ip addr add 192.0.2.1/24 dev br0
srv ip tuntap add dev tap0 mode tap
srv ip link set tap0 master br0
ip -n "$ns" link add veth0 type veth peer name eth0 netns "$ns-client"
srv ip link set veth0 master br0
for l in br0 tap0 veth0; do srv ip link set "$l" up; done
client ip link set eth0 address 02:00:00:00:00:42
client ip link set eth0 up

ip netns exec "$ns" dnsmasq --keep-in-foreground --port=0 --interface=br0 --bind-interfaces \
  --dhcp-range=192.0.2.100,192.0.2.150,255.255.255.0,10m --dhcp-boot=pxelinux.0,,192.0.2.1 \
  --dhcp-leasefile="$work/leases" --pid-file="$work/dnsmasq.pid" >/dev/null 2>&1 &
pids+=($!)
sleep 1

capture() { # file filter seconds command...
  local file=$1 filter=$2 seconds=$3; shift 3
  ip netns exec "$ns" tcpdump -Z root -i br0 -w "$out/$file" -U "$filter" >/dev/null 2>&1 &
  local dump=$!
  sleep 1
  "$@" || true
  sleep "$seconds"
  kill "$dump"; wait "$dump" 2>/dev/null || true
}

capture ipxe-dhcp.pcap "udp port 67 or udp port 68" 0 bash -c "
  ip netns exec $ns timeout 25 qemu-system-x86_64 -accel tcg -m 256 -display none -monitor none -serial none \
    -netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device e1000,netdev=n0,mac=52:54:00:12:34:56 -boot n >/dev/null 2>&1"
capture udhcpc-dhcp.pcap "udp port 67 or udp port 68" 1 \
  client busybox udhcpc -i eth0 -n -q -t 3 -x hostname:rack1-node7 -V "udhcpc-test" -s /bin/true
capture arp.pcap "arp" 1 bash -c "
  ip netns exec $ns-client ip addr add 192.0.2.42/24 dev eth0
  ip netns exec $ns-client arping -c 2 -I eth0 192.0.2.1 >/dev/null
  ip netns exec $ns-client arping -c 2 -U -I eth0 192.0.2.42 >/dev/null
  ip netns exec $ns arping -c 1 -I br0 192.0.2.42 >/dev/null"
ls -l "$out"/*.pcap
python3 "$out/make-malformed.py"
