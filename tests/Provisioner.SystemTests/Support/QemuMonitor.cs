using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Provisioner.SystemTests.Support;

/// <summary>
/// The buttons of a test VM, through QEMU's machine protocol (QMP) on a Unix socket in the test's
/// directory (reachable from the root namespace: a path socket belongs to no network namespace).
/// <c>stop</c>/<c>cont</c> freeze and thaw the guest's CPUs, so a test can act at a point of the guest's
/// progress however fast or slow this machine is; <c>system_reset</c> is the reset button; <c>quit</c>
/// pulls the plug. The power tests' Redfish service presses them for its BMC.
/// </summary>
internal static class QemuMonitor
{
    /// <summary>QEMU's arguments for a QMP socket at <paramref name="socket"/> that waits for no client.</summary>
    public static string[] Arguments(string socket) => ["-qmp", $"unix:{socket},server=on,wait=off"];

    /// <summary>Runs one QMP command (after the capabilities handshake QMP requires) and returns its answer; an error answer throws.</summary>
    public static async Task<JsonElement> ExecuteAsync(string socket, string command, TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(30));
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(socket), timeout.Token);
        await using var stream = new NetworkStream(client, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await ReadAnswerAsync(reader, "QMP", timeout.Token);
        await SendAsync(stream, reader, socket, "qmp_capabilities", timeout.Token);
        return await SendAsync(stream, reader, socket, command, timeout.Token);
    }

    /// <summary>One command and its answer; an error answer throws.</summary>
    private static async Task<JsonElement> SendAsync(NetworkStream stream, StreamReader reader, string socket, string execute, CancellationToken cancel)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { execute }) + "\n"), cancel);
        JsonElement answer = await ReadAnswerAsync(reader, "return", cancel, "error");
        return answer.TryGetProperty("error", out JsonElement error) ? throw new InvalidOperationException($"QMP {execute} on {socket}: {error}") : answer;
    }

    /// <summary>The next message that has one of <paramref name="keys"/>; events (<c>{"event": …}</c>) in between are skipped.</summary>
    private static async Task<JsonElement> ReadAnswerAsync(StreamReader reader, string key, CancellationToken cancel, string? orKey = null)
    {
        while (await reader.ReadLineAsync(cancel) is string line)
        {
            using JsonDocument message = JsonDocument.Parse(line);
            if (message.RootElement.TryGetProperty(key, out _) || (orKey is not null && message.RootElement.TryGetProperty(orKey, out _)))
            {
                return message.RootElement.Clone();
            }
        }
        throw new InvalidOperationException($"QMP closed before an answer with '{key}'");
    }
}
