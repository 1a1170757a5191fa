#!/usr/bin/env bash
# /healthz latency while CLIENTS clients send wrong passwords to /login (issue 17, item 6: before the
# sign-in limits, 20 such clients slowed /healthz to 1.8 s). Each client fetches the sign-in form (for
# its antiforgery token and cookie) and posts a wrong password, TRIES times; meanwhile /healthz is
# read 20 times, 0.2 s apart. Everything on 127.0.0.1, the appliance pinned to CPU 0, clients to CPU 1.
#   bench/signin.sh [CLIENTS=20] [TRIES=15]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt-ensure.sh
. bench/common.sh
require_dotnet
apt_ensure curl util-linux

clients=${1:-20}
tries=${2:-15}
bench_init signin
dotnet build -c Release src/Provisioner.Host -v quiet -nologo >/dev/null
http_port=$(free_port tcp)
base="http://127.0.0.1:$http_port"
taskset -c 0 src/Provisioner.Host/bin/Release/net10.0/provisioner serve --http "$base" --tftp "127.0.0.1:$(free_port udp)" \
  --syslog off --boot-dir "$work/boot" --data-dir "$work/data" >"$work/appliance.log" 2>&1 &
pids+=("$!")
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done

healthz() { # count → "median max" seconds
  for _ in $(seq "$1"); do curl -s -o /dev/null -w '%{time_total}\n' "$base/healthz"; sleep 0.2; done |
    sort -n | awk '{ t[NR] = $1 } END { printf "%.3f %.3f", t[int((NR + 1) / 2)], t[NR] }'
}

wrong_passwords() { # client number
  local jar="$work/jar-$1" token
  for n in $(seq "$tries"); do
    token=$(curl -s -c "$jar" -b "$jar" "$base/login" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | sed 's/.*value="//; s/"$//')
    curl -s -o /dev/null -w '%{http_code}\n' -c "$jar" -b "$jar" --data-urlencode "__RequestVerificationToken=$token" \
      --data-urlencode "Name=admin" --data-urlencode "Password=wrong $1 $n" "$base/login"
  done
}

quiet=$(healthz 10)
storm=()
for c in $(seq "$clients"); do taskset -c 1 bash -c "$(declare -f wrong_passwords); base=$base work=$work tries=$tries wrong_passwords $c" >"$work/codes-$c" & storm+=("$!"); done
busy=$(healthz 20)
wait "${storm[@]}"
echo "$(date +%F) · $clients clients × $tries wrong passwords · appliance on CPU 0, clients on CPU 1"
echo "| measurement | value |"
echo "|---|---|"
echo "| /healthz alone, median / max (s) | ${quiet/ / \/ } |"
echo "| /healthz during the wrong passwords, median / max (s) | ${busy/ / \/ } |"
echo "| sign-in answers (count × status) | $(cat "$work"/codes-* | sort | uniq -c | awk '{ printf "%s × %s, ", $1, $2 }' | sed 's/, $//') |"
