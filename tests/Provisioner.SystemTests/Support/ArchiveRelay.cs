using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Provisioner.Core.Mirror;

namespace Provisioner.SystemTests.Support;

/// <summary>One request that crossed the relay: its URL, the response bytes relayed, and whether the relay cut it.</summary>
internal sealed record RelayedRequest(string Method, Uri Uri, long Bytes, bool Cut)
{
    /// <summary>The path as a file name (<c>%2B</c> read as <c>+</c>).</summary>
    public string Path => Uri.UnescapeDataString(Uri.AbsolutePath);
}

/// <summary>
/// A test's only way from a namespace to the Debian archive: an HTTP proxy on a Unix socket in the root
/// namespace (<c>socat</c> inside the namespace carries a TCP port to it), which sends each request to
/// the archive this machine's apt uses, as apt would, one request per connection, and counts what
/// crosses. Only hosts in <c>/etc/apt</c>'s sources are forwarded: the archive's address is read from
/// there, never written into the project. <see cref="CutAfter"/> cuts a response midway; <see
/// cref="StopAsync"/> takes the relay away.
/// </summary>
internal sealed class ArchiveRelay : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<string> _hosts;
    private readonly Task _accepting;

    private ArchiveRelay(string socketPath)
    {
        SocketPath = socketPath;
        _hosts = AptSources.Read("/etc/apt").Select(s => s.Uri.Authority).ToHashSet(StringComparer.OrdinalIgnoreCase);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        _listener.Listen(64);
        _accepting = AcceptAsync();
    }

    public string SocketPath { get; }

    public ConcurrentQueue<RelayedRequest> Requests { get; } = new();

    /// <summary>When set: a response whose URL ends with the key is cut after that many bytes (once).</summary>
    public ConcurrentDictionary<string, long> CutAfter { get; } = new();

    public static ArchiveRelay Start(string socketPath) => new(socketPath);

    /// <summary>The socat command line, run inside a namespace, that listens on <paramref name="port"/> of its loopback and carries each connection here.</summary>
    public string[] SocatCommand(int port) => ["socat", $"TCP-LISTEN:{port},bind=127.0.0.1,fork,reuseaddr", $"UNIX-CONNECT:{SocketPath}"];

    public int Count(string pathEnding) => Requests.Count(r => r.Path.EndsWith(pathEnding, StringComparison.Ordinal));

    /// <summary>No more relaying: connections socat makes from now on are refused.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting;
        File.Delete(SocketPath);
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                Socket client = await _listener.AcceptAsync(_stop.Token);
                connections.Add(RelayAsync(client));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
        await Task.WhenAll(connections);
    }

    private async Task RelayAsync(Socket client)
    {
        using (client)
        {
            try
            {
                await using var down = new NetworkStream(client, ownsSocket: false);
                string? head = await ReadHeadAsync(down);
                string[] line = head?.Split("\r\n")[0].Split(' ') ?? [];
                if (line.Length != 3 || !Uri.TryCreate(line[1], UriKind.Absolute, out Uri? uri) || uri.Scheme != "http" || !_hosts.Contains(uri.Authority))
                {
                    await down.WriteAsync("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
                    return;
                }
                using var upstream = new TcpClient();
                await upstream.ConnectAsync(uri.Host, uri.Port, _stop.Token);
                await using NetworkStream up = upstream.GetStream();
                await up.WriteAsync(Encoding.ASCII.GetBytes(OneRequest(head!)), _stop.Token);
                long? cut = CutAfter.FirstOrDefault(c => Uri.UnescapeDataString(uri.AbsolutePath).EndsWith(c.Key, StringComparison.Ordinal)) is { Key: not null } rule && CutAfter.TryRemove(rule.Key, out long after) ? after : null;
                long relayed = 0;
                byte[] buffer = new byte[64 * 1024];
                while (cut is null || relayed < cut)
                {
                    int read = await up.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, (cut ?? long.MaxValue) - relayed)), _stop.Token);
                    if (read == 0)
                    {
                        break;
                    }
                    await down.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                    relayed += read;
                }
                Requests.Enqueue(new RelayedRequest(line[0], uri, relayed, cut is not null));
                if (cut is not null)
                {
                    // A reset, not a clean close: what a broken link looks like.
                    client.LingerState = new LingerOption(true, 0);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
            {
                // The appliance or the archive went away; the appliance sees a failed download.
            }
        }
    }

    /// <summary>The request head with <c>Connection: close</c>: one request per connection, so each is counted whole.</summary>
    private static string OneRequest(string head)
    {
        IEnumerable<string> lines = head.Split("\r\n").Where(l => l.Length > 0
            && !l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase)
            && !l.StartsWith("Proxy-Connection:", StringComparison.OrdinalIgnoreCase)
            && !l.StartsWith("Keep-Alive:", StringComparison.OrdinalIgnoreCase));
        return string.Join("\r\n", lines) + "\r\nConnection: close\r\n\r\n";
    }

    private static async Task<string?> ReadHeadAsync(Stream stream)
    {
        var head = new StringBuilder();
        byte[] one = new byte[1];
        while (head.Length < 16 * 1024)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }
            head.Append((char)one[0]);
            if (head.Length >= 4 && head[^1] == '\n' && head.ToString(head.Length - 4, 4) == "\r\n\r\n")
            {
                return head.ToString();
            }
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }
        _stop.Dispose();
    }
}
