using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Provisioner.Core.Audit;
using Provisioner.Core.Inventory.Data;
using Provisioner.Core.Inventory.Import;
using Provisioner.Pxe.Net;

namespace Provisioner.Core.Inventory;

/// <summary>
/// Adds, changes and removes hosts. Every change is validated whole and saved in one transaction:
/// a refused change raises <see cref="InventoryException"/> and leaves the database as it was.
/// </summary>
public sealed class HostService(InventoryDatabase database, HostValidator validator, HostDirectory directory, TimeProvider time, Power.BmcSecrets? secrets = null)
{
    /// <summary>Every matching host, by hostname: for exports and the CLI. Lists for people and API clients go through the paged calls.</summary>
    public async Task<List<HostRecord>> ListAsync(HostQuery query, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        return await Filter(db.Hosts.AsNoTracking(), query).OrderBy(h => h.Hostname).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The page <paramref name="skip"/>/<paramref name="take"/> of the matching hosts in the order
    /// asked for, and the number that match. The database orders and cuts the page, except by IP (below).
    /// </summary>
    public async Task<HostPage> PageAsync(HostQuery query, HostSort sort, bool descending, int skip, int take, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        IQueryable<HostRecord> hosts = Filter(db.Hosts.AsNoTracking(), query);
        int total = await hosts.CountAsync(cancellationToken).ConfigureAwait(false);
        if (sort != HostSort.Ip)
        {
            return new(await Order(hosts, sort, descending).Skip(skip).Take(take).ToListAsync(cancellationToken).ConfigureAwait(false), total);
        }
        // IPs are stored as dotted text, in which 192.0.2.10 sorts before 192.0.2.9. Numeric order
        // is worked out here from (id, IP) pairs alone (about 3 MB at 100,000 hosts); only the page's rows are loaded whole.
        var keys = await hosts.Select(h => new { h.Id, h.Ip }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var ordered = descending
            ? keys.OrderByDescending(k => Ipv4Interface.SortKey(k.Ip)).ThenByDescending(k => k.Id)
            : keys.OrderBy(k => Ipv4Interface.SortKey(k.Ip)).ThenBy(k => k.Id);
        int[] ids = ordered.Skip(skip).Take(take).Select(k => k.Id).ToArray();
        Dictionary<int, HostRecord> rows = await db.Hosts.AsNoTracking().Where(h => ids.Contains(h.Id))
            .ToDictionaryAsync(h => h.Id, cancellationToken).ConfigureAwait(false);
        return new([.. ids.Where(rows.ContainsKey).Select(id => rows[id])], total);
    }

    /// <summary>
    /// Up to <paramref name="take"/> matching hosts by hostname, starting after the hostname
    /// <paramref name="after"/> (a keyset page: hosts added or removed meanwhile cannot shift later
    /// pages, and a deep page costs what the first does), and the number that match in all.
    /// </summary>
    public async Task<HostPage> PageAfterAsync(HostQuery query, string? after, int take, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        IQueryable<HostRecord> hosts = Filter(db.Hosts.AsNoTracking(), query);
        int total = await hosts.CountAsync(cancellationToken).ConfigureAwait(false);
        if (after is not null)
        {
            hosts = hosts.Where(h => string.Compare(h.Hostname, after) > 0);
        }
        return new(await hosts.OrderBy(h => h.Hostname).Take(take).ToListAsync(cancellationToken).ConfigureAwait(false), total);
    }

    private static IQueryable<HostRecord> Filter(IQueryable<HostRecord> hosts, HostQuery query)
    {
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            string text = query.Search.Trim().ToLowerInvariant();
            string mac = MacAddress.TryParse(text, out MacAddress parsed) ? parsed.ToString() : text;
            hosts = hosts.Where(h => h.Hostname.Contains(text) || h.Ip.Contains(text) || h.Mac.Contains(mac));
        }
        if (query.State is { } state)
        {
            hosts = hosts.Where(h => h.State == state);
        }
        if (query.Building)
        {
            hosts = hosts.Where(h => h.State == BuildState.Pending || h.State == BuildState.Booting || h.State == BuildState.Installing);
        }
        if (!string.IsNullOrWhiteSpace(query.Profile))
        {
            hosts = hosts.Where(h => h.Profile == query.Profile);
        }
        if (GroupName(query.Group) is { } group)
        {
            hosts = hosts.Where(h => h.GroupName == group);
        }
        return hosts;
    }

    private static IOrderedQueryable<HostRecord> Order(IQueryable<HostRecord> hosts, HostSort sort, bool descending) => sort switch
    {
        HostSort.Mac => By(hosts, h => h.Mac, descending),
        HostSort.State => By(hosts, h => h.State, descending),
        HostSort.Profile => By(hosts, h => h.Profile, descending),
        HostSort.Updated => By(hosts, h => h.UpdatedAt, descending),
        _ => By(hosts, h => h.Hostname, descending),
    };

    private static IOrderedQueryable<HostRecord> By<TKey>(IQueryable<HostRecord> hosts, System.Linq.Expressions.Expression<Func<HostRecord, TKey>> key, bool descending) =>
        descending ? hosts.OrderByDescending(key).ThenByDescending(h => h.Id) : hosts.OrderBy(key).ThenBy(h => h.Id);

    /// <summary>How many hosts are in each state; every state is present, with 0 when none is.</summary>
    public async Task<Dictionary<BuildState, int>> CountByStateAsync(CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        var counts = await db.Hosts.GroupBy(h => h.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken).ConfigureAwait(false);
        return Enum.GetValues<BuildState>().ToDictionary(s => s, s => counts.FirstOrDefault(c => c.Key == s)?.Count ?? 0);
    }

    /// <summary>A host by id, MAC (any spelling) or hostname; null when there is none.</summary>
    public async Task<HostRecord?> FindAsync(string key, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        return await Find(db.Hosts.AsNoTracking(), key, cancellationToken).ConfigureAwait(false);
    }

    public async Task<HostRecord> CreateAsync(HostFields fields, CancellationToken cancellationToken)
    {
        ImportResult created = await AddAllAsync([fields], _ => string.Empty, [], update: false, import: false, cancellationToken).ConfigureAwait(false);
        return created.Added[0];
    }

    /// <summary>
    /// Adds every parsed line or none. Problems of every line (shape, fields, clashes with the
    /// inventory or with other lines) are reported together, each prefixed with its line number.
    /// </summary>
    public async Task<IReadOnlyList<HostRecord>> ImportAsync(ParsedImport parsed, CancellationToken cancellationToken) =>
        (await ImportAsync(parsed, update: false, cancellationToken).ConfigureAwait(false)).Added;

    /// <summary>
    /// As <see cref="ImportAsync(ParsedImport, CancellationToken)"/>; with <paramref name="update"/>, a line
    /// whose MAC is a registered host changes that host instead of clashing with it: the fields the line
    /// gives replace the host's, the others stay (an address without a prefix keeps the host's prefix).
    /// Still all or nothing, added and changed together.
    /// </summary>
    public Task<ImportResult> ImportAsync(ParsedImport parsed, bool update, CancellationToken cancellationToken) =>
        AddAllAsync(parsed.Given, i => ParsedImport.Label(parsed.Lines[i]), parsed.Errors, update, import: true, cancellationToken, parsed.WithDefaults, parsed.BmcOf);

    /// <param name="entries">Each line's fields as given.</param>
    /// <param name="forNewHost">What a new host gets from its line (the import's defaults added); updates take the line as given.</param>
    /// <param name="bmcOf">Each line's BMC, if it gives one: checked with the line, saved with the hosts, all or nothing.</param>
    private async Task<ImportResult> AddAllAsync(IReadOnlyList<HostFields> entries, Func<int, string> label,
        IReadOnlyList<FieldError> priorErrors, bool update, bool import, CancellationToken cancellationToken, Func<HostFields, HostFields>? forNewHost = null,
        Func<int, Power.BmcSettings?>? bmcOf = null)
    {
        DateTime now = time.GetUtcNow().UtcDateTime;
        var valid = new List<HostRecord>(entries.Count);
        var validLabels = new List<string>(entries.Count);
        var errors = new List<FieldError>(priorErrors);
        await using InventoryDbContext db = database.CreateContext();
        Dictionary<string, HostRecord> existing = update ? await ByMacAsync(db, entries, cancellationToken).ConfigureAwait(false) : [];
        Dictionary<string, HostGroup> groups = await GroupsAsync(db, entries.Select(e => forNewHost?.Invoke(e).Group ?? e.Group).Concat(existing.Values.Select(h => h.GroupName)), cancellationToken).ConfigureAwait(false);
        var changed = new HashSet<HostRecord>(ReferenceEqualityComparer.Instance);
        var before = new Dictionary<HostRecord, HostFields>(ReferenceEqualityComparer.Instance);
        var bmcs = new List<(HostRecord Host, Power.HostBmc Bmc, bool PasswordGiven)>();
        int[] knownIds = [.. existing.Values.Select(h => h.Id)];
        Dictionary<int, Power.HostBmc> storedBmcs = bmcOf is null || knownIds.Length == 0 ? []
            : await db.Bmcs.AsNoTracking().Where(b => knownIds.Contains(b.HostId)).ToDictionaryAsync(b => b.HostId, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < entries.Count; i++)
        {
            HostFields fields = entries[i];
            HostRecord host;
            if (existing.TryGetValue(CanonicalMac(fields.Mac), out HostRecord? known) && !changed.Contains(known))
            {
                host = known;
                before[host] = HostFields.From(host);
                fields = fields with { Ip = fields.Ip is { } ip && !ip.Contains('/', StringComparison.Ordinal) ? $"{ip.Trim()}/{host.PrefixLength}" : fields.Ip };
                fields = fields.Over(HostFields.From(host));
                changed.Add(host);
            }
            else
            {
                fields = forNewHost?.Invoke(fields) ?? fields;
                host = new HostRecord { Mac = "", Hostname = "", Ip = "", Profile = "", State = BuildState.Idle, CreatedAt = now, UpdatedAt = now };
            }
            if (!TryGroup(fields.Group, groups, out HostGroup? group, out FieldError? unknown))
            {
                errors.Add(unknown with { Field = label(i) + unknown.Field });
                continue;
            }
            IReadOnlyList<FieldError> problems = [.. validator.Apply(fields, host, group), .. BmcProblems(bmcOf?.Invoke(i), host, storedBmcs, bmcs)];
            errors.AddRange(problems.Select(e => e with { Field = label(i) + e.Field }));
            if (problems.Count == 0)
            {
                valid.Add(host);
                validLabels.Add(label(i));
            }
        }
        List<FieldError> conflicts = await ConflictsAsync(db, valid, i => validLabels[i], cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0 || conflicts.Count > 0)
        {
            throw new InventoryException(errors.Count > 0 ? InventoryErrorKind.Invalid : InventoryErrorKind.Conflict,
                [.. errors.Concat(conflicts).OrderBy(e => LineOf(e.Field))]);
        }
        List<HostRecord> updated = [.. valid.Where(changed.Contains)];
        foreach (HostRecord host in updated)
        {
            host.UpdatedAt = now;
            host.Revision++;
        }
        List<HostRecord> added = [.. valid.Where(h => !changed.Contains(h))];
        var labelOf = new Dictionary<HostRecord, string>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < valid.Count; i++)
        {
            labelOf[valid[i]] = validLabels[i];
        }
        List<HostRecord> saved = [.. updated, .. added];
        await InsertAsync(db, added, updated, i => labelOf[saved[i]], async () =>
        {
            Audit(db, now, import, added, updated, before);
            await SaveBmcsAsync(db, now, bmcs, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        directory.Created(added);
        foreach (HostRecord host in updated)
        {
            directory.Updated(host);
        }
        return new ImportResult(added, updated);
    }

    /// <summary>
    /// The audit entries of an add or import: a host added by itself names its fields; an import, one
    /// entry for the hosts it added (named, as far as the detail holds them) and one per host it changed.
    /// </summary>
    private static void Audit(InventoryDbContext db, DateTime now, bool import, List<HostRecord> added, List<HostRecord> updated, Dictionary<HostRecord, HostFields> before)
    {
        if (!import)
        {
            HostRecord host = added[0];
            AuditTrail.Add(db, now, AuditActions.HostAdded, host.Hostname, host.Id, ChangeList.Values(HostFields.From(host)));
            return;
        }
        if (added.Count > 0)
        {
            AuditTrail.Add(db, now, AuditActions.HostsImported, $"{added.Count} host(s) added",
                detail: "added: " + string.Join(", ", added.Take(AuditEntry.MaxDetailLength / 4).Select(h => h.Hostname)));
        }
        foreach (HostRecord host in updated)
        {
            AuditTrail.Add(db, now, AuditActions.HostChanged, host.Hostname, host.Id, "import: " + (ChangeList.Describe(before[host], HostFields.From(host)) ?? "no change"));
        }
    }

    /// <summary>A line's BMC checked on top of the host's stored one (an update); kept in <paramref name="valid"/> when good.</summary>
    private List<FieldError> BmcProblems(Power.BmcSettings? given, HostRecord host, Dictionary<int, Power.HostBmc> stored, List<(HostRecord, Power.HostBmc, bool)> valid)
    {
        if (given is null)
        {
            return [];
        }
        if (secrets is null)
        {
            return [new("bmc", "BMC columns cannot be imported here (no data protection keys to encrypt the password with)")];
        }
        (Power.HostBmc? merged, List<FieldError> problems) = Power.BmcValidator.Merge(host.Id != 0 ? stored.GetValueOrDefault(host.Id) : null, given, secrets.Protect);
        if (merged is not null)
        {
            valid.Add((host, merged, given.Password is not null));
        }
        return problems;
    }

    /// <summary>The imported BMCs, once their hosts have ids: each replaces the host's stored one; audited without the password.</summary>
    private static async Task SaveBmcsAsync(InventoryDbContext db, DateTime now, List<(HostRecord Host, Power.HostBmc Bmc, bool PasswordGiven)> bmcs, CancellationToken cancellationToken)
    {
        foreach ((HostRecord host, Power.HostBmc bmc, bool passwordGiven) in bmcs)
        {
            await db.Bmcs.Where(b => b.HostId == host.Id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            bmc.HostId = host.Id;
            bmc.UpdatedAt = now;
            db.Bmcs.Add(bmc);
            AuditTrail.Add(db, now, AuditActions.BmcSet, host.Hostname, host.Id, $"import: {Power.BmcValidator.Describe(bmc)}, password {(passwordGiven ? "set" : "kept")}");
        }
    }

    private static string CanonicalMac(string? mac) => MacAddress.TryParse(mac?.Trim() ?? string.Empty, out MacAddress parsed) ? parsed.ToString() : string.Empty;

    /// <summary>The registered hosts the entries' MACs name, tracked (they are about to change), by canonical MAC.</summary>
    private static async Task<Dictionary<string, HostRecord>> ByMacAsync(InventoryDbContext db, IReadOnlyList<HostFields> entries, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, HostRecord>(StringComparer.Ordinal);
        foreach (string[] slice in entries.Select(e => CanonicalMac(e.Mac)).Where(m => m.Length > 0).Distinct(StringComparer.Ordinal).Chunk(ConflictSlice))
        {
            foreach (HostRecord host in await db.Hosts.Where(h => slice.Contains(h.Mac)).ToListAsync(cancellationToken).ConfigureAwait(false))
            {
                found[host.Mac] = host;
            }
        }
        return found;
    }

    private static int LineOf(string field) =>
        field.StartsWith("line ", StringComparison.Ordinal) && int.TryParse(field.AsSpan(5).TrimEnd(':').ToString().Split(':')[0], out int line) ? line : 0;

    /// <summary>Replaces a host's fields; with <paramref name="partial"/> only the fields given change.</summary>
    public async Task<HostRecord> UpdateAsync(int id, HostFields fields, bool partial, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        HostRecord host = await db.Hosts.FirstOrDefaultAsync(h => h.Id == id, cancellationToken).ConfigureAwait(false)
            ?? throw InventoryException.NotFound($"with id {id}");
        HostFields was = HostFields.From(host);
        HostFields merged = partial ? fields.Over(was) : fields;
        Dictionary<string, HostGroup> groups = await GroupsAsync(db, [merged.Group], cancellationToken).ConfigureAwait(false);
        if (!TryGroup(merged.Group, groups, out HostGroup? group, out FieldError? unknown))
        {
            throw new InventoryException(InventoryErrorKind.Invalid, [unknown]);
        }
        IReadOnlyList<FieldError> errors = validator.Apply(merged, host, group);
        if (errors.Count > 0)
        {
            throw new InventoryException(InventoryErrorKind.Invalid, errors);
        }
        List<FieldError> conflicts = await ConflictsAsync(db, [host], _ => string.Empty, cancellationToken).ConfigureAwait(false);
        if (conflicts.Count > 0)
        {
            throw new InventoryException(InventoryErrorKind.Conflict, conflicts);
        }
        host.UpdatedAt = time.GetUtcNow().UtcDateTime;
        host.Revision++;
        AuditTrail.Add(db, host.UpdatedAt, AuditActions.HostChanged, host.Hostname, host.Id, ChangeList.Describe(was, HostFields.From(host)) ?? "no change");
        await SaveAsync(db, [host], _ => string.Empty, () => db.SaveChangesAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        directory.Updated(host);
        return host;
    }

    /// <summary>The group a host's <c>group</c> field names, canonical; null for none (empty or <c>none</c>).</summary>
    internal static string? GroupName(string? value) =>
        string.IsNullOrWhiteSpace(value) || HostOverrides.IsNone(value) ? null : value.Trim().ToLowerInvariant();

    /// <summary>The groups <paramref name="names"/> name, by canonical name: one query for an import.</summary>
    private static async Task<Dictionary<string, HostGroup>> GroupsAsync(InventoryDbContext db, IEnumerable<string?> names, CancellationToken cancellationToken)
    {
        string[] wanted = [.. names.Select(GroupName).OfType<string>().Distinct(StringComparer.Ordinal)];
        return wanted.Length == 0 ? []
            : await db.Groups.AsNoTracking().Where(g => wanted.Contains(g.Name)).ToDictionaryAsync(g => g.Name, StringComparer.Ordinal, cancellationToken).ConfigureAwait(false);
    }

    private static bool TryGroup(string? value, Dictionary<string, HostGroup> groups, out HostGroup? group, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out FieldError? unknown)
    {
        group = null;
        unknown = null;
        if (GroupName(value) is not { } name || groups.TryGetValue(name, out group))
        {
            return true;
        }
        unknown = new("group", $"no group named '{value!.Trim()}' (groups are added first: API /api/groups, provisioner groups add, the Groups page)");
        return false;
    }

    public async Task DeleteAsync(int id, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        var gone = await db.Hosts.Where(h => h.Id == id).Select(h => new { h.Revision, h.Hostname, h.Mac }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        await using IDbContextTransaction transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        int deleted = await db.Hosts.Where(h => h.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        if (deleted > 0 && gone is not null)
        {
            AuditTrail.Add(db, time.GetUtcNow().UtcDateTime, AuditActions.HostRemoved, gone.Hostname, id, "mac " + gone.Mac);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        directory.Deleted(id, gone?.Revision ?? 0);
        if (deleted == 0)
        {
            throw InventoryException.NotFound($"with id {id}");
        }
    }

    internal static async Task<HostRecord?> Find(IQueryable<HostRecord> hosts, string key, CancellationToken cancellationToken)
    {
        string trimmed = key.Trim();
        if (int.TryParse(trimmed, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int id))
        {
            return await hosts.FirstOrDefaultAsync(h => h.Id == id, cancellationToken).ConfigureAwait(false);
        }
        if (MacAddress.TryParse(trimmed, out MacAddress mac))
        {
            string canonical = mac.ToString();
            return await hosts.FirstOrDefaultAsync(h => h.Mac == canonical, cancellationToken).ConfigureAwait(false);
        }
        string name = trimmed.ToLowerInvariant();
        return await hosts.FirstOrDefaultAsync(h => h.Hostname == name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hosts looked up per query for clashes: 3 parameters each.</summary>
    private const int ConflictSlice = 1000;

    /// <summary>MACs, hostnames and IPs that clash with another host, in the database or within the batch.</summary>
    private static async Task<List<FieldError>> ConflictsAsync(InventoryDbContext db, List<HostRecord> hosts, Func<int, string> label, CancellationToken cancellationToken)
    {
        // In slices: EF Core sends each value of a list as its own SQL parameter, and SQLite takes
        // at most 32,766 in one statement (an import of 11,000 hosts has 33,000).
        // Each MAC, hostname and IP (prefixed with its field) to the host that has it: a lookup per
        // value, not a scan of the clashes per host, so a re-import of 100,000 is as quick as an import.
        var owners = new Dictionary<string, (int Id, string Hostname)>(StringComparer.Ordinal);
        foreach (HostRecord[] slice in hosts.Chunk(ConflictSlice))
        {
            string[] macs = slice.Select(h => h.Mac).ToArray();
            string[] names = slice.Select(h => h.Hostname).ToArray();
            string[] ips = slice.Select(h => h.Ip).ToArray();
            var found = await db.Hosts.AsNoTracking()
                .Where(h => macs.Contains(h.Mac) || names.Contains(h.Hostname) || ips.Contains(h.Ip))
                .Select(h => new { h.Id, h.Mac, h.Hostname, h.Ip })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var other in found)
            {
                owners.TryAdd(Key("mac", other.Mac), (other.Id, other.Hostname));
                owners.TryAdd(Key("hostname", other.Hostname), (other.Id, other.Hostname));
                owners.TryAdd(Key("ip", other.Ip), (other.Id, other.Hostname));
            }
        }
        var errors = new List<FieldError>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < hosts.Count; i++)
        {
            HostRecord host = hosts[i];
            (string Field, string Value)[] fields = [("mac", host.Mac), ("hostname", host.Hostname), ("ip", host.Ip)];
            foreach ((string field, string value) in fields)
            {
                if (owners.TryGetValue(Key(field, value), out var owner) && owner.Id != host.Id)
                {
                    errors.Add(new(label(i) + field, $"{value} already belongs to host {owner.Hostname}"));
                }
            }
            foreach ((string field, string value) in fields)
            {
                if (!seen.TryAdd(Key(field, value), i))
                {
                    errors.Add(new(label(i) + field, $"{value} also appears at {label(seen[Key(field, value)]).TrimEnd(' ', ':')}"));
                }
            }
        }
        return errors;
    }

    private static string Key(string field, string value) => $"{field}\0{value}";

    /// <summary>
    /// Adds the hosts in one transaction (all or none), <see cref="InsertChunk"/> at a time, and
    /// forgets each chunk once it is sent: with EF Core tracking all 100,000 hosts of an import at
    /// once, the CLI peaked at 920-970 MB RSS on SQLite; this way at 710-740 MB.
    /// </summary>
    /// <remarks>
    /// The <paramref name="updated"/> hosts (tracked, changed in place) are saved first, in the same transaction;
    /// <paramref name="audit"/> adds the audit entries once every host has its id, saved last, in it too.
    /// </remarks>
    private static Task InsertAsync(InventoryDbContext db, List<HostRecord> hosts, List<HostRecord> updated, Func<int, string> label, Func<Task> audit, CancellationToken cancellationToken) =>
        SaveAsync(db, [.. updated, .. hosts], label, async () =>
        {
            await using IDbContextTransaction transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            if (updated.Count > 0)
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                db.ChangeTracker.Clear();
            }
            foreach (HostRecord[] chunk in hosts.Chunk(InsertChunk))
            {
                db.Hosts.AddRange(chunk);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                db.ChangeTracker.Clear();
            }
            await audit().ConfigureAwait(false);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Hosts sent to the database per SaveChanges by <see cref="InsertAsync"/>.</summary>
    private const int InsertChunk = 1_000;

    /// <summary>Runs <paramref name="save"/>; a unique-index violation (another writer won a race) becomes a conflict naming the field.</summary>
    private static async Task SaveAsync(InventoryDbContext db, List<HostRecord> hosts, Func<int, string> label, Func<Task> save, CancellationToken cancellationToken)
    {
        try
        {
            await save().ConfigureAwait(false);
        }
        catch (DbUpdateException ex)
        {
            db.ChangeTracker.Clear();
            List<FieldError> conflicts = await ConflictsAsync(db, hosts, label, cancellationToken).ConfigureAwait(false);
            throw conflicts.Count > 0 ? new InventoryException(InventoryErrorKind.Conflict, conflicts) : ex;
        }
    }
}
