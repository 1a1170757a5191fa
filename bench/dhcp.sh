#!/usr/bin/env bash
# DHCP four-way exchanges (DISCOVER, OFFER, REQUEST, ACK) per second and drops, with ISC's perfdhcp
# (Debian kea-admin) against the appliance (serve --dhcp), dnsmasq and ISC Kea (kea-dhcp4), in one
# run, at rising rates until each one saturates. Two namespaces this script creates (a veth
# between them, 192.0.2.0/24, no route out): the server's and perfdhcp's. perfdhcp sends as a relay
# agent (giaddr 192.0.2.2, unicast to 192.0.2.1), so replies come back to it without broadcasts.
# The pool is 192.0.2.10-250 (241 addresses: what 192.0.2.0/24 allows) and perfdhcp simulates
# CLIENTS machines; each server first leases every one of them (a warm-up at 100/s with a 5 s drop
# time: the appliance pings an address before its first offer), then each rate runs
# PERIOD seconds. After each server's runs the leases it recorded are checked for an address held
# by two machines. Servers on CPU 0, perfdhcp on CPU 1.
#   bench/dhcp.sh [CLIENTS] [PERIOD] [RATES]      defaults 200, 10, "500 1000 2000 4000 8000"
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt-ensure.sh
. bench/common.sh

clients=${1:-200}
period=${2:-10}
rates=${3:-500 1000 2000 4000 8000}

