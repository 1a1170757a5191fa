using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Audit;

/// <summary>Filters for <see cref="AuditTrail.PageAsync"/>; each null matches everything.</summary>
/// <param name="Action">An action (<c>host.edit</c>) or its kind (<c>host</c>: every <c>host.*</c>).</param>
public sealed record AuditQuery(string? Actor = null, string? Action = null, string? Target = null, int? HostId = null);

/// <summary>One page of the trail, newest first; <see cref="More"/> when older entries match too.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, bool More, int Total);

/// <summary>
/// Who did each change and build request. Services add the entry to the context that saves the
/// change (<see cref="Add"/>), so the entry and the change are written together or not at all;
/// the actor comes from <see cref="AuditContext"/>.
/// </summary>
public sealed class AuditTrail(InventoryDatabase database)
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    /// <summary>Records, for the running operation's actor, an action that changes nothing in the inventory (an image build asked for, the mirror's cache purged).</summary>
    public async Task RecordAsync(DateTimeOffset at, string action, string target, string? detail, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        Add(db, at.UtcDateTime, action, target, detail: detail);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds an entry for the running operation's actor to <paramref name="db"/>; saved with the caller's next SaveChanges.</summary>
    internal static AuditEntry Add(InventoryDbContext db, DateTime at, string action, string target, int? hostId = null, string? detail = null)
    {
        Actor actor = AuditContext.Current;
        var entry = new AuditEntry
        {
            At = at,
            Actor = Actor.Cut(actor.Name),
            Via = actor.Via,
            Action = action,
            Target = Cut(target, AuditEntry.MaxTargetLength),
            HostId = hostId,
            Detail = detail is null ? null : Cut(detail, AuditEntry.MaxDetailLength),
        };
        db.Audit.Add(entry);
        return entry;
    }

    /// <summary>Entries matching <paramref name="query"/>, newest first, older than entry <paramref name="before"/> when given.</summary>
    public async Task<AuditPage> PageAsync(AuditQuery query, long? before, int take, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        IQueryable<AuditEntry> matching = Filter(db.Audit.AsNoTracking(), query);
        int total = await matching.CountAsync(cancellationToken).ConfigureAwait(false);
        IQueryable<AuditEntry> page = before is { } id ? matching.Where(e => e.Id < id) : matching;
        List<AuditEntry> entries = await page.OrderByDescending(e => e.Id).Take(take + 1).ToListAsync(cancellationToken).ConfigureAwait(false);
        bool more = entries.Count > take;
        return new AuditPage(more ? entries[..take] : entries, more, total);
    }

    /// <summary>A host's entries, oldest first: for its timeline.</summary>
    public async Task<List<AuditEntry>> ForHostAsync(int hostId, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        return await db.Audit.AsNoTracking().Where(e => e.HostId == hostId).OrderBy(e => e.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    private static IQueryable<AuditEntry> Filter(IQueryable<AuditEntry> entries, AuditQuery query)
    {
        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            string actor = query.Actor.Trim();
            entries = entries.Where(e => e.Actor == actor);
        }
        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            string action = query.Action.Trim().ToLowerInvariant();
            string kind = action + ".";
            entries = action.Contains('.', StringComparison.Ordinal)
                ? entries.Where(e => e.Action == action)
                : entries.Where(e => e.Action.StartsWith(kind));
        }
        if (!string.IsNullOrWhiteSpace(query.Target))
        {
            string target = query.Target.Trim();
            entries = entries.Where(e => e.Target == target);
        }
        if (query.HostId is { } hostId)
        {
            entries = entries.Where(e => e.HostId == hostId);
        }
        return entries;
    }

    internal static string Cut(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}
