using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Host;

/// <summary>
/// The single-file binary from scripts/publish.sh, run the way packaging/provisioner.service runs
/// it: as an unprivileged user whose only privileges are CAP_NET_BIND_SERVICE and CAP_NET_RAW
/// (ambient, via setpriv), in a namespace of its own, on TFTP's real port 69.
/// </summary>
[Trait("Category", "System")]
public sealed class PublishedBinaryTests : NamespaceTest
{

    [Fact]
    public async Task PublishedSingleFile_AsNobodyWithTwoCapabilities_ServesHealthzAndTftpOnPort69()
    {
        string repo = RepoRoot();
        string output = Path.Join(Files.Root, "published");
        // Built in a directory of its own: the test build's bin and obj are in use.
        ProcessResult published = await ProcessRunner.RunAsync(Path.Join(repo, "scripts", "publish.sh"), [output], TimeSpan.FromMinutes(5), repo,
            new Dictionary<string, string> { ["PUBLISH_ARTIFACTS"] = Path.Join(Files.Root, "build") });
        Assert.True(published.ExitCode == 0, published.Output);
        string binary = Path.Join(output, "provisioner");
        Assert.Equal(["images", "provisioner", "templates"], Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName).Where(n => n != "appsettings.json").Order(StringComparer.Ordinal));

        // Everything the unprivileged user needs to read or write.
        foreach (string dir in new[] { Files.Root, output })
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0x1ED);
        }
        string state = Files.Dir("state");
        File.SetUnixFileMode(state, (UnixFileMode)0x1FF);
        NetworkNamespace ns = await Lab.CreateNamespaceAsync();
        await ProcessRunner.RunCheckedAsync("ip", ["-n", ns.Name, "link", "set", "lo", "up"]);
        // HOME as systemd sets it for the service user: the single file unpacks its native SQLite library under it
        // (the unit's DOTNET_BUNDLE_EXTRACT_BASE_DIR). The unit's other settings (the GC's) as they are.
        string[] unitEnvironment = File.ReadLines(Path.Join(repo, "packaging", "provisioner.service"))
            .Where(l => l.StartsWith("Environment=", StringComparison.Ordinal) && !l.Contains("DOTNET_BUNDLE_EXTRACT_BASE_DIR", StringComparison.Ordinal))
            .Select(l => l["Environment=".Length..]).ToArray();
        Func<string> log = Lab.Start(ns, state, ["env", $"HOME={state}", .. unitEnvironment, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
            "--inh-caps=-all,+net_bind_service,+net_raw", "--ambient-caps=-all,+net_bind_service,+net_raw", "--",
            binary, "serve", "--data-dir", Path.Join(state, "data"), "--boot-dir", Path.Join(state, "boot"), "--templates", Path.Join(output, "templates"),
            "--tftp", "127.0.0.1:69", "--http", "http://127.0.0.1:8080", "--syslog", "127.0.0.1:514"]);

        await NamespaceLab.WaitHealthyAsync(ns, "http://127.0.0.1:8080");
        ProcessResult tftp = await ProcessRunner.RunAsync("ip", ns.Exec("curl", "-sS", "-o", Path.Join(state, "pxelinux.0"), "tftp://127.0.0.1:69/pxelinux.0"), TimeSpan.FromSeconds(30));
        Assert.True(tftp.ExitCode == 0, tftp.Output + log());
        Assert.Equal(TestFiles.Sha256("/usr/lib/PXELINUX/pxelinux.0"), TestFiles.Sha256(Path.Join(state, "pxelinux.0")));
        // It really is the unprivileged user: the state it created is nobody's.
        Assert.Equal("65534", (await ProcessRunner.RunAsync("stat", ["-c", "%u", Path.Join(state, "data", "provisioner.db")], TimeSpan.FromSeconds(10))).StandardOutput.Trim());
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Join(dir.FullName, "Provisioner.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("not run from the repository");
    }
}
