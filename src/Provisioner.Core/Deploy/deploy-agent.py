#!/usr/bin/python3
# Provisioner's deploy agent. The appliance serves it per build (/build/TOKEN/agent), so it is always
# the appliance's own version; the image carries only the bootstrap that fetches it when the kernel
# command line names a deploy URL (provisioner.deploy=). It runs in the image's live environment,
# booted from the network into RAM, and writes the same image to the host's disk:
#
#   plan -> check the disk -> wipe -> partition (GPT) -> image checked (the booted copy, else downloaded)
#   -> write -> fstab
#   -> boot loader (GRUB for the firmware it booted with) -> cloud-init NoCloud seed -> finished -> reboot
#
# Every step is reported before it starts; a 404 there means the build was cancelled or replaced, and
# the agent stops before touching anything more. Any failure is reported in the agent's own words and
# the machine stays here (never rebooted into half a system), so an operator can look.
# Needs only what the image has: python3 (cloud-init's), util-linux, gdisk, e2fsprogs, dosfstools,
# squashfs-tools, GRUB for BIOS and UEFI, efibootmgr.
import hashlib
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

TARGET = "/mnt/target"
# Where live-boot keeps the root file system it fetched (fetch=URL): ramfs, named as the URL's last segment.
LIVE_MEDIUM = "/run/live/medium/live"
MIB = 1024 * 1024


class Failure(Exception):
    """A reason to stop the deploy, in words an operator can act on."""


class Cancelled(Exception):
    """The appliance no longer has this build: stop touching the disk."""


def log(text):
    print(f"provisioner-deploy: {text}", flush=True)


def request(url, data=None, timeout=30):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    return urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=timeout)


def report(url, fields, tries=10):
    """POSTs a step or the end to the appliance; retries while it is unreachable. False on 404 (no such build)."""
    for attempt in range(tries):
        try:
            with request(url, fields) as answer:
                answer.read()
                return True
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return False
            log(f"{url}: HTTP {error.code}")
        except OSError as error:
            log(f"{url}: {error}")
        time.sleep(min(2 ** attempt, 15))
    raise Failure(f"the appliance did not take the report at {url}")


def fetch(url, tries=10):
    for attempt in range(tries):
        try:
            with request(url) as answer:
                return answer.read()
        except urllib.error.HTTPError as error:
            if error.code == 404:
                raise Cancelled(f"{url}: {error.read().decode(errors='replace').strip()}")
            last = f"HTTP {error.code}"
        except OSError as error:
            last = str(error)
        log(f"{url}: {last}")
        time.sleep(min(2 ** attempt, 15))
    raise Failure(f"the appliance was unreachable at {url}: {last}")


def run(*command, check=True):
    log("$ " + " ".join(command))
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.stdout.strip():
        print(done.stdout.rstrip(), flush=True)
    if check and done.returncode != 0:
        last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "no output"
        raise Failure(f"{os.path.basename(command[0])} failed (exit {done.returncode}): {last}")
    return done.stdout


def size_text(n):
    return f"{n / (1024 ** 3):.1f} GiB" if n >= 1024 ** 3 else f"{n / MIB:.0f} MiB"


