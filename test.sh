#!/usr/bin/env bash
# Installs what the tests need (idempotent apt-get) and runs every test: unit and system.
# A quick loop without real clients and namespaces: dotnet test --filter "Category!=System"
set -euo pipefail
cd "$(dirname "$0")"
. scripts/apt-ensure.sh
. scripts/postgres-test.sh
. scripts/axe-core.sh

require_dotnet
# Real peers: syslinux boot loaders, TFTP clients (tftp-hpa, atftp, curl, busybox), namespaces (iproute2).
apt_ensure pxelinux syslinux-common tftp-hpa atftp curl busybox iproute2 procps util-linux
# ssh-keygen makes the real keys the SSH key tests read.
apt_ensure openssh-client
# debconf-set-selections --checkonly parses every shipped preseed as d-i would.
apt_ensure debconf
# libpcap: SharpPcap reads the .pcap fixtures of the capture tests with it.
apt_ensure libpcap0.8
# A real PXE client: QEMU's iPXE ROM booting Debian's netboot installer, with dnsmasq for DHCP, all
# inside network namespaces the tests create.
apt_ensure qemu-system-x86 ipxe-qemu debian-installer-12-netboot-amd64 dnsmasq-base
# mmdebstrap makes the real Debian root the finish script (keys, admin user, first-boot unit) is checked on; wget runs the late_command.
# mmdebstrap and squashfs-tools also build OS images (provisioner images build).
apt_ensure mmdebstrap wget squashfs-tools
# socat: a test's relay from a namespace's loopback to a Unix socket the test serves (its webhook receiver).
apt_ensure socat
# UEFI: OVMF firmware, GRUB's and syslinux's EFI network loaders, iPXE to chainload; ISC dhclient
# as the plain DHCP client ProxyDHCP must never answer.
apt_ensure ovmf grub-efi-amd64-bin syslinux-efi ipxe isc-dhcp-client
# The DHCP server tests: systemd-networkd as a DHCP client (run in a namespace, not as a service)
apt_ensure systemd
# Power control: the appliance's IPMI driver is ipmitool; OpenIPMI's ipmi_sim is the BMC it talks to.
apt_ensure ipmitool openipmi
# The user-data of deployed hosts is checked against cloud-init's own schema (a copy from Debian 12's cloud-init).
apt_ensure python3-jsonschema
# /metrics is read by the Prometheus project's own text-format parser.
apt_ensure python3-prometheus-client
# sqlite3: a system test changes the inventory under the running appliance (a table gone) to see /healthz report it
apt_ensure sqlite3
# The inventory tests run on SQLite and on a real PostgreSQL server.
postgres_for_tests
# The web UI tests: Debian's Chromium driven by Playwright, and axe-core for accessibility.
apt_ensure chromium
axe_for_tests

# Built OS images the deploy tests boot, kept between runs (keyed by what they are built from):
# the first run on a machine builds one, later runs reuse it. ssh logs in to the deployed machines.
export PROVISIONER_TEST_CACHE="${PROVISIONER_TEST_CACHE:-/var/cache/provisioner-tests}"
mkdir -p "$PROVISIONER_TEST_CACHE"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Provisioner.sln -c Release "$@" 2>&1 | tee "$log" || status=$?

# One closing line in the plain form CI reads: "N passed, N failed".
awk '/(Passed|Failed)! +- +Failed: /{
       for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit $status
