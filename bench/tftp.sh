#!/usr/bin/env bash
# TFTP throughput of the appliance against tftpd-hpa, in the same run, on 127.0.0.1.
# Servers are pinned to CPU 0 and clients to CPU 1 (see shared/notes/pxe-facts.md: unpinned
# round trips land on one core or across two at random). Prints a Markdown table.
#   bench/tftp.sh [SIZE_MIB] [RUNS]     defaults: 30 MiB, 3 runs of each measurement
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt-ensure.sh
. bench/common.sh
require_dotnet
apt_ensure tftpd-hpa tftp-hpa atftp curl busybox util-linux coreutils

size_mib=${1:-30}
runs=${2:-3}
clients=50
blksize=1468
bench_init bench

now() { date +%s.%N; }
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / s / 1e6 }'; }

mkdir -p "$work/boot" "$work/data" "$work/got"
head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$work/boot/initrd.gz"
chmod -R a+rX "$work/boot"
bytes=$(stat -c %s "$work/boot/initrd.gz")

dotnet build -c Release src/Provisioner.Host -v quiet -nologo >/dev/null
app_port=$(free_port udp)
http_port=$(free_port tcp)
# Every client here comes from 127.0.0.1: lift the per-address limit a real rack never reaches.
PROVISIONER_Tftp__MaxTransfersPerClient=1000 taskset -c 0 src/Provisioner.Host/bin/Release/net10.0/provisioner serve \
  --tftp "127.0.0.1:$app_port" --http "http://127.0.0.1:$http_port" \
  --boot-dir "$work/boot" --data-dir "$work/data" >"$work/appliance.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
hpa_port=$(free_port udp)
taskset -c 0 /usr/sbin/in.tftpd -L -s "$work/boot" -a "127.0.0.1:$hpa_port" &
hpa_pid=$!
pids+=("$hpa_pid")
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$http_port/healthz" >/dev/null && break; sleep 0.2; done

# Best of $runs single transfers; prints MB/s.
single() {
  local best=0 t0 t1 rate
  for _ in $(seq "$runs"); do
    rm -f "$work/got/single"
    t0=$(now)
    "$@" >/dev/null 2>&1 || { echo "FAIL"; return; }
    t1=$(now)
    [ "$(stat -c %s "$work/got/single")" = "$bytes" ] || { echo "FAIL"; return; }
    rate=$(mbps "$bytes" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')")
    best=$(awk -v a="$best" -v b="$rate" 'BEGIN{print (b > a) ? b : a}')
  done
  echo "$best"
}

# $clients concurrent clients (curl or busybox); prints "MB/s failures".
concurrent() {
  local port=$1 client=$2 t0 t1 failures=0 i
  rm -f "$work"/got/c-*
  t0=$(now)
  local started=()
  for i in $(seq "$clients"); do
    if [ "$client" = curl ]; then
      taskset -c 1 curl -s --max-time 120 --tftp-blksize "$blksize" -o "$work/got/c-$i" "tftp://127.0.0.1:$port/initrd.gz" &
    else
      taskset -c 1 timeout 120 busybox tftp -g -b "$blksize" -r initrd.gz -l "$work/got/c-$i" 127.0.0.1 "$port" 2>/dev/null &
    fi
    started+=($!)
  done
  for job in "${started[@]}"; do
    wait "$job" || failures=$((failures + 1))
  done
  t1=$(now)
  for i in $(seq "$clients"); do
    [ "$(stat -c %s "$work/got/c-$i" 2>/dev/null || echo 0)" = "$bytes" ] || failures=$((failures + 1))
  done
  echo "$(mbps $((bytes * clients)) "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')") $failures"
}

curl_get() { taskset -c 1 curl -s --max-time 120 --tftp-blksize "$blksize" -o "$work/got/single" "tftp://127.0.0.1:$1/initrd.gz"; }
atftp_get() { taskset -c 1 atftp --option "blksize $blksize" --option "windowsize $2" -g -r initrd.gz -l "$work/got/single" 127.0.0.1 "$1"; }

app_single=$(single curl_get "$app_port")
hpa_single=$(single curl_get "$hpa_port")
app_lockstep=$(single atftp_get "$app_port" 1)
app_window=$(single atftp_get "$app_port" 16)
# The 50-client runs saturate the client core and vary by about 10% from run to run, so the two
# servers take turns, $runs rounds, and the median of each is compared. Two clients: curl, and
# busybox tftp, which costs the client core less per packet and so leaves more to the servers.
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
failures=(0 0)
multi() { # client; sets multi_app and multi_hpa
  local app_runs=() hpa_runs=() rate failed
  for _ in $(seq "$runs"); do
    read -r rate failed <<<"$(concurrent "$app_port" "$1")"; app_runs+=("$rate"); failures[0]=$((failures[0] + failed))
    read -r rate failed <<<"$(concurrent "$hpa_port" "$1")"; hpa_runs+=("$rate"); failures[1]=$((failures[1] + failed))
  done
  multi_app="$(median "${app_runs[@]}") (runs: ${app_runs[*]})"
  multi_hpa="$(median "${hpa_runs[@]}") (runs: ${hpa_runs[*]})"
}
multi curl; curl_app=$multi_app curl_hpa=$multi_hpa
multi busybox; busybox_app=$multi_app busybox_hpa=$multi_hpa
# VmHWM is the peak resident set since start; the 50-client runs are the heaviest part.
hwm=$(awk '/VmHWM/{print int($2/1024)}' "/proc/$app_pid/status")

cat <<TABLE
$(date -u +%Y-%m-%d) · ${size_mib} MiB file · blksize $blksize · servers on CPU 0, clients on CPU 1 · best of $runs for single clients, median of $runs alternating rounds for $clients clients

| measurement | appliance | tftpd-hpa 5.2 |
|---|---|---|
| 1 curl client, lockstep (MB/s) | $app_single | $hpa_single |
| $clients concurrent curl clients, aggregate (MB/s), median | $curl_app | $curl_hpa |
| $clients concurrent busybox tftp clients, aggregate (MB/s), median | $busybox_app | $busybox_hpa |
| failed transfers, all $clients-client runs | ${failures[0]} | ${failures[1]} |
| 1 atftp client, windowsize 1 (MB/s) | $app_lockstep | |
| 1 atftp client, windowsize 16 (MB/s) | $app_window | |
| windowsize 16 / own lockstep (atftp) | $(awk -v a="$app_window" -v b="$app_lockstep" 'BEGIN{printf "%.1fx", a/b}') | |
| appliance peak RSS (VmHWM) after the $clients-client run (MiB) | $hwm | |
TABLE
