using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Dhcp;

/// <summary>
/// Which registered host an address belongs to, for the pool's choices: read from the inventory and
/// kept for <see cref="Reuse"/>, so a client that renews its pool address does not cost a query each
/// time. A host registered on a pool address meanwhile is seen within that time; should the address
/// have gone to a pool client in between, that client's next renewal is refused and the host gets it.
/// Used under <see cref="LeaseBook.Gate"/> only.
/// </summary>
public sealed class ReservedAddresses(InventoryDatabase database, TimeProvider time)
{
    public static readonly TimeSpan Reuse = TimeSpan.FromSeconds(2);

    /// <summary>Addresses looked up at most (a pool is at most a few thousand); beyond it the cache starts again.</summary>
    private const int MaxCached = 65_536;

    private readonly Dictionary<uint, (string? Mac, long At)> _cache = [];

    /// <summary>The MAC of the host registered with <paramref name="address"/>, or null.</summary>
    public async Task<string?> HolderAsync(uint address, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(address, out (string? Mac, long At) known) && time.GetElapsedTime(known.At) < Reuse)
        {
            return known.Mac;
        }
        string text = Ipv4Interface.FromUInt32(address).ToString();
        string? mac;
        await using (InventoryDbContext db = database.CreateContext())
        {
            mac = await db.Hosts.AsNoTracking().Where(h => h.Ip == text).Select(h => h.Mac).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        }
        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }
        _cache[address] = (mac, time.GetTimestamp());
        return mac;
    }
}
