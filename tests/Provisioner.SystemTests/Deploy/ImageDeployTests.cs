using Provisioner.SystemTests.Install;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Deploy;

/// <summary>
/// From PXE to a running server reached over SSH, with no hands (see <see cref="PxeSite"/>): a BIOS VM
/// (SeaBIOS, its iPXE ROM, pxelinux) with a blank virtio disk, registered with the image profile
/// image:debian12, boots the image live from the appliance; the image's bootstrap runs the appliance's
/// deploy agent, which writes the image to the disk and reports each step; the VM reboots, the appliance
/// serves local boot, the disk's GRUB boots Debian, cloud-init applies the host's NoCloud data and
/// reports the first boot: deployed. The test then logs in over SSH from the appliance's namespace
/// with a key it generated and registered, at the host's static address.
/// </summary>
[Trait("Category", "System")]
[Collection(VirtualMachines.Name)]
public sealed class ImageDeployTests(Xunit.Abstractions.ITestOutputHelper output) : NamespaceTest
{
    private const string Mac = "52:54:00:12:35:10";
    private const string StaticIp = "192.0.2.10";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(25);

    [Fact]
    public async Task Debian12Image_BiosPxe_DeployedToDisk_BootsFromIt_SshWithTheRegisteredKey()
    {
        string dir = Files.Dir("site");
        string version = await TestImages.InstallAsync(Lab, dir);
        (string publicKey, string privateKey) = await SshKeyFiles.NewKeyPairAsync(dir, "ed25519", 0, "deploy-test");
        string disk = PxeSite.BlankDisk(dir, "disk0.raw", 6L << 30);
        PxeSite site = await PxeSite.StartAsync(Lab, dir, taps: 1, [("deploy01", Mac, StaticIp)], [], [$"--dhcp-boot=pxelinux.0,,{PxeSite.ApplianceIp}"],
            hostArguments: ["--profile", "image:debian12", "--ssh-key", publicKey]);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        site.StartVm(0, Mac, uefi: false, memoryMiB: 2048, disk: disk);

        await site.WaitForTimelineAsync("deploy01", "first boot from disk reported", Limit);
        output.WriteLine($"deployed after {clock.Elapsed}");
        string timeline = await site.ShowAsync("deploy01");
        output.WriteLine(timeline);
        PxeSite.AssertInOrder(timeline,
            "boot config pxelinux.cfg/01-52-54-00-12-35-10 served",
            $"images/debian12/{version}/vmlinuz transferred",
            $"images/debian12/{version}/initrd.img transferred",
            "deploy: deploy environment up (BIOS), plan for deploy01.example.org",
            "deploy: wiping /dev/vda",
            "deploy: writing the image",
            "deploy: installing GRUB (BIOS)",
            "deploy: writing the cloud-init seed",
            $"image written; boots from local disk from now on: image debian12 {version} written to /dev/vda (BIOS)",
            "deployed",
            "first boot from disk reported");

        string said = await SshAsync(site, privateKey, "hostname; ip -4 -o addr show; cat /proc/cmdline; cat /etc/apt/sources.list; cloud-init status --wait --long; grep -E 'WARNING|ERROR|Traceback' /var/log/cloud-init.log | tail -n 30; true");
        output.WriteLine(said);
        Assert.Contains("deploy01\n", said, StringComparison.Ordinal);
        Assert.Contains($"inet {StaticIp}/24", said, StringComparison.Ordinal);
        Assert.Contains("console=ttyS0,115200n8", said, StringComparison.Ordinal);
        Assert.Contains("status: done", said, StringComparison.Ordinal);
        Assert.Contains($"deb {PxeSite.HttpBase}/mirror/debian bookworm main", said, StringComparison.Ordinal);
        Assert.Contains($"deb {PxeSite.HttpBase}/mirror/debian-security bookworm-security main", said, StringComparison.Ordinal);
    }

    /// <summary>ssh from the appliance's namespace as root with the test's key; the host key is new at each deploy.</summary>
    private static async Task<string> SshAsync(PxeSite site, string privateKey, string command)
    {
        ProcessResult result = await ProcessRunner.RunAsync("ip", site.Appliance.Exec("ssh", "-i", privateKey, "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=20", $"root@{StaticIp}", command), TimeSpan.FromMinutes(5));
        Assert.True(result.ExitCode == 0, $"ssh root@{StaticIp} failed ({result.ExitCode}):\n{result.Output}");
        return result.StandardOutput;
    }
}
