using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Audit;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Power;

/// <summary>Hosts' BMCs in the inventory: set, read (without the password), removed; every change audited, never with the password.</summary>
public sealed class BmcService(InventoryDatabase database, BmcSecrets secrets, TimeProvider time)
{
    public async Task<BmcInfo?> GetAsync(int hostId, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        HostBmc? bmc = await db.Bmcs.AsNoTracking().FirstOrDefaultAsync(b => b.HostId == hostId, cancellationToken).ConfigureAwait(false);
        return bmc is null ? null : BmcInfo.Of(bmc);
    }

    /// <summary>Sets the host's BMC (<see cref="BmcSettings"/>: what is left out stays); refused with field errors, saving nothing.</summary>
    public async Task<BmcInfo> SetAsync(int hostId, BmcSettings settings, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        HostRecord host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hostId, cancellationToken).ConfigureAwait(false)
            ?? throw InventoryException.NotFound($"with id {hostId}");
        HostBmc? stored = await db.Bmcs.FirstOrDefaultAsync(b => b.HostId == hostId, cancellationToken).ConfigureAwait(false);
        (HostBmc? merged, List<FieldError> errors) = BmcValidator.Merge(stored, settings, secrets.Protect);
        if (merged is null)
        {
            throw new InventoryException(InventoryErrorKind.Invalid, errors);
        }
        DateTime now = time.GetUtcNow().UtcDateTime;
        if (stored is null)
        {
            merged.HostId = hostId;
            merged.UpdatedAt = now;
            db.Bmcs.Add(merged);
            stored = merged;
        }
        else
        {
            stored.Type = merged.Type;
            stored.Address = merged.Address;
            stored.User = merged.User;
            stored.PasswordProtected = merged.PasswordProtected;
            stored.CertificateSha256 = merged.CertificateSha256;
            stored.AcceptAnyCertificate = merged.AcceptAnyCertificate;
            stored.UefiBoot = merged.UefiBoot;
            stored.UpdatedAt = now;
        }
        string password = settings.Password is null ? "password kept" : "password set";
        AuditTrail.Add(db, now, AuditActions.BmcSet, host.Hostname, host.Id, $"{BmcValidator.Describe(stored)}, {password}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return BmcInfo.Of(stored);
    }

    /// <summary>Removes the host's BMC; false when it had none.</summary>
    public async Task<bool> RemoveAsync(int hostId, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        HostRecord host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hostId, cancellationToken).ConfigureAwait(false)
            ?? throw InventoryException.NotFound($"with id {hostId}");
        HostBmc? stored = await db.Bmcs.FirstOrDefaultAsync(b => b.HostId == hostId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return false;
        }
        db.Bmcs.Remove(stored);
        AuditTrail.Add(db, time.GetUtcNow().UtcDateTime, AuditActions.BmcRemoved, host.Hostname, host.Id, BmcValidator.Describe(stored));
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The host's BMC with its password decrypted, for one request; null when it has none.</summary>
    internal async Task<BmcConnection?> ConnectionAsync(int hostId, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        HostBmc? bmc = await db.Bmcs.AsNoTracking().FirstOrDefaultAsync(b => b.HostId == hostId, cancellationToken).ConfigureAwait(false);
        return bmc is null ? null : Connection(bmc);
    }

    /// <summary>Which of <paramref name="hostIds"/> have a BMC, and its type: for a page of the host list.</summary>
    public async Task<Dictionary<int, BmcType>> TypesAsync(IReadOnlyCollection<int> hostIds, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        return await db.Bmcs.AsNoTracking().Where(b => hostIds.Contains(b.HostId)).ToDictionaryAsync(b => b.HostId, b => b.Type, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every host that has a BMC (id, hostname), for the power poller.</summary>
    internal async Task<List<(int HostId, string Hostname)>> HostsWithBmcAsync(CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        var rows = await db.Bmcs.AsNoTracking().Join(db.Hosts, b => b.HostId, h => h.Id, (b, h) => new { h.Id, h.Hostname })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => (r.Id, r.Hostname))];
    }

    private BmcConnection Connection(HostBmc bmc) =>
        new(bmc.Type, bmc.Address, bmc.User, secrets.Unprotect(bmc.PasswordProtected), bmc.CertificateSha256, bmc.AcceptAnyCertificate, bmc.UefiBoot);
}
