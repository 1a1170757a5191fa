#!/usr/bin/env bash
# A boot storm: CLIENTS simulated machines at once, each fetching what a PXE boot fetches
# (pxelinux.0, its pxelinux.cfg/01-<mac>, an 8 MiB kernel, a 30 MiB initrd), four ways in one run:
#   (a) appliance, all over TFTP (blksize 1468)      (c-a) dnsmasq's TFTP, the same files
#   (b) appliance, loader and config over TFTP, kernel and initrd over HTTP
#   (c-b) dnsmasq's TFTP for loader and config, nginx for kernel and initrd
# Prints a Markdown table: time until the last client has everything, failures, server CPU
# seconds, server peak RSS, how busy each core was; the median of ROUNDS rounds. Runs inside a network namespace of its own (loopback only), so the
# reference TFTP server can have port 69. Servers on CPU 0, clients on CPU 1.
#   bench/bootstorm.sh [CLIENTS] [ROUNDS]      defaults 100 and 3
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt-ensure.sh
. bench/common.sh

if [ -z "${BOOTSTORM_NS:-}" ]; then
  require_dotnet
  apt_ensure dnsmasq-base nginx curl pxelinux iproute2 util-linux
  dotnet build -c Release src/Provisioner.Host -v quiet -nologo >/dev/null
  ns="bootstorm-$$"
  ip netns add "$ns"
  trap 'ip netns del "$ns"' EXIT
  ip -n "$ns" link set lo up
  BOOTSTORM_NS=$ns ip netns exec "$ns" "$0" "$@"
  exit
fi

clients=${1:-100}
rounds=${2:-3}
blksize=1468
bench_init bootstorm
app=src/Provisioner.Host/bin/Release/net10.0/provisioner
boot=$work/boot
ref=$work/ref
mkdir -p "$boot/debian12" "$ref/debian12" "$ref/pxelinux.cfg"
head -c $((8 * 1024 * 1024)) /dev/urandom > "$boot/debian12/linux"
head -c $((30 * 1024 * 1024)) /dev/urandom > "$boot/debian12/initrd.gz"
cp /usr/lib/PXELINUX/pxelinux.0 "$boot/"
ln "$boot/pxelinux.0" "$ref/pxelinux.0"
ln "$boot/debian12/linux" "$ref/debian12/linux"
ln "$boot/debian12/initrd.gz" "$ref/debian12/initrd.gz"
chmod -R a+rX "$work"

# The appliance, with CLIENTS hosts in build mode.
macs=()
for i in $(seq "$clients"); do macs+=("$(printf '52:54:00:bb:%02x:%02x' $((i / 256)) $((i % 256)))"); done
{
  echo "ip|mac|hostname"
  for i in $(seq "$clients"); do echo "192.0.2.$((i + 100))|${macs[$((i - 1))]}|storm$i"; done
} > "$work/ip2mac.txt"
(cd "$work" && "$OLDPWD/$app" hosts import "$work/ip2mac.txt" --data-dir "$work/data" --templates "$OLDPWD/templates" --prefix 24 >/dev/null)
token=$(cd "$work" && "$OLDPWD/$app" token create --data-dir "$work/data" --templates "$OLDPWD/templates")
tftp_port=6969
http_port=8080
# Every client here comes from 127.0.0.1: lift the per-address limit a real rack never reaches.
PROVISIONER_Tftp__MaxTransfersPerClient=1000 taskset -c 0 "$app" serve --tftp "127.0.0.1:$tftp_port" --http "http://127.0.0.1:$http_port" --syslog off \
  --boot-dir "$boot" --data-dir "$work/data" --templates templates >"$work/appliance.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$http_port/healthz" >/dev/null && break; sleep 0.2; done
for i in $(seq "$clients"); do
  curl -sf -X POST -H "Authorization: Bearer $token" "http://127.0.0.1:$http_port/api/hosts/$i/build" >/dev/null
done
# The reference servers get the same configs as static files.
for mac in "${macs[@]}"; do
  name="01-${mac//:/-}"
  curl -sf "http://127.0.0.1:$http_port/pxelinux.cfg/$name" > "$ref/pxelinux.cfg/$name"
done

taskset -c 0 dnsmasq --keep-in-foreground --port=0 --enable-tftp --tftp-root="$ref" --tftp-max=1000 \
  --listen-address=127.0.0.1 --bind-interfaces --pid-file="$work/dnsmasq.pid" --log-facility="$work/dnsmasq.log" &
dnsmasq_pid=$!
pids+=("$dnsmasq_pid")
nginx_config "  access_log off; sendfile on;
  server { listen 127.0.0.1:8081; location /boot/ { alias $ref/; } }"
taskset -c 0 nginx -c "$work/nginx.conf" -g 'daemon off;' &
pids+=($!)
sleep 1
nginx_pids=$(pgrep -d ' ' -P "${pids[-1]}" || true)
nginx_pids="${pids[-1]} $nginx_pids"

