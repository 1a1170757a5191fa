using System.Security.Cryptography;
using System.Text;
using Provisioner.Core.Deploy;

namespace Provisioner.SystemTests.Support;

/// <summary>
/// The shipped debian12 image for tests that deploy it: built for real once (as <see cref="Images.ImageBuildTests"/>
/// builds it: mmdebstrap through the appliance's mirror and the test's relay, in a namespace) and kept
/// under <c>PROVISIONER_TEST_CACHE</c> (test.sh: /var/cache/provisioner-tests), keyed by the definition and
/// the deploy bootstrap it carries, so later runs on the machine reuse it. Tests get hard links into their
/// own data dir: every VM of a run boots the same version.
/// </summary>
internal static class TestImages
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly TimeSpan BuildLimit = TimeSpan.FromMinutes(25);

    public static string CacheRoot => Environment.GetEnvironmentVariable("PROVISIONER_TEST_CACHE") is { Length: > 0 } dir ? dir : "/var/cache/provisioner-tests";

    private static string Definition => Path.Join(AppContext.BaseDirectory, "shipped-images", "debian12.json");

    /// <summary>What the image depends on: a change to any of them builds a new one.</summary>
    private static string Key => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(Definition) + DeployFiles.Bootstrap + DeployFiles.Unit)))[..16];

    /// <summary>
    /// Puts the debian12 definition into <c>DIR/images</c> and a built version into <c>DIR/data/images/debian12</c>
    /// (the appliance's image store under its data dir); returns the version.
    /// </summary>
    public static async Task<string> InstallAsync(NamespaceLab lab, string dir)
    {
        string cached = await Debian12Async(lab);
        string version = Path.GetFileName(cached);
        Directory.CreateDirectory(Path.Join(dir, "images"));
        File.Copy(Definition, Path.Join(dir, "images", "debian12.json"), overwrite: true);
        string store = Path.Join(dir, "data", "images", "debian12");
        Directory.CreateDirectory(store);
        await LinkOrCopyAsync(cached, Path.Join(store, version));
        return version;
    }

    /// <summary>Hard links (the files are never written again) where the cache and the test share a file system, else a copy.</summary>
    private static async Task LinkOrCopyAsync(string from, string to)
    {
        ProcessResult linked = await ProcessRunner.RunAsync("cp", ["-al", from, to], TimeSpan.FromMinutes(2));
        if (linked.ExitCode != 0)
        {
            if (Directory.Exists(to))
            {
                Directory.Delete(to, recursive: true);
            }
            ProcessResult copied = await ProcessRunner.RunAsync("cp", ["-a", from, to], TimeSpan.FromMinutes(5));
            Assert.True(copied.ExitCode == 0, linked.Output + copied.Output);
        }
    }

    /// <summary>
    /// Keeps a version another test built from the shipped definition (<see cref="Images.ImageBuildTests"/>'
    /// first build, which runs beside the other tests) when the cache has none yet: the deploy tests, which
    /// run after every other test, then boot it instead of building their own.
    /// </summary>
    public static async Task DonateAsync(string version)
    {
        string keyed = Path.Join(CacheRoot, "images", Key);
        await Gate.WaitAsync();
        try
        {
            if (Directory.Exists(keyed))
            {
                return;
            }
            string staged = Path.Join(CacheRoot, "donated-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(staged);
            await LinkOrCopyAsync(version, Path.Join(staged, Path.GetFileName(version)));
            Directory.CreateDirectory(Path.GetDirectoryName(keyed)!);
            Directory.Move(staged, keyed);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>The cached version directory, built first if there is none for <see cref="Key"/>.</summary>
    private static async Task<string> Debian12Async(NamespaceLab lab)
    {
        string keyed = Path.Join(CacheRoot, "images", Key);
        await Gate.WaitAsync();
        try
        {
            if (Directory.Exists(keyed) && Directory.GetDirectories(keyed) is [var version] && File.Exists(Path.Join(version, "manifest.json")))
            {
                return version;
            }
            string site = Path.Join(CacheRoot, "build-" + Guid.NewGuid().ToString("N"));
            try
            {
                string built = await BuildAsync(lab, site);
                Directory.CreateDirectory(Path.GetDirectoryName(keyed)!);
                if (Directory.Exists(keyed))
                {
                    Directory.Delete(keyed, recursive: true);
                }
                string staged = Path.Join(site, "keyed");
                Directory.CreateDirectory(staged);
                Directory.Move(built, Path.Join(staged, Path.GetFileName(built)));
                Directory.Move(staged, keyed);
                return Path.Join(keyed, Path.GetFileName(built));
            }
            finally
            {
                if (Directory.Exists(site))
                {
                    Directory.Delete(site, recursive: true);
                }
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<string> BuildAsync(NamespaceLab lab, string site)
    {
        const string http = "http://127.0.0.1:8080";
        string images = Path.Join(site, "images");
        Directory.CreateDirectory(images);
        File.Copy(Definition, Path.Join(images, "debian12.json"));
        await using var relay = ArchiveRelay.Start(Path.Join(site, "archive.sock"));
        NetworkNamespace ns = await lab.CreateNamespaceAsync();
        lab.Start(ns, site, relay.SocatCommand(3128));
        string[] environment = ["env", "PROVISIONER_Mirror__UpstreamProxy=http://127.0.0.1:3128", $"PROVISIONER_Images__Directory={images}", $"PROVISIONER_Http={http}"];
        (System.Diagnostics.Process appliance, _) = lab.StartProcess(ns, site, [.. environment, ApplianceProcess.BinaryPath, "serve", "--data-dir", "data", "--boot-dir", "boot",
            "--templates", InventoryAppliance.Templates, "--tftp", "127.0.0.1:6969", "--syslog", "off"]);
        await NamespaceLab.WaitHealthyAsync(ns, http);
        ProcessResult build = await ProcessRunner.RunAsync("ip", ns.Exec([.. environment, ApplianceProcess.BinaryPath, "images", "build", "debian12", "--data-dir", "data"]), BuildLimit, site);
        string log = Path.Join(site, "data", "images", "debian12", "build.log");
        Assert.True(build.ExitCode == 0, build.Output + "\n--- build.log:\n" + (File.Exists(log) ? File.ReadAllText(log)[^Math.Min(4000, (int)new FileInfo(log).Length)..] : "none"));
        appliance.Kill(entireProcessTree: true);
        await appliance.WaitForExitAsync();
        return Directory.GetDirectories(Path.Join(site, "data", "images", "debian12")).Single(d => !Path.GetFileName(d).StartsWith('.'));
    }
}
