namespace Provisioner.SystemTests.Support;

/// <summary>
/// A provisioning network in two namespaces a test creates (192.0.2.0/24, no route out): the
/// "site" with bridge br0 (192.0.2.1), dnsmasq as the site's DHCP server and taps for QEMU VMs; the
/// "appliance" (192.0.2.2) joined to the bridge by a veth, serving and capturing on its end, eth0.
/// The Debian 12 netboot installer is in the boot dir. Everything stops with the <see cref="NamespaceLab"/>.
/// </summary>
internal sealed class PxeSite
{
    public const string ApplianceIp = "192.0.2.2";
    public const string HttpBase = $"http://{ApplianceIp}:8080";
    private const string Installer = "/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64";
    private readonly NamespaceLab _lab;

    private PxeSite(NamespaceLab lab, string dir, NetworkNamespace site, NetworkNamespace appliance, string token, Func<string> applianceLog)
    {
        _lab = lab;
        Dir = dir;
        Site = site;
        Appliance = appliance;
        Token = token;
        ApplianceLog = applianceLog;
    }

    public string Dir { get; }

    public NetworkNamespace Site { get; }

    public NetworkNamespace Appliance { get; }

    /// <summary>An API token for <see cref="CurlAsync"/>.</summary>
    public string Token { get; }

    /// <summary>The appliance's standard output so far.</summary>
    public Func<string> ApplianceLog { get; }

    /// <summary>
    /// Registers <paramref name="hosts"/> (hostname, MAC, static IP) in build mode with the debian12
    /// profile, wires <paramref name="taps"/> taps, starts the appliance and dnsmasq with <paramref name="dhcpBoot"/>
    /// (its boot-file options: next-server is the appliance).
    /// </summary>
    public static Task<PxeSite> StartAsync(NamespaceLab lab, string dir, int taps, IEnumerable<(string Hostname, string Mac, string Ip)> hosts, params string[] dhcpBoot) =>
        StartAsync(lab, dir, taps, hosts, [], dhcpBoot);

    /// <param name="applianceArguments">More <c>serve</c> arguments, such as <c>--proxy-dhcp</c>.</param>
    /// <param name="dhcpBoot">dnsmasq's boot options; null: no dnsmasq (the appliance is the DHCP server, <see cref="StartServingDhcpAsync"/>).</param>
    /// <param name="hostArguments">
    /// What <c>hosts add</c> gets besides MAC, name, address, DNS and console; default: the debian12
    /// installer profile with the kernel arguments a network without a router needs.
    /// </param>
    public static async Task<PxeSite> StartAsync(NamespaceLab lab, string dir, int taps, IEnumerable<(string Hostname, string Mac, string Ip)> hosts,
        string[] applianceArguments, string[]? dhcpBoot, string[]? hostArguments = null)
    {
        // No installer files in the boot dir: the appliance serves debian12/linux and initrd.gz from the netboot package itself.
        Assert.True(File.Exists(Path.Join(Installer, "initrd.gz")), $"{Installer} is missing: test.sh installs debian-installer-12-netboot-amd64");
        Directory.CreateDirectory(Path.Join(dir, "boot"));
        foreach ((string hostname, string mac, string ip) in hosts)
        {
            // No router here: the installer's first (DHCP) network setup needs these on the kernel line (shared/notes/pxe-facts.md).
            await NamespaceLab.CliAsync(dir, ["hosts", "add", "--mac", mac, "--hostname", $"{hostname}.example.org", "--ip", $"{ip}/24",
                "--dns", "192.0.2.1", "--console", "ttyS0,115200n8", .. hostArguments ?? ["--kernel-args", "netcfg/no_default_route=true netcfg/get_nameservers=192.0.2.1"]]);
            await NamespaceLab.CliAsync(dir, "hosts", "build", hostname);
        }
        string token = (await NamespaceLab.CliAsync(dir, "token", "create")).Trim();
        NetworkNamespace site = await lab.CreateNamespaceAsync();
        NetworkNamespace appliance = await lab.CreateNamespaceAsync();
        await WireAsync(site, appliance, taps);
        Func<string> log = lab.Start(appliance, dir, [ApplianceProcess.BinaryPath, "serve", "--data-dir", "data", "--boot-dir", "boot",
            "--templates", InventoryAppliance.Templates, "--tftp", $"{ApplianceIp}:69", "--http", HttpBase, "--interface", "eth0", .. applianceArguments]);
        var pxe = new PxeSite(lab, dir, site, appliance, token, log);
        await NamespaceLab.WaitHealthyAsync(appliance, HttpBase);
        if (dhcpBoot is null)
        {
            return pxe;
        }
        lab.Start(site, dir, ["dnsmasq", "--keep-in-foreground", "--port=0", "--interface=br0", "--bind-interfaces",
            "--dhcp-range=192.0.2.100,192.0.2.150,255.255.255.0,10m", "--dhcp-option=3", "--dhcp-option=6,192.0.2.1",
            $"--dhcp-leasefile={Path.Join(dir, "leases")}", $"--pid-file={Path.Join(dir, "dnsmasq.pid")}", .. dhcpBoot]);
        return pxe;
    }

