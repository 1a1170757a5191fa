using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Audit;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Inventory;

/// <summary>Bearer tokens for the API: created by the CLI, checked on every API request, listed and revoked by id.</summary>
public sealed class ApiTokens(InventoryDatabase database, TimeProvider time)
{
    private const string Prefix = "prov_";

    /// <summary>Stores a new token's hash and returns the token: the only time it is seen.</summary>
    public async Task<string> CreateAsync(string name, CancellationToken cancellationToken)
    {
        string token = Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        await using InventoryDbContext db = database.CreateContext();
        DateTime now = time.GetUtcNow().UtcDateTime;
        db.ApiTokens.Add(new ApiToken { Name = name, Hash = Hash(token), CreatedAt = now });
        AuditTrail.Add(db, now, AuditActions.TokenCreated, name);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return token;
    }

    /// <summary>The token's name, or null when it is not one of ours.</summary>
    public async Task<string?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 128)
        {
            return null;
        }
        string hash = Hash(token);
        await using InventoryDbContext db = database.CreateContext();
        return await db.ApiTokens.Where(t => t.Hash == hash).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every token, oldest first; never their hashes' secrets (the tokens themselves are not stored).</summary>
    public async Task<List<ApiTokenInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        return await db.ApiTokens.AsNoTracking().OrderBy(t => t.Id)
            .Select(t => new ApiTokenInfo(t.Id, t.Name, t.CreatedAt)).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Revokes a token: the next request carrying it gets 401. <see cref="InventoryException"/> (not found) for an unknown id.</summary>
    public async Task RevokeAsync(int id, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        ApiToken token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        db.ApiTokens.Remove(token);
        AuditTrail.Add(db, time.GetUtcNow().UtcDateTime, AuditActions.TokenRevoked, token.Name, detail: $"id {id}");
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw NotFound(id); // revoked meanwhile by another request or appliance
        }
    }

    private static InventoryException NotFound(int id) => new(InventoryErrorKind.NotFound, [new FieldError("id", $"no API token {id}")]);

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
