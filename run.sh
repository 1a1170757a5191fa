#!/usr/bin/env bash
# Starts the appliance: installs the boot loaders it serves, then runs `provisioner serve`.
# Extra arguments go to serve, e.g. ./run.sh --tftp 0.0.0.0:6969 --http http://127.0.0.1:8080
set -euo pipefail
cd "$(dirname "$0")"
. scripts/apt-ensure.sh

require_dotnet
# pxelinux.0 (pxelinux) and ldlinux.c32 with the other BIOS modules (syslinux-common); for UEFI
# machines GRUB's network image (grub-efi-amd64-bin), syslinux.efi (syslinux-efi) and iPXE (ipxe).
apt_ensure pxelinux syslinux-common grub-efi-amd64-bin syslinux-efi ipxe
# The Debian 12 installer's kernel and initrd (debian12/linux, debian12/initrd.gz when the boot dir lacks them).
apt_ensure debian-installer-12-netboot-amd64
# OS images (provisioner images build, the Images page): mmdebstrap makes the root, mksquashfs packs it.
apt_ensure mmdebstrap squashfs-tools
# Power control of hosts with an IPMI BMC (provisioner hosts bmc/power): ipmitool speaks IPMI over LAN.
apt_ensure ipmitool
# Short GC pauses, as packaging/provisioner.service sets them (the runtime reads this only from the environment).
export DOTNET_GCgen0size=${DOTNET_GCgen0size:-0x400000}
exec dotnet run --project src/Provisioner.Host -c Release -- serve "$@"
