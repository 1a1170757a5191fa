#!/usr/bin/env bash
# Decode rate of the appliance's ARP/DHCP frame decoder over a large capture, beside tshark on the
# same file in the same run. The file repeats the real fixtures (iPXE and udhcpc DHCP, ARP, and the
# malformed frames) to FRAMES frames. Decoder pinned to CPU 0, tshark too. Prints a Markdown table.
#   bench/capture.sh [FRAMES]     default 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt-ensure.sh
. bench/common.sh
require_dotnet
apt_ensure tshark libpcap0.8 python3 util-linux

frames=${1:-1000000}
bench_init capture
fixtures=tests/Provisioner.Pxe.Tests/Capture/Fixtures
python3 - "$frames" "$work/big.pcap" "$fixtures"/ipxe-dhcp.pcap "$fixtures"/udhcpc-dhcp.pcap "$fixtures"/arp.pcap "$fixtures"/malformed.pcap <<'PY'
import struct, sys
want, out, sources = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
records = []
for name in sources:
    data = open(name, "rb").read()
    offset = 24
    while offset + 16 <= len(data):
        caplen = struct.unpack("<I", data[offset + 8:offset + 12])[0]
        records.append(data[offset + 16:offset + 16 + caplen])
        offset += 16 + caplen
with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for i in range(want):
        frame = records[i % len(records)]
        f.write(struct.pack("<IIII", 1764000000 + i // 1000000, i % 1000000, len(frame), len(frame)) + frame)
PY
dotnet build -c Release bench/CaptureDecode -v quiet -nologo >/dev/null
read -r total decoded rate < <(taskset -c 0 bench/CaptureDecode/bin/Release/net10.0/CaptureDecode "$work/big.pcap" 3)
best_tshark=0
for _ in 1 2 3; do
  t0=$(date +%s.%N)
  taskset -c 0 tshark -n -r "$work/big.pcap" -Y "arp or dhcp" -T fields -e eth.src -e arp.src.proto_ipv4 -e dhcp.option.dhcp \
    -e dhcp.hw.mac_addr -e dhcp.option.vendor_class_id -e dhcp.option.client_system_architecture >"$work/tshark.out" 2>/dev/null
  t1=$(date +%s.%N)
  best_tshark=$(awk -v a="$best_tshark" -v n="$total" -v s="$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" 'BEGIN{r=n/s; print (r>a)?r:a}')
done
tshark_lines=$(wc -l <"$work/tshark.out")
echo "$(date -u +%F) · $total frames (fixtures repeated) · CPU 0 · best of 3"
echo
echo "| measurement | appliance FrameDecoder | tshark $(tshark --version 2>/dev/null | head -1 | awk '{print $3}') |"
echo "|---|---|---|"
echo "| frames/s | $rate | $(printf '%.0f' "$best_tshark") |"
echo "| frames decoded as ARP or DHCP | $decoded | $tshark_lines |"
