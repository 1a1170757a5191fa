using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Provisioner.SystemTests.Support;

/// <summary>
/// The real appliance with the shipped templates, a boot dir holding stand-in installer files, a
/// database of the given kind, and an API client carrying a token made by <c>provisioner token create</c>.
/// </summary>
internal sealed class InventoryAppliance : IAsyncDisposable
{
    private readonly TestFiles _files = new();
    private ApplianceProcess? _process;
    private string _stoppedOutput = string.Empty;

    private readonly IReadOnlyList<string> _extra;

    private InventoryAppliance(TestDatabase database, string? templates, IReadOnlyList<string>? extra)
    {
        _extra = extra ?? [];
        Database = database;
        TemplatesDir = templates ?? Templates;
        Cwd = _files.Dir("site");
        Tftp = ApplianceProcess.FreePort(SocketType.Dgram);
        Syslog = ApplianceProcess.FreePort(SocketType.Dgram);
        HttpBase = $"http://127.0.0.1:{ApplianceProcess.FreePort(SocketType.Stream)}";
        Kernel = _files.Create("site/boot/debian12/linux", 300_000);
        _files.Create("site/boot/debian12/initrd.gz", 500_000);
    }

    public TestDatabase Database { get; }

    public string Cwd { get; }

    public int Tftp { get; }

    /// <summary>The syslog receiver's UDP port on 127.0.0.1.</summary>
    public int Syslog { get; }

    public string HttpBase { get; }

    public string Kernel { get; }

    public HttpClient Api { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public HttpClient Anonymous { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string DataDir => Path.Join(Cwd, "data");

    public static string Templates => Path.Join(AppContext.BaseDirectory, "shipped-templates");

    /// <summary>The templates this appliance serves: <see cref="Templates"/> unless the test gave its own.</summary>
    public string TemplatesDir { get; }

    /// <param name="extra">More <c>serve</c> arguments (a <c>--config</c> file, say).</param>
    public static async Task<InventoryAppliance> StartAsync(TestDatabase database, string? templates = null, IReadOnlyList<string>? extra = null)
    {
        var appliance = new InventoryAppliance(database, templates, extra);
        await appliance.RestartAsync();
        ProcessResult token = await appliance.CliAsync("token", "create", "--name", "tests");
        Assert.True(token.ExitCode == 0, token.Output);
        appliance.Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.StandardOutput.Trim());
        appliance.Api.BaseAddress = new Uri(appliance.HttpBase);
        appliance.Anonymous.BaseAddress = new Uri(appliance.HttpBase);
        return appliance;
    }

    /// <summary>Starts (again) the appliance process on the same ports, directories and database.</summary>
    public async Task RestartAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        _process = ApplianceProcess.Start(
            ["serve", "--tftp", $"127.0.0.1:{Tftp}", "--syslog", $"127.0.0.1:{Syslog}", "--http", HttpBase, "--templates", TemplatesDir, "--boot-dir", Path.Join(Cwd, "boot"), .. Database.Arguments(DataDir), .. _extra],
            Cwd);
        await _process.WaitHealthyAsync(HttpBase);
    }

    public Task KillHardAsync() => _process!.KillHardAsync();

    /// <summary>Stops the appliance (SIGTERM, by PID) and returns its exit code, keeping its directories, database and output for a restart.</summary>
    public async Task<int> StopAsync()
    {
        int exitCode = await _process!.TerminateAsync();
        _stoppedOutput = _process.Output;
        await _process.DisposeAsync();
        _process = null;
        return exitCode;
    }

    /// <summary>What the running process printed, or the last stopped one's.</summary>
    public string Output => _process?.Output ?? _stoppedOutput;

    /// <summary>Runs a <c>provisioner</c> command on the same database.</summary>
    public Task<ProcessResult> CliAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(ApplianceProcess.BinaryPath, [.. arguments, "--templates", TemplatesDir, .. Database.Arguments(DataDir)], TimeSpan.FromMinutes(1), Cwd);

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        Api.Dispose();
        Anonymous.Dispose();
        await Database.DisposeAsync();
        _files.Dispose();
    }
}