    /// <summary>
    /// As <see cref="StartAsync(NamespaceLab, string, int, IEnumerable{ValueTuple{string, string, string}}, string[], string[], string[])"/>
    /// with the appliance as the network's only DHCP server (<c>--dhcp</c>, pool 192.0.2.100–150, DNS 192.0.2.1, no router): no dnsmasq.
    /// </summary>
    public static async Task<PxeSite> StartServingDhcpAsync(NamespaceLab lab, string dir, int taps, IEnumerable<(string Hostname, string Mac, string Ip)> hosts, params string[] applianceArguments)
    {
        await File.WriteAllTextAsync(Path.Join(dir, "appsettings.json"), System.Text.Json.JsonSerializer.Serialize(new
        {
            Dhcp = new
            {
                OtherServerListen = "00:00:01",
                Subnets = new[] { new { Subnet = "192.0.2.0/24", Ranges = new[] { "192.0.2.100-192.0.2.150" }, Dns = new[] { "192.0.2.1" }, LeaseTime = "00:10:00" } },
            },
        }));
        return await StartAsync(lab, dir, taps, hosts, ["--dhcp", .. applianceArguments], null);
    }

    /// <summary>A TCG VM PXE-booting on tap <paramref name="tap"/>: SeaBIOS with its iPXE ROM (e1000), or OVMF with its own PXE (virtio-net).</summary>
    /// <param name="spareMac">
    /// A second network card to put before the booting one (a lower PCI slot, so Linux lists it first),
    /// on a QEMU hub port that leads nowhere and with no boot ROM, so the firmware cannot boot from it:
    /// a server with several cards, where only the boot loader's BOOTIF= tells the installer which one booted.
    /// </param>
    /// <param name="disk">
    /// A disk image for a virtio disk: the firmware then tries the network first and the disk next
    /// (bootindex), as a rack's servers are set up, so the appliance decides each boot: a build, or local boot.
    /// </param>
    /// <param name="extra">More QEMU arguments (firmware settings through <c>-fw_cfg</c>, say).</param>
    public void StartVm(int tap, string mac, bool uefi, string? spareMac = null, int memoryMiB = 1024, string? disk = null, params string[] extra) =>
        _lab.Start(Site, Dir, [.. VmCommand(tap, mac, uefi, spareMac, memoryMiB, disk), .. extra]);

    /// <summary>The QEMU command line <see cref="StartVm"/> runs, for something else to start (a BMC simulator powering the VM on).</summary>
    public string[] VmCommand(int tap, string mac, bool uefi, string? spareMac = null, int memoryMiB = 1024, string? disk = null)
    {
        string serial = Path.Join(Dir, $"serial-{tap}.log");
        string[] firmware = [];
        string nic = $"e1000,netdev=n0,mac={mac}";
        if (uefi)
        {
            string vars = Path.Join(Dir, $"ovmf-vars-{tap}.fd");
            File.Copy("/usr/share/OVMF/OVMF_VARS_4M.fd", vars, overwrite: true);
            firmware = ["-drive", "if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd", "-drive", $"if=pflash,format=raw,file={vars}"];
            // OVMF's own virtio-net driver and PXE, not an iPXE option ROM: the firmware a UEFI server has.
            nic = $"virtio-net-pci,netdev=n0,mac={mac},romfile=";
        }
        string[] boot = disk is null ? ["-boot", "n"]
            : ["-drive", $"file={disk},if=none,id=d0,format=raw", "-device", "virtio-blk-pci,drive=d0,bootindex=2"];
        if (disk is not null)
        {
            nic += ",bootindex=1";
        }
        return ["qemu-system-x86_64", "-accel", "tcg", "-m", memoryMiB.ToString(System.Globalization.CultureInfo.InvariantCulture), "-display", "none", "-monitor", "none",
            "-serial", $"file:{serial}", .. QemuMonitor.Arguments(Qmp(tap)), .. firmware, .. Spare(spareMac), "-netdev", $"tap,id=n0,ifname=tap{tap},script=no,downscript=no", "-device", nic, .. boot];
    }

    /// <summary>Presses a button of the VM on <paramref name="tap"/> (<see cref="QemuMonitor"/>): <c>stop</c>, <c>cont</c>, <c>system_reset</c>.</summary>
    public Task VmAsync(int tap, string command) => QemuMonitor.ExecuteAsync(Qmp(tap), command);