require_dotnet
apt_ensure kea-admin kea-dhcp4-server dnsmasq-base iproute2 util-linux sqlite3 curl
dotnet build -c Release src/Provisioner.Host -v quiet -nologo >/dev/null
bench_init dhcp
app=$PWD/src/Provisioner.Host/bin/Release/net10.0/provisioner
srv="dhcpbench-srv-$$"
cli="dhcpbench-cli-$$"
cleanup() { bench_cleanup; ip netns del "$srv" 2>/dev/null || true; ip netns del "$cli" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$srv"
ip netns add "$cli"
ip -n "$srv" link set lo up
ip -n "$cli" link set lo up
ip -n "$srv" link add eth0 type veth peer name eth0 netns "$cli"
ip -n "$srv" addr add 192.0.2.1/24 dev eth0
ip -n "$cli" addr add 192.0.2.2/24 dev eth0
ip -n "$srv" link set eth0 up
ip -n "$cli" link set eth0 up

perf() { # rate period [extra perfdhcp options...] -> perfdhcp's report
  local rate=$1 seconds=$2
  shift 2
  ip netns exec "$cli" taskset -c 1 perfdhcp -4 -l 192.0.2.2 -r "$rate" -R "$clients" -p "$seconds" "$@" 192.0.2.1 2>&1 || true
}

# The achieved rate, and the drops of DISCOVER-OFFER and REQUEST-ACK, from a perfdhcp report.
summarize() {
  awk '/^Rate:/ { rate = $2 } /^drops ratio:/ { d[n++] = $3 } END { printf "%.0f|%s / %s", rate, d[0], d[1] }'
}

measure() { # name pid -> a table row per rate
  local name=$1 pid=$2 report row achieved
  perf 100 $((clients / 100 + 4)) -d 5 >"$work/$name-warmup.txt"
  for rate in $rates; do
    report=$(perf "$rate" "$period")
    echo "$report" >"$work/$name-$rate.txt"
    row=$(echo "$report" | summarize)
    achieved=${row%%|*}
    rss=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status")
    echo "| $name | $rate | $achieved | ${row#*|} | $rss |"
  done
}

wait_dhcp() { # a server answers one exchange
  for _ in $(seq 50); do
    perf 2 1 -d 1 | grep -q "^received packets: [1-9]" && return 0
    sleep 0.2
  done
  echo "no DHCP answer" >&2
  return 1
}

echo "| server | offered rate (/s) | four-way exchanges (/s) | drops (DISCOVER-OFFER / REQUEST-ACK) | server RSS (MiB) |"
echo "|---|---|---|---|---|"

# The appliance: default settings but the per-client limit (perfdhcp's CLIENTS machines each send
# far more than a real machine's 10 messages a second).
mkdir -p "$work/appliance"
cat >"$work/appliance/appsettings.json" <<JSON
{ "Dhcp": { "OtherServerListen": "00:00:01", "MaxMessagesPerClientPerSecond": 100000,
  "Subnets": [ { "Subnet": "192.0.2.0/24", "Ranges": [ "192.0.2.10-192.0.2.250" ], "LeaseTime": "01:00:00" } ] } }
JSON
(cd "$work/appliance" && exec ip netns exec "$srv" taskset -c 0 "$app" serve --data-dir data --boot-dir boot --templates "$OLDPWD/templates" \
  --tftp 192.0.2.1:69 --http http://192.0.2.1:8080 --syslog off --interface eth0 --dhcp) >"$work/appliance.log" 2>&1 &
pid=$!
pids+=("$pid")
for _ in $(seq 100); do ip netns exec "$srv" curl -sf http://192.0.2.1:8080/healthz >/dev/null && break; sleep 0.2; done
wait_dhcp
measure appliance "$pid"
kill "$pid"; wait "$pid" 2>/dev/null || true
dup=$(sqlite3 "$work/appliance/data/provisioner.db" "SELECT COUNT(*) FROM (SELECT Mac FROM dhcp_leases WHERE State = 'Bound' GROUP BY Mac HAVING COUNT(*) > 1)")
echo "| appliance | machines holding two bound addresses: $dup; leases: $(sqlite3 "$work/appliance/data/provisioner.db" "SELECT COUNT(*) FROM dhcp_leases") (one row per address) | | | |"

# dnsmasq 2.90 with --no-ping: with its ping (3 s for each address it offers first, one at a
# time here) the warm-up alone would take ten minutes; once every client has its lease neither it
# nor the appliance pings again, so what is measured is the same work.
ip netns exec "$srv" taskset -c 0 dnsmasq --keep-in-foreground --port=0 --interface=eth0 --bind-interfaces --no-ping \
  --dhcp-range=192.0.2.10,192.0.2.250,255.255.255.0,1h --dhcp-lease-max=10000 \
  --dhcp-leasefile="$work/dnsmasq.leases" --pid-file="$work/dnsmasq.pid" >"$work/dnsmasq.log" 2>&1 &
pid=$!
pids+=("$pid")
wait_dhcp
measure dnsmasq "$pid"
kill "$pid"; wait "$pid" 2>/dev/null || true
echo "| dnsmasq | addresses held by two machines in its lease file: $(awk '{ print $3 }' "$work/dnsmasq.leases" | sort | uniq -d | wc -l) | | | |"

# ISC Kea, memfile leases written to disk, UDP sockets (relayed traffic).
mkdir -p "$work/kea"
cat >"$work/kea/kea-dhcp4.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "eth0" ], "dhcp-socket-type": "udp" },
  "lease-database": { "type": "memfile", "persist": true, "name": "$work/kea/leases4.csv", "lfc-interval": 0 },
  "valid-lifetime": 3600,
  "subnet4": [ { "id": 1, "subnet": "192.0.2.0/24", "pools": [ { "pool": "192.0.2.10 - 192.0.2.250" } ] } ],
  "loggers": [ { "name": "kea-dhcp4", "output_options": [ { "output": "$work/kea/kea.log" } ], "severity": "WARN" } ]
} }
JSON
KEA_PIDFILE_DIR="$work/kea" KEA_LOCKFILE_DIR="$work/kea" ip netns exec "$srv" taskset -c 0 kea-dhcp4 -c "$work/kea/kea-dhcp4.json" >"$work/kea.out" 2>&1 &
pid=$!
pids+=("$pid")
wait_dhcp
measure kea "$pid"
kill "$pid"; wait "$pid" 2>/dev/null || true
echo "| kea | addresses held by two machines (last record of each address, unexpired): $(awk -F, 'NR > 1 { last[$1] = $2 } END { for (a in last) print last[a] }' "$work/kea/leases4.csv" | sort | uniq -d | wc -l) | | | |"
