using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Audit;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Access;

/// <summary>
/// The site's SSH public keys (admins manage them: CLI, API, UI). Each key is read as OpenSSH would
/// read it (<see cref="SshPublicKey"/>) and stored once, by fingerprint; adding is all or nothing.
/// </summary>
public sealed class SshKeys(InventoryDatabase database, TimeProvider time)
{
    public const int MaxNameLength = 128;

    /// <summary>Keys per site; each lands in every installed system's <c>authorized_keys</c>.</summary>
    public const int MaxKeys = 1000;

    /// <summary>
    /// Adds every key in <paramref name="text"/> (one per line, as in <c>authorized_keys</c>), named
    /// <paramref name="name"/> or else by its comment. Refused, saving nothing, when any line is not
    /// a key (each named by its number), a key is given twice or is already stored.
    /// </summary>
    public async Task<List<SshKeyInfo>> AddAsync(string text, string? name, CancellationToken cancellationToken)
    {
        (List<SshPublicKey> keys, List<string> errors) = SshPublicKey.ParseLines(text);
        string? given = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        if (given is not null && (given.Length > MaxNameLength || given.Any(char.IsControl)))
        {
            throw Refused(InventoryErrorKind.Invalid, "name", $"the name must be at most {MaxNameLength} characters, without control characters");
        }
        if (errors.Count == 0 && keys.Count == 0)
        {
            errors.Add("no key given: paste one public key per line (the contents of a .pub file)");
        }
        errors.AddRange(keys.GroupBy(k => k.Fingerprint).Where(g => g.Count() > 1).Select(g => $"the same key ({g.Key}) is given {g.Count()} times"));
        if (errors.Count > 0)
        {
            throw new InventoryException(InventoryErrorKind.Invalid, [.. errors.Select(e => new FieldError("key", e))]);
        }
        await using InventoryDbContext db = database.CreateContext();
        string[] fingerprints = [.. keys.Select(k => k.Fingerprint)];
        List<SshKey> stored = await db.SshKeys.AsNoTracking().Where(k => fingerprints.Contains(k.Fingerprint)).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (stored.Count > 0)
        {
            throw new InventoryException(InventoryErrorKind.Conflict,
                [.. stored.Select(k => new FieldError("key", $"key {k.Fingerprint} is already stored, as '{k.Name}' (id {k.Id})"))]);
        }
        if (await db.SshKeys.CountAsync(cancellationToken).ConfigureAwait(false) + keys.Count > MaxKeys)
        {
            throw Refused(InventoryErrorKind.Invalid, "key", $"at most {MaxKeys} site keys; remove some first");
        }
        DateTime now = time.GetUtcNow().UtcDateTime;
        var added = keys.Select(k => new SshKey
        {
            Name = given ?? (k.Comment.Length > 0 ? Cut(k.Comment) : $"{k.Algorithm.ToLowerInvariant()} key"),
            Line = k.Line,
            Fingerprint = k.Fingerprint,
            CreatedAt = now,
        }).ToList();
        db.SshKeys.AddRange(added);
        foreach (SshKey key in added)
        {
            AuditTrail.Add(db, now, AuditActions.KeyAdded, key.Name, detail: key.Fingerprint);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another appliance (or request) stored one of them between the check and now.
            throw Refused(InventoryErrorKind.Conflict, "key", "one of these keys was stored meanwhile; list the keys and try again");
        }
        return [.. added.Select(SshKeyInfo.Of)];
    }

    /// <summary>Every site key, oldest first.</summary>
    public async Task<List<SshKeyInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        List<SshKey> keys = await db.SshKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. keys.Select(SshKeyInfo.Of)];
    }

    /// <summary>The site keys' lines, as they go into <c>authorized_keys</c>.</summary>
    public async Task<List<string>> LinesAsync(CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        return await db.SshKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Line).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a key; systems installed from now on do not get it (installed ones keep theirs). Not found: <see cref="InventoryException"/>.</summary>
    public async Task RemoveAsync(int id, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        SshKey key = await db.SshKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken).ConfigureAwait(false)
            ?? throw Refused(InventoryErrorKind.NotFound, "id", $"no SSH key {id}");
        db.SshKeys.Remove(key);
        AuditTrail.Add(db, time.GetUtcNow().UtcDateTime, AuditActions.KeyRemoved, key.Name, detail: key.Fingerprint);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw Refused(InventoryErrorKind.NotFound, "id", $"no SSH key {id}");
        }
    }

    private static string Cut(string comment) => comment.Length <= MaxNameLength ? comment : comment[..MaxNameLength];

    private static InventoryException Refused(InventoryErrorKind kind, string field, string message) => new(kind, [new FieldError(field, message)]);
}
