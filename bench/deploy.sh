#!/usr/bin/env bash
# Image deploys from power-on to deployed, under TCG on this machine, by stage, read from each host's
# build timeline: firmware and loader until the boot config, the deploy environment (image kernel,
# initrd and root over the network) until the agent is up, the agent until the image is written, the
# reboot until the disk's GRUB loads the kernel (from the serial console: the timeline has no event for
# local boot), first boot until cloud-init reports. Scenarios (default all three):
#   1          one BIOS VM; then the same host built again and reset: the second deploy, with every
#              upstream request the appliance's mirror made for it (first boot installs a package)
#   4          two BIOS and two UEFI VMs at once
#   installer  one BIOS VM with the debian12 installer profile, every timeline event as far as it gets
# Runs the system tests' lab (bench/DeployBench): namespaces it creates, dnsmasq inside them, the test
# image from PROVISIONER_TEST_CACHE (built first if missing), the archive through the tests' relay.
#   bench/deploy.sh [SCENARIO...]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt-ensure.sh
require_dotnet
apt_ensure qemu-system-x86 ipxe-qemu ovmf grub-efi-amd64-bin pxelinux syslinux-common debian-installer-12-netboot-amd64 \
  dnsmasq-base mmdebstrap squashfs-tools socat openssh-client curl iproute2
export PROVISIONER_TEST_CACHE="${PROVISIONER_TEST_CACHE:-/var/cache/provisioner-tests}"
mkdir -p "$PROVISIONER_TEST_CACHE"
dotnet build -c Release bench/DeployBench -v quiet -nologo >/dev/null
echo "bench/deploy.sh $*: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(qemu-system-x86_64 --version | head -n 1), at $(git rev-parse --short HEAD)"
exec bench/DeployBench/bin/Release/net10.0/DeployBench "$@"
