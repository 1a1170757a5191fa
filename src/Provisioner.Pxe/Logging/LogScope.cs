using System.Collections;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Provisioner.Pxe.Logging;

/// <summary>
/// The machine a log line is about, as a logging scope: <c>mac</c> (aa:bb:cc:dd:ee:ff),
/// <c>host</c> (the hostname, when it is registered) and <c>peer</c> (its IP address: the same
/// machine whether it came over TFTP, HTTP or DHCP; the port, where it matters, is in the message).
/// The json and systemd console formats write each as a field of every line inside the scope, so
/// a log shipper can filter a whole build by <c>host</c> whatever the component; the default
/// one-line format leaves scopes out (its lines already say who). Only the values given are added.
/// </summary>
public sealed class LogScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string Mac = "mac";
    public const string Host = "host";
    public const string Peer = "peer";

    private readonly KeyValuePair<string, object?>[] _fields;

    private LogScope(KeyValuePair<string, object?>[] fields) => _fields = fields;

    /// <summary>Begins the scope on <paramref name="logger"/>; null values are left out (and nothing at all is begun when every value is null).</summary>
    public static IDisposable? Begin(ILogger logger, string? mac = null, string? host = null, object? peer = null)
    {
        var fields = new List<KeyValuePair<string, object?>>(3);
        Add(fields, Mac, mac);
        Add(fields, Host, host);
        Add(fields, Peer, (peer is IPEndPoint endpoint ? endpoint.Address : peer)?.ToString());
        return fields.Count == 0 ? null : logger.BeginScope(new LogScope([.. fields]));
    }

    private static void Add(List<KeyValuePair<string, object?>> fields, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            fields.Add(new(key, value));
        }
    }

    public int Count => _fields.Length;

    public KeyValuePair<string, object?> this[int index] => _fields[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_fields).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>How formats that print scopes as text show it: <c>mac=… host=… peer=…</c>.</summary>
    public override string ToString() => string.Join(' ', _fields.Select(f => $"{f.Key}={f.Value}"));
}
