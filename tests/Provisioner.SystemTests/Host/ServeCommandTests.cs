using System.Net;
using System.Net.Sockets;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Host;

/// <summary><c>provisioner serve</c> as an operator runs it: the real binary in its own process.</summary>
[Trait("Category", "System")]
public sealed class ServeCommandTests : IDisposable
{
    private const int StartupFailed = 78;
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Serve_DefaultDirsInWorkingDir_HealthyAndServesOverTftpAndHttp()
    {
        string cwd = _files.Dir("site");
        int tftp = ApplianceProcess.FreePort(SocketType.Dgram);
        string http = $"http://127.0.0.1:{ApplianceProcess.FreePort(SocketType.Stream)}";
        await using ApplianceProcess appliance = ApplianceProcess.Start(["serve", "--tftp", $"127.0.0.1:{tftp}", "--http", http], cwd);

        string health = await appliance.WaitHealthyAsync(http);

        Assert.Contains($"udp 127.0.0.1:{tftp}", health, StringComparison.Ordinal);
        Assert.Single(appliance.Output.Split('\n'), l => l.Contains("Packet capture is off: no --interface given", StringComparison.Ordinal));
        Assert.True(Directory.Exists(Path.Join(cwd, "data")), "--data-dir default ./data was not created");
        string kernel = _files.Create("site/boot/linux", 100_000);
        string viaTftp = Path.Join(cwd, "linux.tftp");
        await ProcessRunner.RunCheckedAsync("curl", "-sS", "--tftp-blksize", "1468", "-o", viaTftp, $"tftp://127.0.0.1:{tftp}/linux");
        string viaHttp = Path.Join(cwd, "linux.http");
        await ProcessRunner.RunCheckedAsync("curl", "-sSf", "-o", viaHttp, $"{http}/boot/linux");
        Assert.Equal(TestFiles.Sha256(kernel), TestFiles.Sha256(viaTftp));
        Assert.Equal(TestFiles.Sha256(kernel), TestFiles.Sha256(viaHttp));
    }

    [Theory]
    [InlineData("pxelinux.0", "/usr/lib/PXELINUX/pxelinux.0")]
    [InlineData("ldlinux.c32", "/usr/lib/syslinux/modules/bios/ldlinux.c32")]
    [InlineData("/menu.c32", "/usr/lib/syslinux/modules/bios/menu.c32")]
    public async Task Serve_BootLoaderMissingFromBootDir_ServedFromSyslinuxPackages(string requested, string packaged)
    {
        string cwd = _files.Dir("site");
        int tftp = ApplianceProcess.FreePort(SocketType.Dgram);
        string http = $"http://127.0.0.1:{ApplianceProcess.FreePort(SocketType.Stream)}";
        await using ApplianceProcess appliance = ApplianceProcess.Start(["serve", "--tftp", $"127.0.0.1:{tftp}", "--http", http], cwd);
        await appliance.WaitHealthyAsync(http);
        string local = Path.Join(cwd, "got");

        await ProcessRunner.RunCheckedAsync("busybox", "tftp", "-g", "-r", requested, "-l", local, "-b", "1408", "127.0.0.1", $"{tftp}");

        Assert.Equal(TestFiles.Sha256(packaged), TestFiles.Sha256(local));
    }

    /// <summary>The Debian 12 installer needs no hand copying: its kernel and initrd come from debian-installer-12-netboot-amd64 (test.sh and run.sh install it).</summary>
    [Theory]
    [InlineData("debian12/linux", "linux")]
    [InlineData("/debian12/initrd.gz", "initrd.gz")]
    public async Task Serve_InstallerKernelMissingFromBootDir_ServedFromTheNetbootPackage(string requested, string file)
    {
        string packaged = Path.Join("/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64", file);
        string cwd = _files.Dir("site");
        int tftp = ApplianceProcess.FreePort(SocketType.Dgram);
        string http = $"http://127.0.0.1:{ApplianceProcess.FreePort(SocketType.Stream)}";
        await using ApplianceProcess appliance = ApplianceProcess.Start(["serve", "--tftp", $"127.0.0.1:{tftp}", "--http", http], cwd);
        await appliance.WaitHealthyAsync(http);
        string viaTftp = Path.Join(cwd, "got.tftp");
        string viaHttp = Path.Join(cwd, "got.http");

        await ProcessRunner.RunCheckedAsync("curl", "-sS", "--tftp-blksize", "1468", "-o", viaTftp, $"tftp://127.0.0.1:{tftp}/{requested.TrimStart('/')}");
        await ProcessRunner.RunCheckedAsync("curl", "-sSf", "-o", viaHttp, $"{http}/boot/{requested.TrimStart('/')}");

        Assert.Equal(TestFiles.Sha256(packaged), TestFiles.Sha256(viaTftp));
        Assert.Equal(TestFiles.Sha256(packaged), TestFiles.Sha256(viaHttp));
    }

