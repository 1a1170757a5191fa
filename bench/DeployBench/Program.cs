// bench/deploy.sh's measurements: VMs under TCG deploy the cached test image (the system tests' lab:
// namespaces, dnsmasq, the appliance, QEMU), and each VM's stages are read from its build timeline.
// Scenarios, in the order given: "1" (one BIOS VM, then built again: the second deploy, with the
// upstream bytes the mirror fetched for it), "4" (two BIOS and two UEFI VMs at once), "installer" (one
// BIOS VM with the debian12 installer profile, as far as it gets here). Prints Markdown.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Provisioner.SystemTests.Support;

string[] scenarios = args.Length > 0 ? args : ["1", "4", "installer"];
TimeSpan limit = TimeSpan.FromMinutes(40);
foreach (string scenario in scenarios)
{
    using var files = new TestFiles();
    await using var lab = new NamespaceLab();
    string dir = files.Dir("site");
    string version = await TestImages.InstallAsync(lab, dir);
    (string publicKey, _) = await SshKeyFiles.NewKeyPairAsync(dir, "ed25519", 0, "deploy-bench");
    await using var relay = ArchiveRelay.Start(Path.Join(dir, "archive.sock"));
    string config = Path.Join(dir, "bench.json");
    // Index files asked for again upstream at every use (the default waits 5 minutes), so the second
    // deploy shows the most it can fetch: the index files, nothing from the pool.
    await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new { Mirror = new { UpstreamProxy = "http://127.0.0.1:3128", IndexMaxAge = "00:00:01" } }));
    bool installer = scenario == "installer";
    int count = scenario == "4" ? 4 : 1;
    var vms = Enumerable.Range(0, count).Select(i => (Hostname: $"bench{i}", Mac: $"52:54:00:12:36:{i:x2}", Ip: $"192.0.2.{10 + i}", Uefi: i % 2 == 1)).ToArray();
    // A package for first boot: cloud-init's apt update and install go through the appliance's mirror,
    // so the second deploy shows what the mirror still fetches upstream.
    string[] hostArguments = installer
        ? ["--kernel-args", "netcfg/no_default_route=true netcfg/get_nameservers=192.0.2.1", "--ssh-key", publicKey]
        : ["--profile", "image:debian12", "--ssh-key", publicKey, "--packages", "tree"];
    PxeSite site = await PxeSite.StartAsync(lab, dir, taps: count, vms.Select(v => (v.Hostname, v.Mac, v.Ip)), ["--config", config],
        ["--dhcp-match=set:efi64,option:client-arch,7", $"--dhcp-boot=tag:efi64,grubnetx64.efi,,{PxeSite.ApplianceIp}", $"--dhcp-boot=tag:!efi64,pxelinux.0,,{PxeSite.ApplianceIp}"],
        hostArguments);
    lab.Start(site.Appliance, dir, relay.SocatCommand(3128));

    DateTime powerOn = DateTime.UtcNow;
    for (int i = 0; i < count; i++)
    {
        site.StartVm(i, vms[i].Mac, vms[i].Uefi, memoryMiB: 2048, disk: PxeSite.BlankDisk(dir, $"disk{i}.raw", 6L << 30));
    }
    // The timeline has no event for the local boot that follows the reboot: the serial console says
    // when the disk's GRUB loads its kernel ("Loading Linux", which no network loader prints here),
    // sampled every second.
    KernelStarts[] kernels = [.. Enumerable.Range(0, count).Select(i => new KernelStarts(Path.Join(dir, $"serial-{i}.log")))];
    foreach (KernelStarts k in kernels)
    {
        _ = k.SampleAsync(); // ends when the scenario's directory is gone
    }
    Console.WriteLine($"\n### {(installer ? "installer (debian12 profile), 1 BIOS VM" : $"{count} VM(s) at once, image debian12 {version}")}\n");
    if (installer)
    {
        await InstallerAsync(site, vms[0].Hostname, powerOn);
        continue;
    }
    Console.WriteLine("| VM | firmware + loader → boot config | → deploy environment up | → image written | → disk's GRUB loads the kernel | → reported (deployed) | power-on → deployed |");
    Console.WriteLine("|---|---|---|---|---|---|---|");
    foreach (var vm in vms)
    {
        await site.WaitForTimelineAsync(vm.Hostname, "first boot from disk reported", limit);
    }
    for (int i = 0; i < count; i++)
    {
        Console.WriteLine(Row($"{vms[i].Hostname} ({(vms[i].Uefi ? "UEFI" : "BIOS")})", await EventsAsync(site, vms[i].Hostname, powerOn), powerOn, kernels[i]));
    }
    long firstUpstream = relay.Requests.Sum(r => r.Bytes);
    Console.WriteLine($"\nUpstream (archive) bytes during the first deploy(s): {firstUpstream:N0} in {relay.Requests.Count} requests");
    if (count != 1)
    {
        continue;
    }

    // The second deploy of the same host: built again, reset (the reset button, through QEMU's monitor).
    int before = relay.Requests.Count;
    await NamespaceLab.CliAsync(dir, "hosts", "build", vms[0].Hostname);
    DateTime reset = DateTime.UtcNow;
    await site.VmAsync(0, "system_reset");
    await NamespaceLab.WaitForAsync(async () => (await EventsAsync(site, vms[0].Hostname, reset)).Any(e => e.Message == "first boot from disk reported"), limit, "the second deploy");
    Console.WriteLine("\nSecond deploy of the same host (reset at 0):\n");
    Console.WriteLine("| VM | firmware + loader → boot config | → deploy environment up | → image written | → disk's GRUB loads the kernel | → reported (deployed) | reset → deployed |");
    Console.WriteLine("|---|---|---|---|---|---|---|");
    Console.WriteLine(Row($"{vms[0].Hostname} (BIOS)", await EventsAsync(site, vms[0].Hostname, reset), reset, kernels[0]));
    RelayedRequest[] second = relay.Requests.Skip(before).ToArray();
    Console.WriteLine($"\nUpstream bytes during the second deploy: {second.Sum(r => r.Bytes):N0} in {second.Length} requests:");
    foreach (RelayedRequest r in second)
    {
        Console.WriteLine($"- {r.Method} {r.Path} {r.Bytes:N0} bytes");
    }
}

