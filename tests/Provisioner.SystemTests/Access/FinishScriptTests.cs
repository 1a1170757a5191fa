using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Access;

/// <summary>
/// What the shipped preseed's late_command leaves in an installed system, checked on a real Debian
/// root: d-i cannot finish here (the archive refuses udebs), so the root comes from Debian's mmdebstrap
/// (minbase with sudo, systemd and wget, from this machine's own apt sources), and the late_command,
/// exactly as the appliance renders it, runs against it (TARGET points its finish script there instead
/// of /target) with this machine's sh and wget calling the real appliance. Then the first-boot report
/// it installed runs in that root and the host becomes deployed.
/// </summary>
[Trait("Category", "System")]
public sealed partial class FinishScriptTests : IAsyncLifetime
{
    private const string Mac = "52:54:00:f1:00:01";
    private readonly TestFiles _files = new();
    private InventoryAppliance _app = null!;

    public async Task InitializeAsync()
    {
        string config = Path.Join(_files.Root, "access.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Preseed = new { AdminUser = "ops", AdminSudoWithoutPassword = true },
        }));
        _app = await InventoryAppliance.StartAsync(TestDatabase.Sqlite(), extra: ["--config", config]);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _files.Dispose();
    }

    [Fact]
    public async Task LateCommand_OnARealDebianRoot_KeysUserSudoFirstBootUnitAndSerialGrub_ThenFirstBootDeploys()
    {
        string root = await DebianRootAsync();
        string siteKey = await SshKeyFiles.NewKeyAsync(_files.Root, "ed25519", 0, "site@example.org");
        string hostKey = await SshKeyFiles.NewKeyAsync(_files.Root, "ecdsa", 256, "own@example.org");
        await File.WriteAllTextAsync(Path.Join(_files.Root, "site.pub"), siteKey);
        Assert.Equal(0, (await _app.CliAsync("keys", "add", Path.Join(_files.Root, "site.pub"))).ExitCode);
        using HttpResponseMessage created = await _app.Api.PostAsJsonAsync("/api/hosts",
            new { mac = Mac, hostname = "fin01", ip = "192.0.2.41/24", console = "ttyS0,115200n8", sshKeys = new[] { hostKey } });
        int id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        (await _app.Api.PostAsync(new Uri($"/api/hosts/{id}/build", UriKind.Relative), null)).EnsureSuccessStatusCode();
        string config = Path.Join(_files.Root, "fin01.cfg");
        ProcessResult tftp = await ProcessRunner.RunAsync("curl", ["-sS", "-o", config, $"tftp://127.0.0.1:{_app.Tftp}/pxelinux.cfg/01-{Mac.Replace(':', '-')}"], TimeSpan.FromSeconds(30));
        Assert.True(tftp.ExitCode == 0, tftp.Output);
        string preseed = await _app.Anonymous.GetStringAsync(new Uri($"{_app.HttpBase}/build/{Token().Match(await File.ReadAllTextAsync(config)).Groups[1].Value}/preseed"));
        string lateCommand = LateCommand().Match(preseed).Groups[1].Value;

        ProcessResult late = await ProcessRunner.RunAsync("sh", ["-c", lateCommand], TimeSpan.FromMinutes(2), environment: new Dictionary<string, string> { ["TARGET"] = root });
        Assert.True(late.ExitCode == 0, late.Output);

        Assert.Equal("installed", await StateAsync(id));
        Assert.Equal([siteKey, hostKey], File.ReadAllLines(Path.Join(root, "root/.ssh/authorized_keys")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Join(root, "root/.ssh/authorized_keys")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Join(root, "root/.ssh")));
        Assert.Matches(@"(?m)^ops:x:\d+:\d+:admin \(provisioner\):/home/ops:/bin/bash$", await File.ReadAllTextAsync(Path.Join(root, "etc/passwd")));
        Assert.Equal([siteKey, hostKey], File.ReadAllLines(Path.Join(root, "home/ops/.ssh/authorized_keys")));
        Assert.Equal("ops ops\n", (await InRootAsync(root, "stat", "-c", "%U %G", "/home/ops/.ssh/authorized_keys")).StandardOutput);
        Assert.Matches(@"^sudo:x:\d+:ops\n$", (await InRootAsync(root, "getent", "group", "sudo")).StandardOutput);
        // sudo's own parser accepts the drop-in, and it says what the site asked for.
        Assert.Equal(0, (await InRootAsync(root, "visudo", "-c", "-f", "/etc/sudoers.d/provisioner-admin")).ExitCode);
        Assert.Equal("ops ALL=(ALL) NOPASSWD:ALL\n", await File.ReadAllTextAsync(Path.Join(root, "etc/sudoers.d/provisioner-admin")));
        Assert.Equal("enabled\n", (await InRootAsync(root, "systemctl", "is-enabled", "provisioner-first-boot.service")).StandardOutput);
        Assert.EndsWith("GRUB_TERMINAL=\"console serial\"\nGRUB_SERIAL_COMMAND=\"serial --unit=0 --speed=115200\"\n", await File.ReadAllTextAsync(Path.Join(root, "etc/default/grub")), StringComparison.Ordinal);

        // The first boot, as far as it can be had without booting: the unit's program, in the root, reports once.
        ProcessResult report = await InRootAsync(root, "/usr/local/lib/provisioner/first-boot-report");
        Assert.True(report.ExitCode == 0, report.Output);
        Assert.True(File.Exists(Path.Join(root, "var/lib/provisioner/first-boot-reported")));
        Assert.Equal("deployed", await StateAsync(id));
    }

    private async Task<string> StateAsync(int id) =>
        (await _app.Api.GetFromJsonAsync<JsonElement>($"/api/hosts/{id}")).GetProperty("state").GetString()!;

    private static Task<ProcessResult> InRootAsync(string root, params string[] command) =>
        ProcessRunner.RunAsync("chroot", [root, .. command], TimeSpan.FromMinutes(1));

    /// <summary>A minimal Debian of this machine's release, from the archives its own apt uses (no archive host is written here).</summary>
    private async Task<string> DebianRootAsync()
    {
        string root = Path.Join(_files.Root, "root");
        string suite = File.ReadAllLines("/etc/os-release").Single(l => l.StartsWith("VERSION_CODENAME=", StringComparison.Ordinal)).Split('=', 2)[1].Trim('"');
        string[] sources = [.. new[] { "/etc/apt/sources.list" }.Where(f => File.Exists(f) && File.ReadAllLines(f).Any(l => l.TrimStart().StartsWith("deb", StringComparison.Ordinal)))
            .Concat(Directory.EnumerateFiles("/etc/apt/sources.list.d").Where(f => f.EndsWith(".list", StringComparison.Ordinal) || f.EndsWith(".sources", StringComparison.Ordinal)).Order(StringComparer.Ordinal))];
        ProcessResult made = await ProcessRunner.RunAsync("mmdebstrap",
            ["--quiet", "--variant=minbase", "--include=sudo,systemd,wget", "--mode=root", suite, root, .. sources], TimeSpan.FromMinutes(10));
        Assert.True(made.ExitCode == 0, made.Output);
        return root;
    }

    [GeneratedRegex("/build/([A-Za-z0-9_-]+)/preseed")]
    private static partial Regex Token();

    [GeneratedRegex("(?m)^d-i preseed/late_command string (.+)$")]
    private static partial Regex LateCommand();
}