cpu() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
hwm() { local t=0 p; for p in "$@"; do t=$((t + $(awk '/VmHWM/{print $2}' "/proc/$p/status"))); done; echo $((t / 1024)); }
ticks=$(getconf CLK_TCK)
# Busy ticks (all but idle and iowait; steal counts, as the hypervisor took the core) of one CPU, from /proc/stat.
cpu_busy() { awk -v c="cpu$1" '$1 == c {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
sizes="$(stat -c %s "$boot/pxelinux.0") $(stat -c %s "$boot/debian12/linux") $(stat -c %s "$boot/debian12/initrd.gz")"

# One boot storm; prints "seconds failures cpu-seconds peak-rss-MiB cpu0-busy% cpu1-busy%".
# Clients write to /dev/null and report each size (curl -w): writing 3.8 GB to disk would make the
# page cache's writeback part of whichever run comes first.
storm() { # tftp-port http-base(or "") server-pids...
  local tftp=$1 http=$2; shift 2
  local before t0 t1 failures=0 i started=() busy0 busy1 got
  rm -rf "$work/got"; mkdir -p "$work/got"
  before=$(cpu "$@")
  busy0=$(cpu_busy 0); busy1=$(cpu_busy 1)
  t0=$(date +%s.%N)
  for i in $(seq "$clients"); do
    local mac=${macs[$((i - 1))]}
    local cfg="tftp://127.0.0.1:$tftp/pxelinux.cfg/01-${mac//:/-}"
    local files="tftp://127.0.0.1:$tftp/debian12"
    [ -n "$http" ] && files="$http/boot/debian12"
    taskset -c 1 curl -s --max-time 300 --tftp-blksize "$blksize" -w '%{size_download} ' \
      -o /dev/null "tftp://127.0.0.1:$tftp/pxelinux.0" -o /dev/null "$cfg" \
      -o /dev/null "$files/linux" -o /dev/null "$files/initrd.gz" >"$work/got/$i" &
    started+=($!)
  done
  for job in "${started[@]}"; do wait "$job" || failures=$((failures + 1)); done
  t1=$(date +%s.%N)
  busy0=$(( $(cpu_busy 0) - busy0 )); busy1=$(( $(cpu_busy 1) - busy1 ))
  for i in $(seq "$clients"); do
    # loader, config (any length but 0), kernel, initrd
    read -r -a got <"$work/got/$i" || true
    [ "${got[0]:-} ${got[2]:-} ${got[3]:-}" = "$sizes" ] && [ "${got[1]:-0}" -gt 0 ] || failures=$((failures + 1))
  done
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') $failures" \
    "$(awk -v c=$(( $(cpu "$@") - before )) -v t="$ticks" 'BEGIN{printf "%.1f", c/t}') $(hwm "$@")" \
    "$(percent "$busy0" "$t0" "$t1") $(percent "$busy1" "$t0" "$t1")"
}
percent() { awk -v b="$1" -v t="$ticks" -v a="$2" -v z="$3" 'BEGIN{printf "%.0f", 100*b/t/(z-a)}'; }

# ROUNDS rounds; the order of the servers alternates from one round to the next, so neither always
# runs first. Each row reports the round with the median time; the times of all rounds follow it.
declare -A runs
run_named() { # name tftp-port http-base server-pids...
  local name=$1; shift
  runs[$name]+="$(storm "$@")"$'\n'
}
for round in $(seq "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then
    run_named a $tftp_port "" "$app_pid"
    run_named ca 69 "" "$dnsmasq_pid"
    run_named b $tftp_port "http://127.0.0.1:$http_port" "$app_pid"
    # shellcheck disable=SC2086
    run_named cb 69 "http://127.0.0.1:8081" "$dnsmasq_pid" $nginx_pids
  else
    run_named ca 69 "" "$dnsmasq_pid"
    run_named a $tftp_port "" "$app_pid"
    # shellcheck disable=SC2086
    run_named cb 69 "http://127.0.0.1:8081" "$dnsmasq_pid" $nginx_pids
    run_named b $tftp_port "http://127.0.0.1:$http_port" "$app_pid"
  fi
done
# "time failures(all rounds) cpu rss busy0 busy1 (times of all rounds)" for one run name.
median() {
  local sorted all failures
  sorted=$(printf '%s' "${runs[$1]}" | sort -n -k1,1)
  all=$(printf '%s' "${runs[$1]}" | awk '{printf "%s%s", sep, $1; sep=" "}')
  failures=$(printf '%s' "${runs[$1]}" | awk '{f += $2} END {print f}')
  printf '%s' "$sorted" | awk -v n="$rounds" -v f="$failures" -v all="$all" 'NR == int((n + 1) / 2) {print $1, f, $3, $4, $5, $6, all}'
}
read -r a_s a_f a_c a_m a_0 a_1 a_all <<<"$(median a)"
read -r ca_s ca_f ca_c ca_m ca_0 ca_1 ca_all <<<"$(median ca)"
read -r b_s b_f b_c b_m b_0 b_1 b_all <<<"$(median b)"
read -r cb_s cb_f cb_c cb_m cb_0 cb_1 cb_all <<<"$(median cb)"

cat <<TABLE
$(date -u +%Y-%m-%d) · $clients clients at once, each: pxelinux.0, its config, 8 MiB kernel, 30 MiB initrd · TFTP blksize $blksize · servers on CPU 0, clients on CPU 1 · median of $rounds rounds

| run | last client done (s), median (all rounds) | failures, all rounds | server CPU (s) | server peak RSS (MiB) | CPU 0 / CPU 1 busy (%) |
|---|---|---|---|---|---|
| (a) appliance, all TFTP | $a_s ($a_all) | $a_f | $a_c | $a_m | $a_0 / $a_1 |
| (c-a) dnsmasq 2.90 TFTP | $ca_s ($ca_all) | $ca_f | $ca_c | $ca_m | $ca_0 / $ca_1 |
| (b) appliance, TFTP loader + HTTP kernel/initrd | $b_s ($b_all) | $b_f | $b_c | $b_m | $b_0 / $b_1 |
| (c-b) dnsmasq TFTP + nginx HTTP | $cb_s ($cb_all) | $cb_f | $cb_c | $cb_m | $cb_0 / $cb_1 |

(a) / (c-a): $(awk -v a="$a_s" -v b="$ca_s" 'BEGIN{printf "%.2f", a/b}') (target ≤ 1) · (a) / (b): $(awk -v a="$a_s" -v b="$b_s" 'BEGIN{printf "%.1fx", a/b}') (target ≥ 5x)
TABLE