    /// <summary>The QMP socket of the VM on <paramref name="tap"/> (<see cref="QemuMonitor"/>).</summary>
    public string Qmp(int tap) => Path.Join(Dir, $"qmp-{tap}.sock");

    /// <summary>A blank disk of <paramref name="bytes"/> for <see cref="StartVm"/>: a sparse file, taking no space until written.</summary>
    public static string BlankDisk(string dir, string name, long bytes)
    {
        string path = Path.Join(dir, name);
        using (FileStream file = File.Create(path))
        {
            file.SetLength(bytes);
        }
        return path;
    }

    private static string[] Spare(string? mac) =>
        mac is null ? [] : ["-netdev", "hubport,id=spare,hubid=9", "-device", $"e1000,netdev=spare,mac={mac},romfile="];

    /// <summary>curl inside the appliance's namespace, with the API token.</summary>
    public Task<ProcessResult> CurlAsync(string path) =>
        ProcessRunner.RunAsync("ip", Appliance.Exec("curl", "-sSf", "-H", $"Authorization: Bearer {Token}", $"{HttpBase}{path}"), TimeSpan.FromSeconds(10));

    public Task<string> ShowAsync(string hostname) => NamespaceLab.CliAsync(Dir, "hosts", "show", hostname);

    /// <summary>
    /// A <c>provisioner</c> command inside the appliance's namespace, for what must reach the site's
    /// network (a BMC): from the root namespace 192.0.2.0/24 is this machine's real network.
    /// </summary>
    public Task<ProcessResult> ApplianceCliAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("ip", Appliance.Exec([ApplianceProcess.BinaryPath, .. arguments, "--data-dir", "data", "--templates", InventoryAppliance.Templates]), TimeSpan.FromMinutes(2), Dir);

    /// <summary>
    /// Waits for <paramref name="text"/> on the host's timeline; a failure shows where the build got to:
    /// the timeline, the end of each VM's serial console and of the appliance's log.
    /// </summary>
    public async Task WaitForTimelineAsync(string hostname, string text, TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string timeline;
        while (!(timeline = await ShowAsync(hostname)).Contains(text, StringComparison.Ordinal))
        {
            if (clock.Elapsed >= limit)
            {
                string serials = string.Join('\n', Directory.GetFiles(Dir, "serial-*.log").Order(StringComparer.Ordinal)
                    .Select(f => $"--- {Path.GetFileName(f)}, last 3000 characters:\n{Tail(Printable(File.ReadAllText(f)), 3000)}"));
                throw new Xunit.Sdk.XunitException($"no '{text}' on {hostname}'s timeline within {limit}:\n{timeline}\n{serials}\n--- appliance log, end:\n{Tail(ApplianceLog(), 4000)}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(300));
        }
    }

    private static string Tail(string text, int length) => text.Length <= length ? text : text[^length..];

    /// <summary>The installer's screens on serial are escape sequences with few newlines: keep the words.</summary>
    private static string Printable(string text) =>
        System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Replace(text, @"\x1b\[[0-9;?]*[A-Za-z]", " "), @"[^\x20-\x7e\n]+", " ");

    public static void AssertInOrder(string text, params string[] parts)
    {
        int at = 0;
        foreach (string part in parts)
        {
            int found = text.IndexOf(part, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{part}' not found after position {at} in:\n{text}");
            at = found + part.Length;
        }
    }

    private static async Task WireAsync(NetworkNamespace site, NetworkNamespace appliance, int taps)
    {
        List<string[]> steps =
        [
            site.Exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"),
            appliance.Exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"),
            ["-n", site.Name, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0"],
            ["-n", site.Name, "addr", "add", "192.0.2.1/24", "dev", "br0"],
            ["-n", site.Name, "link", "add", "veth0", "type", "veth", "peer", "name", "eth0", "netns", appliance.Name],
            ["-n", site.Name, "link", "set", "veth0", "master", "br0"],
            ["-n", site.Name, "link", "set", "veth0", "up"],
        ];
        for (int i = 0; i < taps; i++)
        {
            steps.Add(["-n", site.Name, "tuntap", "add", "dev", $"tap{i}", "mode", "tap"]);
            steps.Add(["-n", site.Name, "link", "set", $"tap{i}", "master", "br0"]);
            steps.Add(["-n", site.Name, "link", "set", $"tap{i}", "up"]);
        }
        steps.Add(["-n", site.Name, "link", "set", "br0", "up"]);
        steps.Add(["-n", appliance.Name, "addr", "add", $"{ApplianceIp}/24", "dev", "eth0"]);
        steps.Add(["-n", appliance.Name, "link", "set", "eth0", "up"]);
        steps.Add(["-n", appliance.Name, "link", "set", "lo", "up"]);
        foreach (string[] step in steps)
        {
            await ProcessRunner.RunCheckedAsync("ip", step);
        }
    }
}
