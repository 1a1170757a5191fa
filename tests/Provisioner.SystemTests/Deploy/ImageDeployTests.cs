using System.Text.Json;
using Provisioner.SystemTests.Install;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Deploy;

/// <summary>
/// From PXE to a running server reached over SSH, with no hands (see <see cref="PxeSite"/>): VMs with
/// blank virtio disks, registered with the image profile image:debian12, boot the image live from the
/// appliance (a BIOS VM through SeaBIOS, its iPXE ROM and pxelinux; a UEFI VM through OVMF's own PXE and
/// GRUB's network image); the image's bootstrap runs the appliance's deploy agent, which writes the image
/// to the disk and reports each step; the VM reboots, the appliance serves local boot, the disk's GRUB
/// boots Debian, cloud-init applies the host's NoCloud data and reports the first boot: deployed. The
/// test then logs in over SSH from the appliance's namespace with a key it generated and registered, at
/// each host's static address. Beside them a third VM's disk is too small for the image: its build fails
/// in the agent's words, a webhook gets the alert, and nothing answers SSH there. The UEFI host's first
/// build is cancelled once its agent is up; built again and reset, it deploys. Then the BIOS host is
/// built again: the agent wipes its disk and deploys again. All three boot the same image version (<see cref="TestImages"/>).
/// </summary>
[Trait("Category", "System")]
[Collection(VirtualMachines.Name)]
public sealed class ImageDeployTests(Xunit.Abstractions.ITestOutputHelper output) : NamespaceTest
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(25);

    private static readonly (string Hostname, string Mac, string Ip) Bios = ("bios01", "52:54:00:12:35:10", "192.0.2.10");
    private static readonly (string Hostname, string Mac, string Ip) Uefi = ("uefi01", "52:54:00:12:35:20", "192.0.2.20");
    private static readonly (string Hostname, string Mac, string Ip) Small = ("small01", "52:54:00:12:35:30", "192.0.2.30");

    [Fact]
    public async Task Debian12Image_BiosAndUefi_DeployedToDisk_SshWorks_TooSmallDiskFails_RedeployWipesAndDeploysAgain()
    {
        string dir = Files.Dir("site");
        string version = await TestImages.InstallAsync(Lab, dir);
        (string publicKey, string privateKey) = await SshKeyFiles.NewKeyPairAsync(dir, "ed25519", 0, "deploy-test");
        // Alerts go to a webhook: a receiver on a Unix socket, reached from the appliance's namespace through socat on its loopback.
        string socket = Path.Join(dir, "hook.sock");
        await using WebhookReceiver webhook = await WebhookReceiver.StartAsync(socket);
        string config = Path.Join(dir, "alerts.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new { Alerts = new { Webhooks = new[] { "http://127.0.0.1:9000/hook" } } }));
        PxeSite site = await PxeSite.StartAsync(Lab, dir, taps: 3, [Bios, Uefi, Small], ["--config", config],
            ["--dhcp-match=set:efi64,option:client-arch,7", $"--dhcp-boot=tag:efi64,grubnetx64.efi,,{PxeSite.ApplianceIp}", $"--dhcp-boot=tag:!efi64,pxelinux.0,,{PxeSite.ApplianceIp}"],
            hostArguments: ["--profile", "image:debian12", "--ssh-key", publicKey, "--time-zone", "Europe/Berlin"]);
        Lab.Start(site.Appliance, dir, "socat", "TCP-LISTEN:9000,bind=127.0.0.1,fork,reuseaddr", $"UNIX-CONNECT:{socket}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        site.StartVm(0, Bios.Mac, uefi: false, memoryMiB: 2048, disk: PxeSite.BlankDisk(dir, "bios.raw", 6L << 30));
        site.StartVm(1, Uefi.Mac, uefi: true, memoryMiB: 2048, disk: PxeSite.BlankDisk(dir, "uefi.raw", 6L << 30));
        site.StartVm(2, Small.Mac, uefi: false, memoryMiB: 2048, disk: PxeSite.BlankDisk(dir, "small.raw", 512L << 20));

        // Cancelled once its agent is up (the VM frozen from the moment the test sees that until the
        // cancel is in, so however fast this machine is the agent is still deploying): it stops at its
        // next report, touches nothing more and does not reboot. Built again and reset, it deploys from the start.
        await site.WaitForTimelineAsync(Uefi.Hostname, "deploy: deploy environment up (UEFI)", Limit);
        await site.VmAsync(1, "stop");
        await NamespaceLab.CliAsync(dir, "hosts", "cancel", Uefi.Hostname);
        await site.VmAsync(1, "cont");
        await NamespaceLab.WaitForAsync(() => Task.FromResult(StoppedBefore(Serial(dir, 1)) is not null), Limit, "the UEFI host's agent stopping after the cancel");
        string refusedStep = StoppedBefore(Serial(dir, 1))!;
        string cancelled = await Timeline(site, Uefi.Hostname);
        Assert.Contains("build cancelled", cancelled, StringComparison.Ordinal);
        Assert.DoesNotContain($"deploy: {refusedStep}", cancelled, StringComparison.Ordinal);
        Assert.DoesNotContain("image written", cancelled, StringComparison.Ordinal);
        await NamespaceLab.CliAsync(dir, "hosts", "build", Uefi.Hostname);
        await site.VmAsync(1, "system_reset");

        // The disk too small: the agent says so before touching it, the build fails with its words.
        await site.WaitForTimelineAsync(Small.Hostname, "deploy agent reported failure: disk /dev/vda is 512 MiB, smaller than the", Limit);
        Assert.Contains("\"state\": \"failed\"", await site.ShowAsync(Small.Hostname), StringComparison.Ordinal);
        Assert.Contains("left in the deploy environment; nothing was rebooted", Serial(dir, 2), StringComparison.Ordinal);
        JsonElement alert = await webhook.AlertAsync("build.failed", TimeSpan.FromMinutes(1));
        Assert.Equal(Small.Hostname, alert.GetProperty("host").GetProperty("hostname").GetString());
        Assert.StartsWith("disk /dev/vda is 512 MiB, smaller than the", alert.GetProperty("reason").GetString(), StringComparison.Ordinal);
        ProcessResult refused = await SshAsync(site, privateKey, Small.Ip, "true", TimeSpan.FromMinutes(1));
        Assert.NotEqual(0, refused.ExitCode);
        await site.VmAsync(2, "stop"); // done with it: its CPU goes to the others

        await site.WaitForTimelineAsync(Bios.Hostname, "first boot from disk reported", Limit);
        output.WriteLine($"BIOS deployed after {clock.Elapsed}");
        PxeSite.AssertInOrder(await Timeline(site, Bios.Hostname),
            $"boot config pxelinux.cfg/01-52-54-00-12-35-10 served",
            $"images/debian12/{version}/vmlinuz transferred",
            $"images/debian12/{version}/initrd.img transferred",
            $"images/debian12/{version}/root.squashfs transferred",
            "deploy: deploy environment up (BIOS), plan for bios01.example.org",
            "deploy: wiping /dev/vda",
            "deploy: partitioning /dev/vda (GPT, BIOS)",
            $"deploy: checking image debian12 {version} (the copy this environment booted from)",
            "deploy: writing the image",
            "deploy: writing fstab",
            "deploy: installing GRUB (BIOS)",
            "deploy: writing the cloud-init seed",
            $"image written; boots from local disk from now on: image debian12 {version} written to /dev/vda (BIOS)",
            "first boot from disk reported");
        await AssertDeployedAsync(site, privateKey, Bios);

        // Built again while the UEFI host is still on its way: PXE first (the disk stayed second in the
        // boot order), the old system wiped, a new cloud-init instance.
        string before = (await SshAsync(site, privateKey, Bios.Ip, "touch /root/before-redeploy; cat /var/lib/cloud/data/instance-id")).StandardOutput;
        await NamespaceLab.CliAsync(dir, "hosts", "build", Bios.Hostname);
        await SshAsync(site, privateKey, Bios.Ip, "systemctl reboot");

        await site.WaitForTimelineAsync(Uefi.Hostname, "first boot from disk reported", Limit);
        output.WriteLine($"UEFI deployed after {clock.Elapsed}");
        PxeSite.AssertInOrder(await Timeline(site, Uefi.Hostname),
            "PXE DHCP seen, arch x86-64 EFI",
            "grubnetx64.efi transferred",
            "boot config grub/grub.cfg-01-52:54:00:12:35:20 served",
            $"images/debian12/{version}/initrd.img transferred",
            "deploy: deploy environment up (UEFI), plan for uefi01.example.org",
            "deploy: partitioning /dev/vda (GPT, UEFI)",
            "deploy: installing GRUB (UEFI)",
            $"image written; boots from local disk from now on: image debian12 {version} written to /dev/vda (UEFI)",
            "first boot from disk reported");
        await AssertDeployedAsync(site, privateKey, Uefi);
        await site.VmAsync(1, "stop"); // its CPU to the BIOS host's redeploy

        await WaitForCountAsync(site, Bios.Hostname, "first boot from disk reported", 2);
        string after = (await SshAsync(site, privateKey, Bios.Ip, "test ! -e /root/before-redeploy && cat /var/lib/cloud/data/instance-id")).StandardOutput;
        Assert.NotEqual(before, after);
        Assert.NotEqual(string.Empty, after);
        await AssertDeployedAsync(site, privateKey, Bios);
        output.WriteLine($"redeployed after {clock.Elapsed}");
    }

    /// <summary>The host as registered: its name, its static address, the serial console on its kernel line, its time zone, cloud-init done, apt on the appliance's mirror.</summary>
    private async Task AssertDeployedAsync(PxeSite site, string privateKey, (string Hostname, string Mac, string Ip) host)
    {
        ProcessResult result = await SshAsync(site, privateKey, host.Ip,
            "hostname; ip -4 -o addr show; cat /proc/cmdline; cat /etc/timezone; cat /etc/apt/sources.list; cloud-init status --wait --long; grep -E 'WARNING|ERROR|Traceback' /var/log/cloud-init.log | tail -n 30; true");
        string said = result.StandardOutput;
        output.WriteLine($"--- {host.Hostname}:\n{said}");
        Assert.True(result.ExitCode == 0, $"ssh root@{host.Ip} failed ({result.ExitCode}):\n{result.Output}");
        Assert.StartsWith($"{host.Hostname}\n", said, StringComparison.Ordinal);
        Assert.Contains($"inet {host.Ip}/24", said, StringComparison.Ordinal);
        Assert.Contains("console=ttyS0,115200n8", said, StringComparison.Ordinal);
        Assert.Contains("\nEurope/Berlin\n", said, StringComparison.Ordinal);
        Assert.Contains("status: done", said, StringComparison.Ordinal);
        Assert.DoesNotContain("Invalid cloud-config", said, StringComparison.Ordinal);
        Assert.Contains($"deb {PxeSite.HttpBase}/mirror/debian bookworm main", said, StringComparison.Ordinal);
        Assert.Contains($"deb {PxeSite.HttpBase}/mirror/debian-security bookworm-security main", said, StringComparison.Ordinal);
    }

    private async Task<string> Timeline(PxeSite site, string hostname)
    {
        string timeline = await site.ShowAsync(hostname);
        output.WriteLine(timeline);
        return timeline;
    }

    private static async Task WaitForCountAsync(PxeSite site, string hostname, string text, int count)
    {
        await NamespaceLab.WaitForAsync(async () =>
        {
            string timeline = await site.ShowAsync(hostname);
            return timeline.Split(text).Length - 1 >= count || timeline.Contains("\"state\": \"failed\"", StringComparison.Ordinal);
        }, Limit, $"{count}× '{text}' on {hostname}'s timeline");
        Assert.DoesNotContain("\"state\": \"failed\"", await site.ShowAsync(hostname), StringComparison.Ordinal);
    }

    /// <summary>The step the agent did not start because the build was gone, once its whole console line is there; else null.</summary>
    private static string? StoppedBefore(string serial)
    {
        const string Stopped = "provisioner-deploy: stopped: the appliance has no build for this deploy any more (before: ";
        int at = serial.IndexOf(Stopped, StringComparison.Ordinal);
        int end = at < 0 ? -1 : serial.IndexOf('\n', at);
        if (end < 0)
        {
            return null;
        }
        string rest = serial[(at + Stopped.Length)..end].TrimEnd('\r');
        return rest.EndsWith(')') ? rest[..^1] : null; // step names have parentheses of their own: only the last one closes
    }

    private static string Serial(string dir, int tap) => File.ReadAllText(Path.Join(dir, $"serial-{tap}.log"));

    /// <summary>ssh from the appliance's namespace as root with the test's key; the host key is new at each deploy.</summary>
    private static Task<ProcessResult> SshAsync(PxeSite site, string privateKey, string ip, string command, TimeSpan? limit = null) =>
        ProcessRunner.RunAsync("ip", site.Appliance.Exec("ssh", "-i", privateKey, "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=20", $"root@{ip}", command), limit ?? TimeSpan.FromMinutes(5));
}
