using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;
using Provisioner.Core.Tests.Support;

namespace Provisioner.Core.Tests.Templates;

/// <summary>
/// Golden files: every shipped template rendered for two sample hosts (one with gateway, domain and
/// serial console, one without). Run with PROVISIONER_UPDATE_GOLDEN=1 to rewrite them after a
/// deliberate template change, then review the diff.
/// </summary>
public sealed class ShippedTemplateTests
{
    private const string Token = "TOKEN_abcdefghijklmnopqrstuvwxyz";
    private static readonly BuildUrls Urls = new("http://192.0.2.1:8080", Token) { LogPort = 514 };

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        string[] loaders = ["pxelinux", "grub", "ipxe"];
        foreach (string file in loaders.SelectMany(l => new[] { $"{l}/debian12", $"{l}/ubuntu2004", $"{l}/localboot", $"{l}/image" }).Concat(["preseed/debian12", "preseed/ubuntu2004", "finish/default"]))
        {
            cases.Add(file, "full");
            cases.Add(file, "minimal");
        }
        foreach (string loader in loaders)
        {
            cases.Add($"{loader}/default", "none");
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Render_SampleHost_MatchesGoldenFile(string template, string sample)
    {
        var store = new TemplateStore(Microsoft.Extensions.Options.Options.Create(new TemplateStoreOptions { Directory = TestInventory.ShippedTemplates }), TimeProvider.System);
        var secrets = new PreseedOptions { RootPasswordHash = "$6$salt$hash" };
        // The full sample's site has an admin user who may sudo without a password.
        // and its own mirror, proxy and extra package, under the host's own settings (Full()).
        var admin = new PreseedOptions
        {
            RootPasswordHash = "$6$salt$hash", AdminUser = "ops", AdminSudoWithoutPassword = true, AdminPasswordHash = "$6$salt$admin",
            Defaults = new() { Mirror = "http://mirror.example.org:8080/debian/", Proxy = "http://proxy.example.org:3128/", Packages = "vim", Locale = "de_DE.UTF-8" },
        };
        bool finish = TemplateStore.IsFinish(template);
        bool deploy = template.EndsWith("/image", StringComparison.Ordinal);
        Dictionary<string, object?> model = sample switch
        {
            "full" when deploy => TemplateModel.ForDeploy(Full(), Urls, admin, SampleImage),
            "minimal" when deploy => TemplateModel.ForDeploy(Minimal(), Urls, secrets, SampleImage with { KernelCommandLine = string.Empty }),
            "full" when finish => TemplateModel.ForFinish(Full(), Urls, admin, SiteKeys),
            "minimal" when finish => TemplateModel.ForFinish(Minimal(), Urls, secrets, []),
            "full" => TemplateModel.ForHost(Full(), Urls, admin),
            "minimal" => TemplateModel.ForHost(Minimal(), Urls, secrets),
            _ => TemplateModel.ForServer(new BuildUrls("http://192.0.2.1:8080", null), secrets),
        };

        string rendered = await store.RenderAsync(template + ".liquid", model);

        string golden = Path.Join(GoldenDir(), $"{template.Replace('/', '-')}.{sample}.txt");
        if (Environment.GetEnvironmentVariable("PROVISIONER_UPDATE_GOLDEN") == "1")
        {
            await File.WriteAllTextAsync(golden, rendered);
        }
        Assert.Equal(await File.ReadAllTextAsync(golden), rendered);
    }

    /// <summary>Every shipped preseed, rendered for both sample hosts, parses as Debian's debconf reads it.</summary>
    [Fact]
    public async Task EveryShippedPreseed_SampleHosts_PassDebconfCheckonly()
    {
        var store = new TemplateStore(Microsoft.Extensions.Options.Options.Create(new TemplateStoreOptions { Directory = TestInventory.ShippedTemplates }), TimeProvider.System);
        var site = new PreseedOptions
        {
            RootPasswordHash = "$6$salt$hash", AdminUser = "ops", AdminSudoWithoutPassword = true, AdminPasswordHash = "$6$salt$admin",
            Defaults = new() { Mirror = "https://mirror.example.org/debian/", Proxy = "http://proxy.example.org:3128/", Packages = "vim" },
        };
        var checkedFiles = new List<string>();
        foreach (string profile in store.List())
        {
            foreach (HostRecord host in new[] { Full(), Minimal() })
            {
                host.Profile = profile;
                string preseed = await store.RenderAsync(TemplateStore.PreseedFile(profile), TemplateModel.ForHost(host, Urls, site));
                (int exitCode, string output) = DebconfCheck.Run(preseed);
                Assert.True(exitCode == 0, $"{profile} for {host.Hostname}: {output}");
                checkedFiles.Add($"{profile}/{host.Hostname}");
            }
        }
        Assert.Equal(["debian12/web01", "debian12/db02", "ubuntu2004/web01", "ubuntu2004/db02"], checkedFiles);
    }

    /// <summary>The check above can fail: a line d-i could not parse is refused, by its number.</summary>
    [Fact]
    public void DebconfCheckonly_BrokenLine_Refused()
    {
        (int exitCode, string output) = DebconfCheck.Run("d-i debian-installer/locale string en_US.UTF-8\nd-i netcfg/get_hostname\n");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("parse error on line 2", output, StringComparison.Ordinal);
    }

    /// <summary>One host entry boots the same OS whatever its firmware: every loader's installer line is pxelinux's.</summary>
    [Theory]
    [InlineData("debian12")]
    [InlineData("ubuntu2004")]
    public async Task EveryLoader_SameKernelArguments(string profile)
    {
        var store = new TemplateStore(Microsoft.Extensions.Options.Options.Create(new TemplateStoreOptions { Directory = TestInventory.ShippedTemplates }), TimeProvider.System);
        var model = TemplateModel.ForHost(Full(), Urls, new PreseedOptions());
        string Args(string text, string marker) => text.Split('\n').Single(l => l.TrimStart().StartsWith(marker, StringComparison.Ordinal))
            .Split("auto=true", 2)[1].Trim();

        // pxelinux adds BOOTIF itself (IPAPPEND 2); GRUB and iPXE write it on the line.
        string pxelinuxConfig = await store.RenderAsync($"pxelinux/{profile}.liquid", model);
        Assert.Contains("\n  IPAPPEND 2\n", pxelinuxConfig, StringComparison.Ordinal);
        string pxelinux = Args(pxelinuxConfig, "APPEND");
        Assert.DoesNotContain("BOOTIF", pxelinux, StringComparison.Ordinal);
        foreach ((string loader, string marker) in new[] { ("grub", "linux "), ("ipxe", "kernel ") })
        {
            string line = Args(await store.RenderAsync($"{loader}/{profile}.liquid", model), marker);
            Assert.Contains(" BOOTIF=01-aa-bb-cc-dd-ee-01 ", line, StringComparison.Ordinal);
            Assert.Equal(pxelinux, line.Replace("BOOTIF=01-aa-bb-cc-dd-ee-01 ", string.Empty, StringComparison.Ordinal));
        }
    }

    /// <summary>The image profiles' configs boot the same live system with the same deploy URL whatever the loader.</summary>
    [Fact]
    public async Task ImageConfigs_EveryLoader_SameKernelArguments()
    {
        var store = new TemplateStore(Microsoft.Extensions.Options.Options.Create(new TemplateStoreOptions { Directory = TestInventory.ShippedTemplates }), TimeProvider.System);
        var model = TemplateModel.ForDeploy(Full(), Urls, new PreseedOptions(), SampleImage);
        string Args(string text, string marker) => text.Split('\n').Single(l => l.TrimStart().StartsWith(marker, StringComparison.Ordinal))
            .Split("boot=live", 2)[1].Trim();

        string pxelinuxConfig = await store.RenderAsync("pxelinux/image.liquid", model);
        Assert.Contains("\n  KERNEL images/debian12/20261204T030512Z/vmlinuz\n  INITRD images/debian12/20261204T030512Z/initrd.img\n  IPAPPEND 2\n", pxelinuxConfig, StringComparison.Ordinal);
        string pxelinux = Args(pxelinuxConfig, "APPEND");
        Assert.StartsWith($"fetch=http://192.0.2.1:8080/boot/images/debian12/20261204T030512Z/root.squashfs provisioner.deploy=http://192.0.2.1:8080/build/{Token} quiet", pxelinux, StringComparison.Ordinal);
        foreach ((string loader, string marker) in new[] { ("grub", "linux "), ("ipxe", "kernel ") })
        {
            string line = Args(await store.RenderAsync($"{loader}/image.liquid", model), marker);
            Assert.Contains(" BOOTIF=01-aa-bb-cc-dd-ee-01 ", line, StringComparison.Ordinal);
            Assert.Equal(pxelinux, line.Replace("BOOTIF=01-aa-bb-cc-dd-ee-01 ", string.Empty, StringComparison.Ordinal));
        }
    }

    private static readonly Provisioner.Core.Images.ImageManifest SampleImage = new("debian12", "20261204T030512Z", DateTimeOffset.UnixEpoch, "bookworm", "amd64", "quiet",
        [new("root.squashfs", 258961408, new string('a', 64))], [], 302_000_000);

    [Fact]
    public void List_ShippedProfiles_AreDebian12AndUbuntu2004()
    {
        var store = new TemplateStore(Microsoft.Extensions.Options.Options.Create(new TemplateStoreOptions { Directory = TestInventory.ShippedTemplates }), TimeProvider.System);
        Assert.Equal(["debian12", "ubuntu2004"], store.List());
        Assert.All(store.List(), p => Assert.True(File.Exists(Path.Join(TestInventory.ShippedTemplates, TemplateStore.PreseedFile(p)))));
    }

    /// <summary>The source tree's Golden folder when running from it (so updates land in git), else the copy beside the tests.</summary>
    private static string GoldenDir()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Join(dir, "Provisioner.Core.Tests.csproj")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        return Path.Join(dir ?? AppContext.BaseDirectory, "Templates", "Golden");
    }

    private static readonly string[] SiteKeys =
    [
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl site@example.org",
    ];

    private static HostRecord Full() => new()
    {
        Id = 1, Mac = "aa:bb:cc:dd:ee:01", Hostname = "web01", Domain = "example.org", Ip = "192.0.2.10", PrefixLength = 24,
        Gateway = "192.0.2.1", Dns = ["192.0.2.53", "192.0.2.54"], Profile = "debian12", Console = "ttyS1,115200n8",
        KernelArgs = "net.ifnames=0", State = BuildState.Pending,
        SshKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHvOtAaeUHd6tVwCbXiO9EdrM5qbQmF3ch6q3vUKnqFu web01-only@example.org"],
        Settings = new() { TimeZone = "Europe/Berlin", Keyboard = "fr(latin9)", Disk = "/dev/nvme0n1", Packages = "htop curl", WipeDisks = false },
    };

    private static HostRecord Minimal() => new()
    {
        Id = 2, Mac = "aa:bb:cc:dd:ee:02", Hostname = "db02", Ip = "192.0.2.20", PrefixLength = 26,
        Dns = ["192.0.2.53"], Profile = "ubuntu2004", State = BuildState.Pending,
    };
}
