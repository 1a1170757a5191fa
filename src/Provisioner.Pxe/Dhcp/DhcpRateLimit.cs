namespace Provisioner.Pxe.Dhcp;

/// <summary>
/// At most N messages per client hardware address per second (a fixed one-second window). The table
/// is bounded: when a flood of made-up addresses fills it, it starts again, so memory stays small
/// whatever arrives.
/// </summary>
internal sealed class DhcpRateLimit(int perSecond, TimeProvider time)
{
    private const int MaxClients = 65536;
    private readonly Dictionary<UInt128, (long Second, int Count)> _clients = [];
    private readonly Lock _lock = new();

    public bool Allow(ReadOnlySpan<byte> hardwareAddress)
    {
        Span<byte> key = stackalloc byte[16];
        key.Clear();
        hardwareAddress[..Math.Min(16, hardwareAddress.Length)].CopyTo(key);
        var id = new UInt128(BitConverter.ToUInt64(key), BitConverter.ToUInt64(key[8..]));
        long second = time.GetUtcNow().ToUnixTimeSeconds();
        lock (_lock)
        {
            if (_clients.Count >= MaxClients && !_clients.ContainsKey(id))
            {
                _clients.Clear();
            }
            (long Second, int Count) seen = _clients.GetValueOrDefault(id);
            int count = seen.Second == second ? seen.Count + 1 : 1;
            _clients[id] = (second, count);
            return count <= perSecond;
        }
    }
}