static async Task<List<(DateTime At, string Message)>> EventsAsync(PxeSite site, string hostname, DateTime since)
{
    using JsonDocument shown = JsonDocument.Parse(await NamespaceLab.CliAsync(site.Dir, "hosts", "show", hostname, "--json"));
    return shown.RootElement.GetProperty("events").EnumerateArray()
        .Select(e => (At: e.GetProperty("at").GetDateTime().ToUniversalTime(), Message: e.GetProperty("message").GetString() ?? ""))
        .Where(e => e.At >= since.AddSeconds(-1)).OrderBy(e => e.At).ToList();
}

static string Row(string name, List<(DateTime At, string Message)> events, DateTime start, KernelStarts kernels)
{
    DateTime? First(Func<string, bool> match, DateTime? after = null) =>
        events.Where(e => match(e.Message) && (after is null || e.At >= after)).Select(e => (DateTime?)e.At).FirstOrDefault();
    DateTime? config = First(m => m.StartsWith("boot config ", StringComparison.Ordinal));
    DateTime? up = First(m => m.StartsWith("deploy: deploy environment up", StringComparison.Ordinal));
    DateTime? written = First(m => m.StartsWith("image written", StringComparison.Ordinal));
    DateTime? local = written is null ? null : kernels.After(written.Value);
    DateTime? reported = First(m => m == "first boot from disk reported", written);
    string Span(DateTime? from, DateTime? to) => from is null || to is null ? "?" : Text(to.Value - from.Value);
    return $"| {name} | {Span(start, config)} | {Span(config, up)} | {Span(up, written)} | {Span(written, local)} | {Span(local, reported)} | {Span(start, reported)} |";
}

static string Text(TimeSpan t) => t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes} min {t.Seconds:00} s" : $"{t.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s";

// The installer path as far as it goes here (the archive as reached here refuses udebs): every event
// until nothing new comes for five minutes or the build ends.
static async Task InstallerAsync(PxeSite site, string hostname, DateTime powerOn)
{
    var quiet = Stopwatch.StartNew();
    int seen = 0;
    List<(DateTime At, string Message)> events = [];
    while (quiet.Elapsed < TimeSpan.FromMinutes(5))
    {
        events = await EventsAsync(site, hostname, powerOn);
        if (events.Count != seen)
        {
            seen = events.Count;
            quiet.Restart();
        }
        // Ended: deployed, or failed (the host's state, not a word in a message: OVMF's size probe is a "transfer failed" on the way).
        using (JsonDocument shown = JsonDocument.Parse(await NamespaceLab.CliAsync(site.Dir, "hosts", "show", hostname, "--json")))
        {
            if (shown.RootElement.GetProperty("host").GetProperty("state").GetString() is "failed" or "deployed")
            {
                break;
            }
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
    }
    Console.WriteLine("| since power-on | event |");
    Console.WriteLine("|---|---|");
    foreach ((DateTime at, string message) in events)
    {
        Console.WriteLine($"| {Text(at - powerOn)} | {message.Replace("|", "\\|", StringComparison.Ordinal)} |");
    }
}

/// <summary>When the disk's GRUB loaded a kernel, on a VM's serial console: the times its count of "Loading Linux" went up.</summary>
internal sealed class KernelStarts(string serial)
{
    private readonly List<DateTime> _starts = [];

    public async Task SampleAsync()
    {
        while (Directory.Exists(Path.GetDirectoryName(serial)))
        {
            int seen = File.Exists(serial) ? File.ReadAllText(serial).Split("Loading Linux ").Length - 1 : 0;
            lock (_starts)
            {
                while (_starts.Count < seen)
                {
                    _starts.Add(DateTime.UtcNow);
                }
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>The first kernel start after <paramref name="at"/>.</summary>
    public DateTime? After(DateTime at)
    {
        lock (_starts)
        {
            return _starts.Where(t => t > at).Select(t => (DateTime?)t).FirstOrDefault();
        }
    }
}
