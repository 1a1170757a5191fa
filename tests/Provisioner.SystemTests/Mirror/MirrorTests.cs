using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Mirror;

/// <summary>
/// The package mirror against the real Debian archive this machine's apt uses, reached only through
/// the test's relay (<see cref="ArchiveRelay"/>: socat in the namespace, an HTTP proxy on a Unix socket
/// in the root namespace). The appliance runs in a namespace with only its loopback, its upstreams read
/// from /etc/apt as on any machine, and <c>Mirror:UpstreamProxy</c> pointing at socat. Clients are curl,
/// in the namespace.
/// </summary>
[Trait("Category", "System")]
public sealed class MirrorTests : NamespaceTest
{
    private const string Http = "http://127.0.0.1:8080";
    private const int RelayPort = 3128;

    [Fact]
    public async Task Twenty_clients_one_download_a_cut_download_refetched_and_cached_files_served_without_the_relay()
    {
        string site = Files.Dir("site");
        await using var relay = ArchiveRelay.Start(Path.Join(Files.Dir("relay"), "archive.sock"));
        NetworkNamespace ns = await Lab.CreateNamespaceAsync();
        Lab.Start(ns, site, relay.SocatCommand(RelayPort));
        Func<string> log = Lab.Start(ns, site, ["env", $"PROVISIONER_Mirror__UpstreamProxy=http://127.0.0.1:{RelayPort}",
            ApplianceProcess.BinaryPath, "serve", "--data-dir", "data", "--boot-dir", "boot", "--templates", InventoryAppliance.Templates,
            "--tftp", "127.0.0.1:6969", "--http", Http, "--syslog", "off"]);
        await NamespaceLab.WaitHealthyAsync(ns, Http);
        Package gcc = await Package.FromAptAsync("gcc-12");
        Package cpp = await Package.FromAptAsync("cpp-12");
        Package hello = await Package.FromAptAsync("hello");
        Assert.InRange(gcc.Size, 5_000_000, 50_000_000);

        // 20 clients at once, nothing cached: one download upstream, and every client gets the file.
        ProcessResult[] twenty = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Sha256Async(ns, gcc.Url)));
        Assert.All(twenty, r => Assert.Equal($"{gcc.Sha256}  -\n", r.StandardOutput));
        Assert.Equal(1, relay.Count(gcc.Filename));
        // The file crossed once: its bytes and one response head.
        Assert.InRange(relay.Requests.Single(r => r.Path.EndsWith(gcc.Filename, StringComparison.Ordinal)).Bytes - gcc.Size, 1, 4096);

        // Cached: HEAD and a range request, no upstream traffic.
        ProcessResult head = await CurlAsync(ns, "-sSI", gcc.Url);
        Assert.Contains($"Content-Length: {gcc.Size}", head.StandardOutput, StringComparison.OrdinalIgnoreCase);
        ProcessResult range = await CurlAsync(ns, "-sS", "-r", "0-7", gcc.Url);
        Assert.Equal("!<arch>\n", range.StandardOutput);
        Assert.Equal(1, relay.Count(gcc.Filename));

        // The relay cuts a download midway: the client is cut off, nothing is cached, the next request fetches again.
        relay.CutAfter[cpp.Filename] = 2_000_000;
        ProcessResult cut = await Sha256Async(ns, cpp.Url);
        Assert.NotEqual($"{cpp.Sha256}  -\n", cut.StandardOutput);
        Assert.False(File.Exists(Path.Join(site, "data", "mirror", "debian", cpp.Filename)));
        Assert.Empty(Directory.GetFiles(Path.Join(site, "data", "mirror", ".partial")));
        ProcessResult again = await Sha256Async(ns, cpp.Url);
        Assert.Equal($"{cpp.Sha256}  -\n", again.StandardOutput);
        Assert.Equal(2, relay.Count(cpp.Filename));
        // Cached once complete on disk (synced, then moved into place), which may be just after the client had its last byte.
        await NamespaceLab.WaitForAsync(() => Task.FromResult(File.Exists(Path.Join(site, "data", "mirror", "debian", cpp.Filename))), TimeSpan.FromSeconds(30), "the refetched file in the cache");

        // Index files: asked for once within Mirror:IndexMaxAge.
        for (int i = 0; i < 3; i++)
        {
            Assert.StartsWith("-----BEGIN PGP SIGNED MESSAGE-----", (await CurlAsync(ns, "-sSf", $"{Http}/mirror/debian/dists/bookworm/InRelease")).StandardOutput, StringComparison.Ordinal);
        }
        Assert.Equal(1, relay.Count("dists/bookworm/InRelease"));

        // The relay gone: what is cached is still served; a miss is a 502 that says why.
        await relay.StopAsync();
        Assert.Equal($"{gcc.Sha256}  -\n", (await Sha256Async(ns, gcc.Url)).StandardOutput);
        Assert.StartsWith("-----BEGIN PGP SIGNED MESSAGE-----", (await CurlAsync(ns, "-sSf", $"{Http}/mirror/debian/dists/bookworm/InRelease")).StandardOutput, StringComparison.Ordinal);
        ProcessResult miss = await CurlAsync(ns, "-sS", "-w", "\n%{http_code}", hello.Url);
        Assert.EndsWith("\n502", miss.StandardOutput.TrimEnd(), StringComparison.Ordinal);
        Assert.True(miss.StandardOutput.Contains("deb.debian.org through proxy http://127.0.0.1:3128", StringComparison.Ordinal), miss.StandardOutput);
        Assert.Contains($"Mirror could not fetch debian/{hello.Filename}", log(), StringComparison.Ordinal);
        string metrics = (await CurlAsync(ns, "-sS", $"{Http}/metrics")).StandardOutput;
        Assert.Contains("provisioner_mirror_requests_total{result=\"failed\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("provisioner_mirror_upstream_errors_total{upstream=\"debian\"}", metrics, StringComparison.Ordinal);
    }

    private static Task<ProcessResult> Sha256Async(NetworkNamespace ns, string url) =>
        ProcessRunner.RunAsync("ip", ns.Exec("sh", "-c", $"curl -sS '{url}' | sha256sum"), TimeSpan.FromMinutes(5));

    private static Task<ProcessResult> CurlAsync(NetworkNamespace ns, params string[] arguments) =>
        ProcessRunner.RunAsync("ip", ns.Exec(["curl", .. arguments]), TimeSpan.FromMinutes(2));

    /// <summary>A package as this machine's apt lists describe it: where it is in the archive, its size and sha256.</summary>
    private sealed record Package(string Filename, long Size, string Sha256)
    {
        public string Url => $"{Http}/mirror/debian/{Filename}";

        public static async Task<Package> FromAptAsync(string name)
        {
            ProcessResult shown = await ProcessRunner.RunAsync("apt-cache", ["show", "--no-all-versions", name], TimeSpan.FromSeconds(30));
            Assert.True(shown.ExitCode == 0, shown.Output);
            string Field(string field) => shown.StandardOutput.Split('\n').First(l => l.StartsWith(field + ": ", StringComparison.Ordinal))[(field.Length + 2)..].Trim();
            return new Package(Field("Filename"), long.Parse(Field("Size"), System.Globalization.CultureInfo.InvariantCulture), Field("SHA256"));
        }
    }
}
