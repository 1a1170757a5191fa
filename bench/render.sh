#!/usr/bin/env bash
# Rendering throughput: per-host preseeds and pxelinux configs over HTTP from an inventory of
# 10,000 hosts, against nginx serving static files of the same sizes, in the same run, on
# 127.0.0.1. Servers pinned to CPU 0, wrk to CPU 1. Prints a Markdown table.
#   bench/render.sh [HOSTS] [SECONDS]     defaults: 10000 hosts, 10 s per wrk run (keep it under ~20 s:
#   the runs must fall within the minute after each host's first fetch)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt-ensure.sh
. bench/common.sh
require_dotnet
apt_ensure wrk nginx python3 curl util-linux

hosts=${1:-10000}
seconds=${2:-10}
bench_init render

dotnet build -c Release src/Provisioner.Host -v quiet -nologo >/dev/null
bin=src/Provisioner.Host/bin/Release/net10.0/provisioner
common=(--data-dir "$work/data" --templates "$PWD/templates")

# The inventory: $hosts hosts with every field set, imported in one go, each put in build mode.
python3 - "$hosts" > "$work/hosts.csv" <<'PY'
import sys
n = int(sys.argv[1])
print("mac,hostname,domain,ip,gateway,dns,profile,console,kernelArgs,notes")
for i in range(n):
    print(f"02:00:00:00:{i >> 8:02x}:{i & 0xff:02x},bench{i:05d},example.org,192.0.{2 + ((i + 10) >> 8)}.{(i + 10) & 0xff}/16,192.0.2.1,192.0.2.53,debian12,\"ttyS1,115200n8\",net.ifnames=0,rack {i // 40}")
PY
"$bin" hosts import "$work/hosts.csv" --init "${common[@]}" >/dev/null
token=$("$bin" token create --name bench "${common[@]}")
http_port=$(free_port tcp)
# With the environment packaging/provisioner.service gives it (its GC setting), as bench/scale.sh.
unit_env=$(sed -n 's/^Environment=\(DOTNET_GC[A-Za-z0-9_]*=.*\)$/\1/p' packaging/provisioner.service)
env $unit_env taskset -c 0 "$bin" serve "${common[@]}" --boot-dir "$work/boot" --http "http://127.0.0.1:$http_port" \
  --tftp "127.0.0.1:$(free_port udp)" >"$work/appliance.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$http_port/healthz" >/dev/null && break; sleep 0.2; done

# Builds for every host, and the URL lists wrk walks: each host's config and each host's preseed.
python3 - "$http_port" "$token" "$work" <<'PY'
import http.client, json, sys
port, token, work = int(sys.argv[1]), sys.argv[2], sys.argv[3]
c = http.client.HTTPConnection("127.0.0.1", port)
auth = {"Authorization": f"Bearer {token}"}
def call(method, path, headers={}):
    c.request(method, path, headers=headers); r = c.getresponse(); body = r.read()
    assert r.status == 200, (path, r.status, body[:200]); return body
hosts, page = [], "/api/hosts?limit=1000"
while page:  # the list comes in pages; Link: <next>; rel="next" until the last
    c.request("GET", page, headers=auth); r = c.getresponse(); hosts += json.loads(r.read())
    page = next((l.split(";")[0].strip()[1:-1] for l in (r.headers.get("Link") or "").split(",") if 'rel="next"' in l), None)
for h in hosts:
    call("POST", f"/api/hosts/{h['id']}/build", auth)
configs = ["/pxelinux.cfg/01-" + h["mac"].replace(":", "-") for h in hosts]
with open(f"{work}/configs.txt", "w") as f: f.write("\n".join(configs) + "\n")
PY

