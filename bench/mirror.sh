#!/usr/bin/env bash
# Whole files over HTTP as machines fetch them from the appliance: a boot file (/boot/), a package
# mirror cache hit (/mirror/<archive>/pool/…) and an image (/images/<name>/root.squashfs), against
# nginx serving the same file (sendfile, one worker), in the same run on 127.0.0.1: servers pinned to
# CPU 0, curl clients to CPU 1. ROUNDS rounds, each in turn (alternating), medians. Then a cold file:
# CLIENTS clients at once ask the mirror for a file it has not got, whose upstream is the nginx here;
# nginx's log says how many bytes it sent (goal: one copy). With BEFORE=path/to/an/older/provisioner
# binary, its /boot/ is measured beside the others.
#   bench/mirror.sh [SIZE_MB=50] [ROUNDS=10] [CLIENTS=50]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt-ensure.sh
. bench/common.sh
require_dotnet
apt_ensure nginx curl python3 util-linux

size_mb=${1:-50}
rounds=${2:-10}
clients=${3:-50}
bench_init mirror

dotnet build -c Release src/Provisioner.Host -v quiet -nologo >/dev/null
after=$PWD/src/Provisioner.Host/bin/Release/net10.0/provisioner
mkdir -p "$work/boot" "$work/www/pool" "$work/data-after/mirror/bench/pool" "$work/data-after/images/bench/20260101T000000Z"
head -c $((size_mb * 1024 * 1024)) /dev/urandom > "$work/boot/file"
cp "$work/boot/file" "$work/www/file"
head -c $((size_mb * 1024 * 1024)) /dev/urandom > "$work/www/pool/cold.deb"
# The same bytes as a cache hit (what the mirror leaves after a download) and as an image's root.
cp "$work/boot/file" "$work/data-after/mirror/bench/pool/file.deb"
cp "$work/boot/file" "$work/data-after/images/bench/20260101T000000Z/root.squashfs"
want=$(sha256sum < "$work/boot/file" | cut -d' ' -f1)
size=$(stat -c %s "$work/boot/file")
printf '{"name":"bench","version":"20260101T000000Z","built":"2026-01-01T00:00:00+00:00","suite":"bookworm","architecture":"amd64","kernelCommandLine":"","files":[{"name":"root.squashfs","size":%s,"sha256":"%s"}],"packages":[]}\n' \
  "$size" "$want" > "$work/data-after/images/bench/20260101T000000Z/manifest.json"
nginx_port=$(free_port tcp)
unit_env=$(sed -n 's/^Environment=\(DOTNET_GC[A-Za-z0-9_]*=.*\)$/\1/p' packaging/provisioner.service)

declare -A url pid
declare -A base
start_appliance() { # name binary
  local port; port=$(free_port tcp)
  env $unit_env PROVISIONER_Mirror__Upstreams__bench="http://127.0.0.1:$nginx_port/" \
    taskset -c 0 "$2" serve --data-dir "$work/data-$1" --boot-dir "$work/boot" --http "http://127.0.0.1:$port" \
    --tftp "127.0.0.1:$(free_port udp)" --syslog off >"$work/$1.log" 2>&1 &
  pids+=($!)
  pid[$1]=$!
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  base[$1]="http://127.0.0.1:$port"
  url[$1]="http://127.0.0.1:$port/boot/file"
}
start_appliance after "$after"
url[mirror-hit]="${base[after]}/mirror/bench/pool/file.deb"
url[image]="${base[after]}/images/bench/root.squashfs"
servers=(after mirror-hit image)
if [ -n "${BEFORE:-}" ]; then start_appliance before "$BEFORE"; servers+=(before); fi
nginx_config "  log_format sent '\$request_uri \$body_bytes_sent';
  access_log $work/nginx-access.log sent; sendfile on; tcp_nopush on;
  server { listen 127.0.0.1:$nginx_port; root $work/www; }"
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
label() { case $1 in after) echo "/boot/";; before) echo "/boot/ (BEFORE)";; mirror-hit) echo "/mirror/ hit";; image) echo "/images/";; *) echo "$1";; esac; }
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
printf '| measurement |'; for s in "${servers[@]}"; do printf ' %s |' "$(label "$s")"; done; echo
printf '|---|'; for _ in "${servers[@]}"; do printf -- '---|'; done; echo
printf '| 1 client, median s (MB/s) |'
for s in "${servers[@]}"; do m=$(median <<<"${single[$s]}"); printf ' %s (%s) |' "$m" "$(mbps "$m" 1)"; done; echo
printf '| %s clients at once, median s (aggregate MB/s) |' "$clients"
for s in "${servers[@]}"; do m=$(median <<<"${multi[$s]}"); printf ' %s (%s) |' "$m" "$(mbps "$m" "$clients")"; done; echo
for s in "${servers[@]}"; do
  [ -n "${pid[$s]:-}" ] || continue
  printf '\n%s peak RSS (VmHWM): %s MiB' "$s" "$(awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/${pid[$s]}/status")"
done
echo

# The cold file: every client at once, one upstream copy.
cold_want=$(sha256sum < "$work/www/pool/cold.deb" | cut -d' ' -f1)
cold=()
for i in $(seq "$clients"); do
  (taskset -c 1 curl -sf "${base[after]}/mirror/bench/pool/cold.deb" | sha256sum | cut -d' ' -f1 > "$work/cold.$i") &
  cold+=($!)
done
wait "${cold[@]}"
good=$(grep -c "^$cold_want\$" "$work"/cold.* | awk -F: '{ n += $2 } END { print n }')
upstream=$(awk '$1 == "/pool/cold.deb" { n += $2 } END { print n + 0 }' "$work/nginx-access.log")
echo "cold file, $clients clients at once: $good of $clients got its sha256; upstream sent $upstream bytes for it ($(awk -v u="$upstream" -v s="$(stat -c %s "$work/www/pool/cold.deb")" 'BEGIN { printf "%.2f", u / s }') copies)"
echo
echo
echo "single-client runs (s): $(for s in "${servers[@]}"; do printf '%s: %s; ' "$s" "${single[$s]}"; done)"

# Image build time, cold (empty mirror cache) and warm (the second build), with the shipped debian12
# definition: an appliance whose upstreams are this machine's apt sources, as apt reaches them. IMAGES=0 skips it.
if [ "${IMAGES:-1}" = 1 ]; then
  apt_ensure mmdebstrap squashfs-tools
  port=$(free_port tcp)
  env $unit_env "$after" serve --data-dir "$work/data-images" --boot-dir "$work/boot" --http "http://127.0.0.1:$port" \
    --tftp "127.0.0.1:$(free_port udp)" --syslog off >"$work/images.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  for build in cold warm; do
    t0=$(date +%s.%N)
    PROVISIONER_Http="http://127.0.0.1:$port" PROVISIONER_Images__Directory="$PWD/images" \
      "$after" images build debian12 --data-dir "$work/data-images" >"$work/build-$build.log" 2>&1 \
      || { echo "$build build failed:"; tail -5 "$work/build-$build.log"; break; }
    t1=$(date +%s.%N)
    fetched=$(curl -sf "http://127.0.0.1:$port/metrics" | awk '/^provisioner_mirror_fetched_bytes_total/ { print $2 }')
    echo "image debian12, $build build: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }') s; mirror fetched upstream so far: $(awk -v f="$fetched" 'BEGIN { printf "%.0f", f / 1e6 }') MB"
  done
fi
