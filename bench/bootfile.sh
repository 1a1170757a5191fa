#!/usr/bin/env bash
# Whole files over HTTP from /boot/ (kernels, initrds; later images and mirror hits pass the same
# way) against nginx serving the same file (sendfile, one worker), in the same run on 127.0.0.1:
# servers pinned to CPU 0, curl clients to CPU 1. ROUNDS rounds, each server in turn (alternating),
# medians. With BEFORE=path/to/an/older/provisioner binary, that one is measured beside the others.
#   bench/bootfile.sh [SIZE_MB=50] [ROUNDS=10] [CLIENTS=50]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt-ensure.sh
. bench/common.sh
require_dotnet
apt_ensure nginx curl python3 util-linux

size_mb=${1:-50}
rounds=${2:-10}
clients=${3:-50}
bench_init bootfile

dotnet build -c Release src/Provisioner.Host -v quiet -nologo >/dev/null
after=$PWD/src/Provisioner.Host/bin/Release/net10.0/provisioner
mkdir -p "$work/boot" "$work/www"
head -c $((size_mb * 1024 * 1024)) /dev/urandom > "$work/boot/file"
cp "$work/boot/file" "$work/www/file"
want=$(sha256sum < "$work/boot/file" | cut -d' ' -f1)
unit_env=$(sed -n 's/^Environment=\(DOTNET_GC[A-Za-z0-9_]*=.*\)$/\1/p' packaging/provisioner.service)

declare -A url pid
start_appliance() { # name binary
  local port; port=$(free_port tcp)
  env $unit_env taskset -c 0 "$2" serve --data-dir "$work/data-$1" --boot-dir "$work/boot" --http "http://127.0.0.1:$port" \
    --tftp "127.0.0.1:$(free_port udp)" --syslog off >"$work/$1.log" 2>&1 &
  pids+=($!)
  pid[$1]=$!
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  url[$1]="http://127.0.0.1:$port/boot/file"
}
start_appliance after "$after"
servers=(after)
if [ -n "${BEFORE:-}" ]; then start_appliance before "$BEFORE"; servers+=(before); fi
nginx_port=$(free_port tcp)
mkdir -p "$work/nginx-tmp"
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off; sendfile on; tcp_nopush on;
  client_body_temp_path $work/nginx-tmp; proxy_temp_path $work/nginx-tmp; fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp; scgi_temp_path $work/nginx-tmp;
  server { listen 127.0.0.1:$nginx_port; root $work/www; }
}
CONF
taskset -c 0 nginx -c "$work/nginx.conf" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nginx_port/file" -o /dev/null && break; sleep 0.1; done
url[nginx]="http://127.0.0.1:$nginx_port/file"
servers+=(nginx)

# Every byte checked once per server before timing.
for s in "${servers[@]}"; do
  got=$(curl -sf "${url[$s]}" | sha256sum | cut -d' ' -f1)
  [ "$got" = "$want" ] || { echo "$s served other bytes" >&2; exit 1; }
done

one() { # url -> seconds for one client
  taskset -c 1 curl -sf -o /dev/null -w '%{time_total}\n' "$1"
}
many() { # url -> seconds for $clients clients at once (wall time of the slowest)
  local t0 t1
  t0=$(date +%s.%N)
  for _ in $(seq "$clients"); do taskset -c 1 curl -sf -o /dev/null "$1" & done
  wait
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}
declare -A single multi
for r in $(seq "$rounds"); do
  for s in "${servers[@]}"; do
    single[$s]+="$(one "${url[$s]}") "
    multi[$s]+="$(many "${url[$s]}") "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mbps() { awk -v s="$1" -v n="$2" -v mb="$size_mb" 'BEGIN { printf "%.0f", n * mb * 1.048576 / s }'; }

echo "$(date -u +%F) · ${size_mb} MiB file · $rounds rounds, servers in turn · servers on CPU 0 (appliance environment: ${unit_env:-none}), curl on CPU 1"
echo
printf '| measurement |'; for s in "${servers[@]}"; do printf ' %s |' "$s"; done; echo
printf '|---|'; for _ in "${servers[@]}"; do printf -- '---|'; done; echo
printf '| 1 client, median s (MB/s) |'
for s in "${servers[@]}"; do m=$(median <<<"${single[$s]}"); printf ' %s (%s) |' "$m" "$(mbps "$m" 1)"; done; echo
printf '| %s clients at once, median s (aggregate MB/s) |' "$clients"
for s in "${servers[@]}"; do m=$(median <<<"${multi[$s]}"); printf ' %s (%s) |' "$m" "$(mbps "$m" "$clients")"; done; echo
for s in "${servers[@]}"; do
  [ "$s" = nginx ] && continue
  printf '\n%s peak RSS (VmHWM): %s MiB' "$s" "$(awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/${pid[$s]}/status")"
done
echo
echo
echo "single-client runs (s): $(for s in "${servers[@]}"; do printf '%s: %s; ' "$s" "${single[$s]}"; done)"
