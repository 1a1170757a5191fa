using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Audit;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Inventory;

/// <summary>A group and how many hosts are in it.</summary>
public sealed record HostGroupSummary(HostGroup Group, int Hosts);

/// <summary>
/// Adds, changes and removes host groups. A change to a group is worked out again for every host in
/// it, in the same transaction: when the group's new values do not fit a host (its gateway outside
/// the host's subnet, say), the change is refused naming the host and nothing is saved.
/// </summary>
public sealed class HostGroupService(InventoryDatabase database, HostGroupValidator validator, HostValidator hostValidator, HostDirectory directory, TimeProvider time)
{
    public async Task<List<HostGroupSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        List<HostGroup> groups = await db.Groups.AsNoTracking().OrderBy(g => g.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
        var counts = await db.Hosts.Where(h => h.GroupId != null).GroupBy(h => h.GroupId)
            .Select(g => new { Id = g.Key!.Value, Count = g.Count() }).ToDictionaryAsync(c => c.Id, c => c.Count, cancellationToken).ConfigureAwait(false);
        return [.. groups.Select(g => new HostGroupSummary(g, counts.GetValueOrDefault(g.Id)))];
    }

    /// <summary>A group by id or name; null when there is none.</summary>
    public async Task<HostGroup?> FindAsync(string key, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        return await Find(db.Groups.AsNoTracking(), key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A group by id or name with its member count (one count query, not the whole list); null when there is none.</summary>
    public async Task<HostGroupSummary?> FindWithCountAsync(string key, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        if (await Find(db.Groups.AsNoTracking(), key, cancellationToken).ConfigureAwait(false) is not { } group)
        {
            return null;
        }
        return new(group, await db.Hosts.CountAsync(h => h.GroupId == group.Id, cancellationToken).ConfigureAwait(false));
    }

    public async Task<HostGroup> CreateAsync(HostGroupFields fields, CancellationToken cancellationToken)
    {
        DateTime now = time.GetUtcNow().UtcDateTime;
        var group = new HostGroup { Name = string.Empty, CreatedAt = now, UpdatedAt = now };
        Refuse(InventoryErrorKind.Invalid, validator.Apply(fields, group));
        await using InventoryDbContext db = database.CreateContext();
        await RefuseTakenNameAsync(db, group, cancellationToken).ConfigureAwait(false);
        db.Groups.Add(group);
        AuditTrail.Add(db, now, AuditActions.GroupAdded, group.Name, detail: ChangeList.Values(HostGroupFields.From(group)));
        await SaveAsync(db, group, cancellationToken).ConfigureAwait(false);
        return group;
    }

    /// <summary>Replaces a group's fields (with <paramref name="partial"/>, only those given) and works out its hosts again.</summary>
    public async Task<HostGroup> UpdateAsync(int id, HostGroupFields fields, bool partial, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        HostGroup group = await db.Groups.FirstOrDefaultAsync(g => g.Id == id, cancellationToken).ConfigureAwait(false) ?? throw NotFound($"with id {id}");
        HostGroupFields before = HostGroupFields.From(group);
        Refuse(InventoryErrorKind.Invalid, validator.Apply(partial ? fields.Over(before) : fields, group));
        await RefuseTakenNameAsync(db, group, cancellationToken).ConfigureAwait(false);
        group.UpdatedAt = time.GetUtcNow().UtcDateTime;
        List<HostRecord> members = await db.Hosts.Where(h => h.GroupId == id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var misfits = new List<FieldError>();
        foreach (HostRecord host in members)
        {
            IReadOnlyList<FieldError> errors = hostValidator.Apply(HostFields.From(host) with { Group = group.Name }, host, group);
            misfits.AddRange(errors.Select(e => e with { Field = $"host {host.Hostname}: {e.Field}" }));
            host.UpdatedAt = group.UpdatedAt;
            host.Revision++;
        }
        Refuse(InventoryErrorKind.Conflict, misfits);
        if (ChangeList.Describe(before, HostGroupFields.From(group)) is { } changes)
        {
            AuditTrail.Add(db, group.UpdatedAt, AuditActions.GroupChanged, group.Name, detail: $"{changes} ({members.Count} host(s))");
        }
        await SaveAsync(db, group, cancellationToken).ConfigureAwait(false);
        foreach (HostRecord host in members)
        {
            directory.Updated(host);
        }
        return group;
    }

    /// <summary>Removes a group that has no hosts; one with hosts is refused (409), naming how many.</summary>
    public async Task DeleteAsync(int id, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        HostGroup group = await db.Groups.FirstOrDefaultAsync(g => g.Id == id, cancellationToken).ConfigureAwait(false) ?? throw NotFound($"with id {id}");
        int members = await db.Hosts.CountAsync(h => h.GroupId == id, cancellationToken).ConfigureAwait(false);
        if (members > 0)
        {
            throw new InventoryException(InventoryErrorKind.Conflict,
                [new("group", $"group {group.Name} has {members} host(s): move them to another group, or to none, first")]);
        }
        db.Groups.Remove(group);
        AuditTrail.Add(db, time.GetUtcNow().UtcDateTime, AuditActions.GroupRemoved, group.Name);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<HostGroup?> Find(IQueryable<HostGroup> groups, string key, CancellationToken cancellationToken)
    {
        string trimmed = key.Trim();
        if (int.TryParse(trimmed, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int id))
        {
            return await groups.FirstOrDefaultAsync(g => g.Id == id, cancellationToken).ConfigureAwait(false);
        }
        string name = trimmed.ToLowerInvariant();
        return await groups.FirstOrDefaultAsync(g => g.Name == name, cancellationToken).ConfigureAwait(false);
    }

    public static InventoryException NotFound(string what) => new(InventoryErrorKind.NotFound, [new("group", $"no group {what}")]);

    private static void Refuse(InventoryErrorKind kind, IReadOnlyList<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw new InventoryException(kind, errors);
        }
    }

    private static async Task RefuseTakenNameAsync(InventoryDbContext db, HostGroup group, CancellationToken cancellationToken)
    {
        if (await db.Groups.AnyAsync(g => g.Name == group.Name && g.Id != group.Id, cancellationToken).ConfigureAwait(false))
        {
            throw new InventoryException(InventoryErrorKind.Conflict, [new("name", $"a group named {group.Name} exists already")]);
        }
    }

    /// <summary>Saves; a unique-index violation (another appliance added the same name meanwhile) is the same conflict.</summary>
    private static async Task SaveAsync(InventoryDbContext db, HostGroup group, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            await RefuseTakenNameAsync(db, group, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }
}
