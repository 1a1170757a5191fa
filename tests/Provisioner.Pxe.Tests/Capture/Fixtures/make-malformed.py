#!/usr/bin/env python3
"""Writes malformed.pcap: frames cut from, grown from and garbled from the real captures beside it,
plus random bytes. The decoder must turn each down (or read what is whole) without throwing."""
import random, struct, pathlib

here = pathlib.Path(__file__).parent

def frames(name):
    data = (here / name).read_bytes()
    magic, = struct.unpack("<I", data[:4])
    assert magic == 0xA1B2C3D4, "expects a little-endian microsecond pcap"
    offset, out = 24, []
    while offset + 16 <= len(data):
        _, _, caplen, _ = struct.unpack("<IIII", data[offset:offset + 16])
        out.append(data[offset + 16:offset + 16 + caplen])
        offset += 16 + caplen
    return out

rng = random.Random(4)
dhcp, arp = frames("udhcpc-dhcp.pcap"), frames("arp.pcap")
bad = [
    dhcp[0][:100],                        # cut inside the BOOTP header (IP length says more)
    dhcp[0][:42 + 240],                   # header and magic cookie, no options
    dhcp[0] + bytes(rng.randrange(256) for _ in range(8000)),   # oversized: 8 KB of junk after the message
    dhcp[0][:42 + 240] + bytes([12, 200, 65]),                  # hostname option claiming 200 bytes
    arp[0][:20],                          # cut ARP
    arp[0][:14] + bytes([0, 1, 8, 0, 9, 4]) + arp[0][20:],      # ARP with hardware length 9
    bytes(rng.randrange(256) for _ in range(60)),               # garbage, minimum frame
    bytes(rng.randrange(256) for _ in range(1514)),             # garbage, full frame
    b"",                                  # empty
]
with open(here / "malformed.pcap", "wb") as out:
    out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for i, frame in enumerate(bad):
        out.write(struct.pack("<IIII", 1764000000 + i, 0, len(frame), len(frame)) + frame)
print(f"malformed.pcap: {len(bad)} frames")
