using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Inventory;

/// <summary>Bearer tokens for the API: created by the CLI, checked on every API request.</summary>
public sealed class ApiTokens(InventoryDatabase database, TimeProvider time)
{
    private const string Prefix = "prov_";

    /// <summary>Stores a new token's hash and returns the token: the only time it is seen.</summary>
    public async Task<string> CreateAsync(string name, CancellationToken cancellationToken)
    {
        string token = Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        await using InventoryDbContext db = database.CreateContext();
        db.ApiTokens.Add(new ApiToken { Name = name, Hash = Hash(token), CreatedAt = time.GetUtcNow().UtcDateTime });
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

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