    [Fact]
    public async Task Serve_SettingsFromAppsettingsEnvironmentAndCommandLine_LaterSourceWins()
    {
        string cwd = _files.Dir("site");
        int tftp = ApplianceProcess.FreePort(SocketType.Dgram);
        string http = $"http://127.0.0.1:{ApplianceProcess.FreePort(SocketType.Stream)}";
        string cliBoot = _files.Dir("cli-boot");
        File.WriteAllText(Path.Join(cliBoot, "which"), "command line");
        File.WriteAllText(Path.Join(_files.Dir("env-boot"), "which"), "environment");
        File.WriteAllText(Path.Join(cwd, "appsettings.json"), $$"""{ "Tftp": { "Endpoint": "127.0.0.1:{{tftp}}" }, "DataDir": "./json-data" }""");
        var environment = new Dictionary<string, string>
        {
            ["PROVISIONER_HTTP"] = http,
            ["PROVISIONER_BOOTDIR"] = Path.Join(_files.Root, "env-boot"),
        };
        await using ApplianceProcess appliance = ApplianceProcess.Start(["serve", "--boot-dir", cliBoot], cwd, environment);

        string health = await appliance.WaitHealthyAsync(http);

        Assert.Contains($"udp 127.0.0.1:{tftp}", health, StringComparison.Ordinal);
        Assert.Single(appliance.Output.Split('\n'), l => l.Contains("Packet capture is off: no --interface given", StringComparison.Ordinal));
        Assert.True(Directory.Exists(Path.Join(cwd, "json-data")));
        ProcessResult fetched = await ProcessRunner.RunCheckedAsync("curl", "-sSf", $"{http}/boot/which");
        Assert.Equal("command line", fetched.StandardOutput.TrimEnd());
    }