# Every host fetches its URL once first (its first fetch is a build step, written to the
# timeline), then wrk measures the repeats, which the appliance does not record again within a
# minute: a rack re-fetching during boot loops and retries.
first_fetch() { # list state
  python3 - "$http_port" "$token" "$work" "$1" "$2" <<'PY'
import http.client, json, sys, time
port, token, work, kind, state = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
c = http.client.HTTPConnection("127.0.0.1", port)
def get(path, headers={}):
    c.request("GET", path, headers=headers); r = c.getresponse(); body = r.read()
    assert r.status == 200, (path, r.status, body[:200]); return body
paths = open(f"{work}/{kind}.txt").read().split()
bodies = [get(p) for p in paths]
if kind == "configs":
    urls = [next(w for w in b.decode().split() if w.startswith("url="))[4:] for b in bodies]
    with open(f"{work}/preseeds.txt", "w") as f: f.write("\n".join(u.split(str(port), 1)[1] for u in urls) + "\n")
open(f"{work}/sample-{kind}", "wb").write(bodies[0])
# Wait until every step is written, so the measured runs see a settled inventory.
for _ in range(600):
    c.request("GET", f"/api/hosts?state={state}&limit=1", headers={"Authorization": f"Bearer {token}"}); r = c.getresponse(); r.read()
    if int(r.headers["X-Total-Count"]) == len(paths): break
    time.sleep(0.5)
else:
    sys.exit(f"hosts did not all reach {state}")
PY
}

# wrk walks a URL list at random (one URL for nginx): bench/walk.lua; prints "requests/s p99-ms errors requests".
run() { # url [list]
  taskset -c 1 wrk -t2 -c32 -d"${seconds}s" --latency -s bench/walk.lua "$1" ${2:+-- "$2"} | awk '/^RESULT/ { print $2, $4, $5, $6 }'
}
# Each kind is measured right after its first fetches (after 5 s of warm-up: on the one core the
# JIT is still compiling the path's hot code in its first seconds of load; connection pools), so
# every repeat falls within the minute in which it is not recorded again. Measuring
# both kinds after both first fetches put the configs' run past that minute for the hosts fetched
# first (10,000 first fetches of each kind take 20-30 s here), and it then measured timeline writes.
measure() { # list -> "requests/s p99 errors requests"
  local saved=$seconds
  seconds=5; run "http://127.0.0.1:$http_port" "$work/$1.txt" >/dev/null
  seconds=$saved; run "http://127.0.0.1:$http_port" "$work/$1.txt"
}
first_fetch configs booting
read -r a_cfg a_cfg_p99 a_cfg_err a_cfg_n < <(measure configs)
first_fetch preseeds installing
read -r a_pre a_pre_p99 a_pre_err a_pre_n < <(measure preseeds)

# nginx: the same bytes as static files, one worker on the same core.
mkdir -p "$work/www"
cp "$work/sample-configs" "$work/www/config"
cp "$work/sample-preseeds" "$work/www/preseed"
nginx_port=$(free_port tcp)
nginx_config "  access_log off;
  default_type text/plain;
  server { listen 127.0.0.1:$nginx_port; root $work/www; }"
taskset -c 0 nginx -c "$work/nginx.conf" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nginx_port/config" >/dev/null && break; sleep 0.1; done
read -r n_pre n_pre_p99 n_pre_err _ < <(run "http://127.0.0.1:$nginx_port/preseed")
read -r n_cfg n_cfg_p99 n_cfg_err _ < <(run "http://127.0.0.1:$nginx_port/config")
rss=$(awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/${pids[0]}/status")
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }

echo "$(date -u +%F) · $hosts hosts · wrk -t2 -c32 -d${seconds}s, random host per request · servers on CPU 0 (appliance environment: ${unit_env:-none}), wrk on CPU 1"
echo
echo "| measurement | appliance | nginx (static file, same bytes) | appliance / nginx |"
echo "|---|---|---|---|"
echo "| preseed ($(stat -c %s "$work/sample-preseeds") B): requests/s | $a_pre | $n_pre | $(pct "$a_pre" "$n_pre") |"
echo "| preseed: p99 latency (ms) | $a_pre_p99 | $n_pre_p99 | |"
echo "| pxelinux.cfg/01-<mac> ($(stat -c %s "$work/sample-configs") B): requests/s | $a_cfg | $n_cfg | $(pct "$a_cfg" "$n_cfg") |"
echo "| pxelinux config: p99 latency (ms) | $a_cfg_p99 | $n_cfg_p99 | |"
echo "| errors (non-2xx, socket) | $((a_pre_err + a_cfg_err)) of $((a_pre_n + a_cfg_n)) | $((n_pre_err + n_cfg_err)) | |"
echo "| appliance peak RSS (VmHWM, MiB) | $rss | | |"
