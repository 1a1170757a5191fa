using System.Text.Json;
using Microsoft.Playwright;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Images;

/// <summary>
/// The shipped debian12 image built for real with mmdebstrap and mksquashfs, from the appliance's
/// package mirror, whose only way to the archive is the test's relay (<see cref="ArchiveRelay"/>); the
/// appliance, the CLI and Chromium all run in a namespace with only its loopback. Built twice: the second
/// time (started from the Images page, which follows it live) nothing but index files crosses the relay.
/// A third build that cannot succeed leaves the second version served.
/// </summary>
[Trait("Category", "System")]
public sealed class ImageBuildTests : NamespaceTest
{
    private const string Http = "http://127.0.0.1:8080";
    private static readonly TimeSpan BuildLimit = TimeSpan.FromMinutes(20);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Debian12_BuiltThroughTheMirror_SecondBuildFetchesIndexFilesOnly_AFailedBuildKeepsTheServedVersion()
    {
        string site = Files.Dir("site");
        string images = Files.Dir("images");
        File.Copy(Path.Join(AppContext.BaseDirectory, "shipped-images", "debian12.json"), Path.Join(images, "debian12.json"));
        await using var relay = ArchiveRelay.Start(Path.Join(Files.Dir("relay"), "archive.sock"));
        NetworkNamespace ns = await Lab.CreateNamespaceAsync();
        Lab.Start(ns, site, relay.SocatCommand(3128));
        string[] environment = ["env", "PROVISIONER_Mirror__UpstreamProxy=http://127.0.0.1:3128", $"PROVISIONER_Images__Directory={images}", $"PROVISIONER_Http={Http}"];
        Lab.Start(ns, site, [.. environment, ApplianceProcess.BinaryPath, "serve", "--data-dir", "data", "--boot-dir", "boot", "--templates", InventoryAppliance.Templates,
            "--tftp", "127.0.0.1:6969", "--syslog", "off"]);
        await NamespaceLab.WaitHealthyAsync(ns, Http);

        // First build, from the CLI: packages cross the relay once, into the mirror's cache.
        ProcessResult first = await ProcessRunner.RunAsync("ip", ns.Exec([.. environment, ApplianceProcess.BinaryPath, "images", "build", "debian12", "--data-dir", "data"]), BuildLimit, site);
        Assert.True(first.ExitCode == 0, first.Output + "\n--- build.log:\n" + BuildLog(site));
        Assert.Contains("%] downloading packages", first.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("%] squashfs", first.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(relay.Requests, r => r.Path.Contains("/pool/main/o/openssh/openssh-server_", StringComparison.Ordinal));
        Manifest built = Current(site);
        Assert.Contains(built.Packages, p => p.Name.StartsWith("linux-image-6.", StringComparison.Ordinal));
        Assert.Contains(built.Packages, p => p.Name == "openssh-server");
        Assert.Contains(built.Packages, p => p.Name == "cloud-init");
        Assert.Contains(built.Packages, p => p.Name == "live-boot");
        foreach (string file in new[] { "root.squashfs", "vmlinuz", "initrd.img" })
        {
            ManifestFile described = built.Files.Single(f => f.Name == file);
            string path = Path.Join(site, "data", "images", "debian12", built.Version, file);
            Assert.Equal(described.Size, new FileInfo(path).Length);
            Assert.Equal(described.Sha256, TestFiles.Sha256(path).ToLowerInvariant());
        }
        ProcessResult listing = await ProcessRunner.RunAsync("unsquashfs", ["-l", Path.Join(site, "data", "images", "debian12", built.Version, "root.squashfs")], TimeSpan.FromMinutes(2));
        Assert.Contains("squashfs-root/usr/sbin/sshd\n", listing.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("squashfs-root/usr/bin/cloud-init\n", listing.StandardOutput, StringComparison.Ordinal);
        // The deploy tests, which run after this one, boot this very build rather than build their own.
        await TestImages.DonateAsync(Path.Join(site, "data", "images", "debian12", built.Version));
        ProcessResult served = await ProcessRunner.RunAsync("ip", ns.Exec("sh", "-c", $"curl -sSf {Http}/images/debian12/vmlinuz | sha256sum"), TimeSpan.FromMinutes(1));
        Assert.Equal($"{built.Files.Single(f => f.Name == "vmlinuz").Sha256}  -\n", served.StandardOutput);

        // Second build, from the Images page, which shows it live; only index files cross the relay.
        int before = relay.Requests.Count;
        await using UiBrowser browser = await UiBrowser.LaunchInNamespaceAsync(ns, site);
        IPage page = await browser.NewPageAsync(Http);
        await UiBrowser.SignInAsync(page, "admin", (await File.ReadAllTextAsync(Path.Join(site, "data", "initial-admin-password"))).Trim());
        await page.GotoAsync("/images");
        Assert.Contains(built.Version, await page.InnerTextAsync("#images"), StringComparison.Ordinal);
        await page.ClickAsync("button:has-text('Build debian12')");
        Assert.Contains("Build of debian12 started.", await page.InnerTextAsync("[role=status]"), StringComparison.Ordinal);
        // No reload from here on: the page follows the build by itself.
        await page.Locator("#images progress").WaitForAsync(new LocatorWaitForOptions { Timeout = (float)BuildLimit.TotalMilliseconds });
        await page.Locator("#images .image-build:has-text('succeeded')").WaitForAsync(new LocatorWaitForOptions { Timeout = (float)BuildLimit.TotalMilliseconds });
        Assert.Contains("== squashfs", await page.Locator("#images pre.log").TextContentAsync() ?? string.Empty, StringComparison.Ordinal);
        Manifest second = Current(site);
        Assert.NotEqual(built.Version, second.Version);
        RelayedRequest[] secondBuild = relay.Requests.Skip(before).ToArray();
        Assert.All(secondBuild, r => Assert.True(!r.Path.Contains("/pool/", StringComparison.Ordinal) && !r.Path.Contains("/by-hash/", StringComparison.Ordinal), $"the second build fetched {r.Path} upstream"));
        await UiBrowser.ScreenshotAsync(page, "images");
        // Who asked for each build: the command line's first, the page's second.
        await page.GotoAsync("/audit?action=image.build");
        IReadOnlyList<string> asked = await page.Locator("table.audit tbody tr").AllInnerTextsAsync();
        Assert.Equal(2, asked.Count);
        Assert.Contains("admin", asked[0], StringComparison.Ordinal);
        Assert.Contains("(cli)", asked[1], StringComparison.Ordinal);

        // A build that cannot succeed: the reason, and the second version still served.
        string definition = await File.ReadAllTextAsync(Path.Join(images, "debian12.json"));
        await File.WriteAllTextAsync(Path.Join(images, "debian12.json"), definition.Replace("\"curl\"", "\"no-such-package-here\"", StringComparison.Ordinal));
        ProcessResult broken = await ProcessRunner.RunAsync("ip", ns.Exec([.. environment, ApplianceProcess.BinaryPath, "images", "build", "debian12", "--data-dir", "data"]), BuildLimit, site);
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("mmdebstrap failed", broken.StandardError, StringComparison.Ordinal);
        Assert.Contains("no-such-package-here", broken.StandardError, StringComparison.Ordinal);
        Assert.Equal(second.Version, Current(site).Version);
        Assert.Empty(Directory.GetDirectories(Path.Join(site, "data", "images", "debian12"), ".build-*"));
        ProcessResult list = await ProcessRunner.RunAsync("ip", ns.Exec([.. environment, ApplianceProcess.BinaryPath, "images", "list", "--data-dir", "data"]), TimeSpan.FromMinutes(1), site);
        Assert.Contains($"debian12         {second.Version} (", list.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("failed: mmdebstrap failed", list.StandardOutput, StringComparison.Ordinal);
    }

    private static string BuildLog(string site)
    {
        string log = Path.Join(site, "data", "images", "debian12", "build.log");
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(40)) : "(none)";
    }

    /// <summary>The served version's manifest, as the appliance serves it.</summary>
    private static Manifest Current(string site)
    {
        string dir = Path.Join(site, "data", "images", "debian12");
        string newest = Directory.GetDirectories(dir).Select(Path.GetFileName).Where(d => !d!.StartsWith('.')).Order(StringComparer.Ordinal).Last()!;
        return JsonSerializer.Deserialize<Manifest>(File.ReadAllText(Path.Join(dir, newest, "manifest.json")), Json)!;
    }

    private sealed record Manifest(string Version, List<ManifestFile> Files, List<ManifestPackage> Packages);

    private sealed record ManifestFile(string Name, long Size, string Sha256);

    private sealed record ManifestPackage(string Name, string Version);
}