    [Fact]
    public async Task Serve_TftpPortInUse_OneClearLineAndExit()
    {
        using var occupant = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        occupant.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)occupant.LocalEndPoint!).Port;
        string http = $"http://127.0.0.1:{ApplianceProcess.FreePort(SocketType.Stream)}";
        await using ApplianceProcess appliance = ApplianceProcess.Start(["serve", "--tftp", $"127.0.0.1:{port}", "--http", http], _files.Dir("site"));

        Assert.Equal(StartupFailed, await appliance.WaitForExitAsync());

        string line = SingleErrorLine(appliance);
        Assert.Contains($"TFTP cannot listen on udp 127.0.0.1:{port}", line, StringComparison.Ordinal);
        Assert.Contains("already in use", line, StringComparison.Ordinal);
        Assert.Contains("--tftp", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_HttpPortInUse_OneClearLineAndExit()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        int port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        int tftp = ApplianceProcess.FreePort(SocketType.Dgram);
        await using ApplianceProcess appliance = ApplianceProcess.Start(["serve", "--tftp", $"127.0.0.1:{tftp}", "--http", $"http://127.0.0.1:{port}"], _files.Dir("site"));

        Assert.Equal(StartupFailed, await appliance.WaitForExitAsync());

        string line = SingleErrorLine(appliance);
        Assert.Contains("HTTP cannot listen", line, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
        Assert.Contains("--http", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:69", "http://127.0.0.1:8080", "TFTP cannot listen on udp 127.0.0.1:69")]
    [InlineData("127.0.0.1:6969", "http://127.0.0.1:80", "HTTP cannot listen on http://127.0.0.1:80")]
    public async Task Serve_PrivilegedPortWithoutPrivilege_OneClearLineAndExit(string tftp, string http, string expected)
    {
        string line = await StartAsNobodyAndFailAsync(["serve", "--tftp", tftp, "--http", http]);

        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Contains("CAP_NET_BIND_SERVICE", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_CaptureWithoutPrivilege_OneClearLineAndExit()
    {
        string line = await StartAsNobodyAndFailAsync(["serve", "--tftp", "127.0.0.1:6969", "--http", "http://127.0.0.1:8080", "--interface", "lo"]);

        Assert.Contains("capture on 'lo' failed", line, StringComparison.Ordinal);
        Assert.Contains("CAP_NET_RAW", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_CaptureOnMissingInterface_OneClearLineAndExit()
    {
        int tftp = ApplianceProcess.FreePort(SocketType.Dgram);
        await using ApplianceProcess appliance = ApplianceProcess.Start(
            ["serve", "--tftp", $"127.0.0.1:{tftp}", "--http", $"http://127.0.0.1:{ApplianceProcess.FreePort(SocketType.Stream)}", "--interface", "nosuch0"], _files.Dir("site"));

        Assert.Equal(StartupFailed, await appliance.WaitForExitAsync());

        Assert.StartsWith("provisioner: capture: no interface 'nosuch0' (available: ", SingleErrorLine(appliance), StringComparison.Ordinal);
    }

    /// <summary>Runs the real binary as nobody, without capabilities, in a namespace of its own; returns its one error line.</summary>
    private async Task<string> StartAsNobodyAndFailAsync(string[] arguments)
    {
        await using NetworkNamespace ns = await NetworkNamespace.CreateAsync();
        string site = _files.Dir("site");
        File.SetUnixFileMode(_files.Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(site, (UnixFileMode)0x1FF);
        var environment = new Dictionary<string, string> { ["HOME"] = site, ["DOTNET_CLI_HOME"] = site };
        // nobody must be able to read the binary wherever CI cloned the repo (under /root, say).
        string binary = CopyBinaryReadableByAll(Path.Join(_files.Root, "bin"));
        string[] asNobody = ["ip", .. ns.Exec("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--")];
        await using ApplianceProcess appliance = ApplianceProcess.Start(arguments, site, environment, asNobody, binary);

        Assert.Equal(StartupFailed, await appliance.WaitForExitAsync());
        return SingleErrorLine(appliance);
    }

    [Theory]
    [InlineData("--tftp", "nonsense", "TFTP address 'nonsense' is not ADDR:PORT")]
    [InlineData("--http", "localhost:8080", "is not a URL")]
    [InlineData("--syslog", "514", "syslog address '514' is not ADDR:PORT")]
    [InlineData("--tftp", "192.0.2.010:69", "has an octet with a leading zero (010)")] // IPEndPoint.TryParse read it as 192.0.2.8
    [InlineData("--log-format", "xml", "log format 'xml' is not simple, json or systemd")]
    public async Task Serve_MalformedAddress_OneClearLineAndExit(string option, string value, string expected)
    {
        await using ApplianceProcess appliance = ApplianceProcess.Start(["serve", option, value], _files.Dir("site"));

        Assert.Equal(StartupFailed, await appliance.WaitForExitAsync());

        Assert.Contains(expected, SingleErrorLine(appliance), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_BadSettings_OneLineEachAtOnceAndExit()
    {
        string site = _files.Dir("site");
        await File.WriteAllTextAsync(Path.Join(site, "bad.json"), """
            { "Tftp": { "MaxTransfers": 0, "MaxBlockSize": 4 }, "Builds": { "StallTimeout": "00:00:00" },
              "Alerts": { "Webhooks": [ "ftp://example.org/hook" ] }, "ProxyDhcp": { "Unknown": "boot" },
              "Preseed": { "AdminUser": "Ops Team", "AdminPasswordHash": "hunter2", "Defaults": { "TimeZone": "Mars/Olympus", "Disk": "sda" } } }
            """);
        await using ApplianceProcess appliance = ApplianceProcess.Start(["serve", "--config", "bad.json"], site);

        Assert.Equal(StartupFailed, await appliance.WaitForExitAsync());

        Assert.DoesNotContain("   at ", appliance.Output, StringComparison.Ordinal);
        Assert.Equal(
        [
            "provisioner: Alerts:Webhooks:0 is 'ftp://example.org/hook': it must be an http:// or https:// URL",
            "provisioner: Builds:StallTimeout is 00:00:00: it must be longer than 0 (hh:mm:ss)",
            "provisioner: Preseed:AdminPasswordHash is not a crypt(3) hash like $6$salt$hash (mkpasswd -m sha-512), or ! for no password",
            "provisioner: Preseed:AdminUser is 'Ops Team': it must be a user name like ops (lower-case letters, digits, _ and -, at most 32, not starting with a digit or -)",
            "provisioner: Preseed:Defaults:Disk: 'sda' is not a disk device like /dev/sda, /dev/nvme0n1 or /dev/disk/by-id/…",
            "provisioner: Preseed:Defaults:TimeZone: 'Mars/Olympus' is not in the tz database (like Europe/Berlin, America/New_York or Etc/UTC)",
            "provisioner: ProxyDhcp:Unknown is 'boot': it must be ignore or localboot",
            "provisioner: Tftp:MaxBlockSize is 4: it must be from 8 to 65464",
            "provisioner: Tftp:MaxTransfers is 0: it must be 1 or more",
        ], appliance.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Serve_SettingOfTheWrongType_OneClearLineAndExit()
    {
        var environment = new Dictionary<string, string> { ["PROVISIONER_TFTP__TIMEOUT"] = "soon" };
        await using ApplianceProcess appliance = ApplianceProcess.Start(["serve"], _files.Dir("site"), environment);

        Assert.Equal(StartupFailed, await appliance.WaitForExitAsync());

        Assert.Equal("provisioner: Tftp:Timeout is 'soon': it is not a duration (hh:mm:ss)", SingleErrorLine(appliance));
    }

    private static string CopyBinaryReadableByAll(string target)
    {
        const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        const UnixFileMode runnable = readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        foreach (string source in Directory.EnumerateFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories))
        {
            string copy = Path.Join(target, Path.GetRelativePath(AppContext.BaseDirectory, source));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(source, copy);
            File.SetUnixFileMode(copy, source == ApplianceProcess.BinaryPath ? runnable : readable);
        }
        foreach (string directory in Directory.EnumerateDirectories(target, "*", SearchOption.AllDirectories).Append(target))
        {
            File.SetUnixFileMode(directory, runnable);
        }
        return Path.Join(target, Path.GetFileName(ApplianceProcess.BinaryPath));
    }

    private static string SingleErrorLine(ApplianceProcess appliance)
    {
        string[] lines = appliance.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got: {appliance.Output}");
        Assert.DoesNotContain("   at ", appliance.Output, StringComparison.Ordinal);
        Assert.StartsWith("provisioner: ", lines[0], StringComparison.Ordinal);
        return lines[0];
    }
}
