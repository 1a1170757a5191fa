using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Provisioner.SystemTests.Support;

/// <summary>The real <c>provisioner</c> binary, started as a separate process and stopped by its PID.</summary>
public sealed class ApplianceProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _stdout;
    private readonly StringBuilder _stderr;

    private ApplianceProcess(Process process, StringBuilder stdout, StringBuilder stderr)
    {
        _process = process;
        _stdout = stdout;
        _stderr = stderr;
    }

    /// <summary>The apphost the test project copies from src/Provisioner.Host.</summary>
    public static string BinaryPath => Path.Join(AppContext.BaseDirectory, "provisioner");

    public string Output
    {
        get
        {
            lock (_stdout)
            {
                lock (_stderr)
                {
                    return _stdout.ToString() + _stderr;
                }
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static ApplianceProcess Start(IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string>? environment = null, string[]? prefix = null, string? binary = null)
    {
        // The syslog receiver's default, 0.0.0.0:514, would listen on this machine's real interfaces:
        // a serve started here (the root namespace) gets a free loopback port unless the test chose.
        string[] given = [.. arguments];
        if (given is ["serve", ..] && !given.Contains("--syslog"))
        {
            given = [.. given, "--syslog", $"127.0.0.1:{FreePort(SocketType.Dgram)}"];
        }
        string[] command = [.. prefix ?? [], binary ?? BinaryPath, .. given];
        Process process = ProcessRunner.Start(command[0], command[1..], workingDirectory, environment, out StringBuilder stdout, out StringBuilder stderr);
        return new ApplianceProcess(process, stdout, stderr);
    }

    /// <summary>Waits for <c>/healthz</c> to answer 200 and returns its body.</summary>
    public async Task<string> WaitHealthyAsync(string httpBase)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartLimit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"provisioner exited with {_process.ExitCode}: {Output}");
            }
            try
            {
                using HttpResponseMessage response = await http.GetAsync(new Uri($"{httpBase}/healthz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return await response.Content.ReadAsStringAsync();
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"provisioner was not healthy within {StartLimit}: {Output}");
    }

    /// <summary>SIGKILL by PID, as a power cut or the OOM killer would: no shutdown code runs.</summary>
    public async Task KillHardAsync()
    {
        await ProcessRunner.RunAsync("kill", ["-KILL", $"{_process.Id}"], TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync();
    }

    /// <summary>Waits for the process to exit on its own (a start-up failure) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var limit = new CancellationTokenSource(StartLimit);
        await _process.WaitForExitAsync(limit.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGTERM by PID, as systemd stops a service; waits for the process to end on its own and returns its exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        await ProcessRunner.RunAsync("kill", ["-TERM", $"{_process.Id}"], TimeSpan.FromSeconds(10));
        using var limit = new CancellationTokenSource(StartLimit);
        await _process.WaitForExitAsync(limit.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM by PID first, as systemd would; SIGKILL only if it does not stop in time.
            await ProcessRunner.RunAsync("kill", ["-TERM", $"{_process.Id}"], TimeSpan.FromSeconds(10));
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }

    /// <summary>A loopback port free at the time of asking.</summary>
    public static int FreePort(SocketType type)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, type == SocketType.Dgram ? ProtocolType.Udp : ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