class Deploy:
    def __init__(self, base):
        self.base = base.rstrip("/")
        self.plan = None
        self.uefi = os.path.isdir("/sys/firmware/efi")
        self.mounts = []

    def step(self, name, percent):
        log(f"[{percent:3d}%] {name}")
        if not report(f"{self.base}/step", {"step": name, "percent": str(percent)}):
            raise Cancelled(f"the appliance has no build for this deploy any more (before: {name})")

    def run(self):
        self.plan = json.loads(fetch(f"{self.base}/plan"))
        firmware = "UEFI" if self.uefi else "BIOS"
        self.step(f"deploy environment up ({firmware}), plan for {self.plan['hostname']}", 45)
        disk = self.choose_disk()
        self.step(f"wiping {disk}", 50)
        self.wipe(disk)
        self.step(f"partitioning {disk} (GPT, {firmware})", 55)
        esp, root = self.partition(disk)
        image = self.image()
        self.step("writing the image", 70)
        self.write(image)
        self.step("writing fstab", 80)
        self.fstab(root, esp)
        self.step(f"installing GRUB ({firmware})", 84)
        self.boot_loader(disk)
        self.step("writing the cloud-init seed", 88)
        self.seed()
        self.unmount()
        if not report(f"{self.base}/finished", {"message": f"image {self.plan['image']['name']} {self.plan['image']['version']} written to {disk} ({firmware})"}):
            raise Cancelled("the appliance has no build for this deploy any more (at the end)")
        log("rebooting into the installed system")
        run("systemctl", "reboot", check=False)

    def choose_disk(self):
        """The plan's disk, or the first whole, writable, fixed disk; it must hold the image."""
        wanted = self.plan["disk"].get("path") or ""
        need = int(self.plan["disk"]["min_bytes"])
        found = json.loads(run("lsblk", "--json", "--bytes", "--nodeps", "--output", "PATH,TYPE,SIZE,RO,RM"))["blockdevices"]
        disks = [d for d in found if d["type"] == "disk" and not d["ro"] and not d["rm"] and int(d["size"]) > 0]
        if wanted:
            match = [d for d in disks if d["path"] == os.path.realpath(wanted) or d["path"] == wanted]
            if not match:
                raise Failure(f"disk {wanted} (the plan's) is not here; disks: {', '.join(d['path'] for d in disks) or 'none'}")
            disk = match[0]
        elif disks:
            disk = disks[0]
        else:
            raise Failure("no disk to deploy to: this machine has no fixed, writable disk")
        size = int(disk["size"])
        if size < need:
            raise Failure(f"disk {disk['path']} is {size_text(size)}, smaller than the {size_text(need)} image {self.plan['image']['name']} needs")
        return disk["path"]

    def wipe(self, disk):
        for part in self.partitions(disk):
            run("wipefs", "--all", "--force", part, check=False)
        run("wipefs", "--all", "--force", disk)
        run("sgdisk", "--zap-all", disk)

    @staticmethod
    def partitions(disk):
        out = run("lsblk", "--list", "--noheadings", "--paths", "--output", "NAME,TYPE", disk)
        return [line.split()[0] for line in out.splitlines() if line.split()[1:] == ["part"]]

    def partition(self, disk):
        if self.uefi:
            layout = ["-n1:0:+256M", "-t1:ef00", "-c1:EFI system", "-n2:0:0", "-t2:8300", "-c2:root"]
        else:
            # GRUB's core image goes into the BIOS boot partition: GPT has no gap after the MBR for it.
            layout = ["-n1:0:+1M", "-t1:ef02", "-c1:BIOS boot", "-n2:0:0", "-t2:8300", "-c2:root"]
        run("sgdisk", *layout, disk)
        run("partx", "--update", disk, check=False)
        run("udevadm", "settle")
        parts = self.partitions(disk)
        if len(parts) != 2:
            raise Failure(f"{disk} shows {len(parts)} partitions after partitioning, not 2")
        first, root = parts
        run("mkfs.ext4", "-F", "-q", "-L", "root", root)
        esp = None
        if self.uefi:
            esp = first
            run("mkfs.vfat", "-F", "32", "-n", "ESP", esp)
        os.makedirs(TARGET, exist_ok=True)
        self.mount(root, TARGET)
        return esp, root

    def mount(self, source, where, *options):
        os.makedirs(where, exist_ok=True)
        run("mount", *options, source, where)
        self.mounts.append(where)

    def unmount(self):
        for where in reversed(self.mounts):
            # Recursive for the rbind mounts of /dev, /proc, /sys, /run; lazy only if something still holds one.
            run("umount", "--recursive", where, check=False)
            if os.path.ismount(where):
                run("umount", "--recursive", "--lazy", where, check=False)
        self.mounts = []
        run("sync")

    def image(self):
        """The squashfs to write: the one this environment booted from when it is the plan's (same size and
        sha256; the deploy image is the deploy environment), else downloaded. Either way checked."""
        image = self.plan["image"]
        name = f"{image['name']} {image['version']}"
        booted = os.path.join(LIVE_MEDIUM, os.path.basename(urllib.parse.urlparse(image["url"]).path))
        if os.path.isfile(booted) and os.path.getsize(booted) == int(image["size"]):
            self.step(f"checking image {name} (the copy this environment booted from)", 60)
            if self.sha256(booted) == image["sha256"]:
                return booted
            log(f"{booted} is not the plan's image (sha256 differs): downloading it")
        self.step(f"downloading image {name}", 62)
        return self.download()

    @staticmethod
    def sha256(path):
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            while chunk := f.read(4 * MIB):
                digest.update(chunk)
        return digest.hexdigest()

    def download(self):
        image = self.plan["image"]
        path = os.path.join(TARGET, ".provisioner-image.squashfs")
        digest = hashlib.sha256()
        got = 0
        try:
            with request(image["url"], timeout=60) as answer, open(path, "wb") as out:
                while chunk := answer.read(4 * MIB):
                    out.write(chunk)
                    digest.update(chunk)
                    got += len(chunk)
        except OSError as error:
            raise Failure(f"downloading {image['url']} failed after {size_text(got)}: {error}") from error
        if got != int(image["size"]):
            raise Failure(f"downloaded {got} bytes of {image['url']}, the plan says {image['size']}")
        if digest.hexdigest() != image["sha256"]:
            raise Failure(f"checksum mismatch for {image['url']}: sha256 {digest.hexdigest()}, the plan says {image['sha256']}")
        return path

    def write(self, image):
        run("unsquashfs", "-no-progress", "-force", "-dest", TARGET, image)
        # A download lies on the target disk (the booted copy is the environment's own): it goes.
        if os.path.dirname(os.path.abspath(image)) == os.path.abspath(TARGET):
            os.remove(image)
        kernels = [f for f in os.listdir(os.path.join(TARGET, "boot")) if f.startswith("vmlinuz-")]
        if not os.path.exists(os.path.join(TARGET, "etc/os-release")) or not kernels:
            raise Failure("the written image has no /etc/os-release or no kernel in /boot")

    @staticmethod
    def uuid(device):
        return run("blkid", "--match-tag", "UUID", "--output", "value", device).strip()

    def fstab(self, root, esp):
        self.root_uuid = self.uuid(root)
        lines = ["# Written by Provisioner's deploy agent: file systems by UUID.",
                 f"UUID={self.root_uuid} / ext4 errors=remount-ro 0 1"]
        if esp:
            lines.append(f"UUID={self.uuid(esp)} /boot/efi vfat umask=0077 0 1")
        with open(os.path.join(TARGET, "etc/fstab"), "w") as out:
            out.write("\n".join(lines) + "\n")
        self.esp = esp

    def boot_loader(self, disk):
        for where in ("dev", "proc", "sys", "run"):
            self.mount(f"/{where}", os.path.join(TARGET, where), "--rbind", "--make-rslave")
        grub = self.plan["grub"]
        with open(os.path.join(TARGET, "etc/default/grub"), "w") as out:
            out.write("# Written by Provisioner's deploy agent.\n")
            out.write("GRUB_DEFAULT=0\nGRUB_TIMEOUT=1\nGRUB_DISTRIBUTOR=Debian\n")
            out.write(f"GRUB_CMDLINE_LINUX_DEFAULT=\"{grub['cmdline_default']}\"\n")
            out.write(f"GRUB_CMDLINE_LINUX=\"{grub['cmdline']}\"\n")
            if grub.get("serial"):
                out.write(f"GRUB_TERMINAL=\"console serial\"\nGRUB_SERIAL_COMMAND=\"{grub['serial']}\"\n")
        if self.uefi:
            self.mount(self.esp, os.path.join(TARGET, "boot/efi"))
            before = run("efibootmgr", check=False)
            run("chroot", TARGET, "grub-install", "--target=x86_64-efi", "--efi-directory=/boot/efi", "--bootloader-id=debian", "--recheck")
            self.removable_grub()
            self.network_first(before)
        else:
            run("chroot", TARGET, "grub-install", "--target=i386-pc", "--recheck", disk)
        run("chroot", TARGET, "grub-mkconfig", "-o", "/boot/grub/grub.cfg")

    def removable_grub(self):
        """GRUB at the firmware's default path, EFI/BOOT/BOOTX64.EFI, finding the root file system by its UUID.
        grub-install's image looks for /boot/grub on "the drive it was loaded from", which a network GRUB
        that chainloads it (the appliance's local boot) leaves empty: it would stop at "grub rescue>".
        The appliance's local boot chains to this path first; firmware that lost its boot entries uses it too."""
        early = os.path.join(TARGET, "tmp/provisioner-grub-early.cfg")
        with open(early, "w") as out:
            out.write(f"search.fs_uuid {self.root_uuid} root\nset prefix=($root)/boot/grub\n")
        os.makedirs(os.path.join(TARGET, "boot/efi/EFI/BOOT"), exist_ok=True)
        run("chroot", TARGET, "grub-mkimage", "--format=x86_64-efi", "--output=/boot/efi/EFI/BOOT/BOOTX64.EFI",
            "--config=/tmp/provisioner-grub-early.cfg", "--prefix=/boot/grub", "part_gpt", "part_msdos", "ext2", "search_fs_uuid")
        os.remove(early)

    @staticmethod
    def network_first(before):
        """grub-install puts its entry first; the entry this machine booted from (the network) goes back in
        front, so the appliance keeps deciding: local boot now, a deploy when one is asked for."""
        current = next((l.split(":", 1)[1].strip() for l in before.splitlines() if l.startswith("BootCurrent:")), None)
        after = run("efibootmgr")
        order = next((l.split(":", 1)[1].strip().split(",") for l in after.splitlines() if l.startswith("BootOrder:")), [])
        if current and current in order and order[0] != current:
            run("efibootmgr", "--bootorder", ",".join([current] + [e for e in order if e != current]))

    def interface(self):
        mac = self.plan["mac"].lower()
        for name in sorted(os.listdir("/sys/class/net")):
            try:
                with open(f"/sys/class/net/{name}/address") as f:
                    if f.read().strip().lower() == mac:
                        return name
            except OSError:
                continue
        raise Failure(f"no network interface has the host's MAC {mac}")

    def seed(self):
        seed = os.path.join(TARGET, "var/lib/cloud/seed/nocloud")
        os.makedirs(seed, exist_ok=True)
        nocloud = self.plan["nocloud"].rstrip("/")
        for name, query in (("meta-data", ""), ("user-data", ""), ("network-config", f"?interface={self.interface()}")):
            with open(os.path.join(seed, name), "wb") as out:
                out.write(fetch(f"{nocloud}/{name}{query}"))
        os.makedirs(os.path.join(TARGET, "etc/cloud/cloud.cfg.d"), exist_ok=True)
        with open(os.path.join(TARGET, "etc/cloud/cloud.cfg.d/90-provisioner.cfg"), "w") as out:
            out.write("# Written by Provisioner's deploy agent: the seed it left is the only source.\ndatasource_list: [ NoCloud, None ]\n")


def main():
    if len(sys.argv) != 2:
        print("usage: deploy-agent DEPLOY_URL", file=sys.stderr)
        return 2
    deploy = Deploy(sys.argv[1])
    try:
        deploy.run()
        return 0
    except Cancelled as cancelled:
        log(f"stopped: {cancelled}")
        deploy.unmount()
        return 0
    except Exception as error:  # every failure ends the build in the agent's words
        reason = str(error) if isinstance(error, Failure) else f"{type(error).__name__}: {error}"
        log(f"FAILED: {reason}")
        deploy.unmount()
        try:
            # Keep trying for about as long as the appliance waits before calling the build stalled: when
            # the failure was the appliance being away, its return still gets the agent's own words.
            report(f"{deploy.base}/failed", {"message": reason[:900]}, tries=120)
        except Failure as unreachable:
            log(str(unreachable))
        log("left in the deploy environment; nothing was rebooted")
        return 1


if __name__ == "__main__":
    sys.exit(main())
