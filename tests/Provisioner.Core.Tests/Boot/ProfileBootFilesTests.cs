using Microsoft.Extensions.Options;
using Provisioner.Core.Boot;
using Provisioner.Core.Templates;
using Provisioner.Core.Tests.Support;

namespace Provisioner.Core.Tests.Boot;

public sealed class ProfileBootFilesTests : IDisposable
{
    private readonly string _bootDir = Directory.CreateTempSubdirectory("provisioner-bootfiles-").FullName;

    public void Dispose() => Directory.Delete(_bootDir, recursive: true);

    [Fact]
    public void PxelinuxFiles_KernelLinuxInitrdAndAppendInitrd_OnceEach()
    {
        const string config = "DEFAULT install\nLABEL install\n  KERNEL debian12/linux\n  INITRD debian12/initrd.gz,firmware.cpio.gz\n"
            + "LABEL other\n  linux other/vmlinuz\n  append initrd=other/initrd.img,firmware.cpio.gz quiet\n";
        Assert.Equal(["debian12/linux", "debian12/initrd.gz", "firmware.cpio.gz", "other/vmlinuz", "other/initrd.img"], ProfileBootFiles.PxelinuxFiles(config));
    }

    [Fact]
    public async Task MissingAsync_ShippedProfiles_NamesEachFileTheBootDirLacks()
    {
        Directory.CreateDirectory(Path.Join(_bootDir, "debian12"));
        await File.WriteAllTextAsync(Path.Join(_bootDir, "debian12", "linux"), "kernel");
        var templates = new TemplateStore(Options.Create(new TemplateStoreOptions { Directory = TestInventory.ShippedTemplates }), TimeProvider.System);
        var options = new BootFileOptions { BootDir = _bootDir };
        options.DirFallbacks.Clear(); // the boot dir alone (a machine with the netboot package would fill debian12 in)
        var profiles = new ProfileBootFiles(templates, new BootFiles(Options.Create(options)), Options.Create(new PreseedOptions()));

        IReadOnlyList<MissingBootFile> missing = await profiles.MissingAsync();

        Assert.Equal(["debian12 debian12/initrd.gz", "ubuntu2004 ubuntu2004/linux", "ubuntu2004 ubuntu2004/initrd.gz"], missing.Select(m => $"{m.Profile} {m.Path}"));
        Assert.Equal(["profile debian12 lacks debian12/initrd.gz in the boot dir: the host will stop at its boot loader until the file is there"], await profiles.BuildWarningsAsync("debian12"));
        await File.WriteAllTextAsync(Path.Join(_bootDir, "debian12", "initrd.gz"), "initrd");
        Assert.Empty(await profiles.BuildWarningsAsync("debian12"));
    }

    [Fact]
    public async Task MissingAsync_DebianNetbootPackageInstalled_Debian12LacksNothing()
    {
        string netboot = Directory.CreateDirectory(Path.Join(_bootDir, "..", Path.GetFileName(_bootDir) + "-netboot")).FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Join(netboot, "linux"), "kernel");
            await File.WriteAllTextAsync(Path.Join(netboot, "initrd.gz"), "initrd");
            var options = new BootFileOptions { BootDir = _bootDir };
            options.DirFallbacks["debian12"] = netboot;
            var templates = new TemplateStore(Options.Create(new TemplateStoreOptions { Directory = TestInventory.ShippedTemplates }), TimeProvider.System);
            var profiles = new ProfileBootFiles(templates, new BootFiles(Options.Create(options)), Options.Create(new PreseedOptions()));

            Assert.Empty(await profiles.BuildWarningsAsync("debian12"));
            Assert.DoesNotContain(await profiles.MissingAsync(), m => m.Profile == "debian12");
        }
        finally
        {
            Directory.Delete(netboot, recursive: true);
        }
    }
}
