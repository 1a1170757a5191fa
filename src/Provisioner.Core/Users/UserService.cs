using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Provisioner.Core.Audit;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Users;

/// <summary>The web UI's accounts: the first admin, sign-in checks, password changes, new users.</summary>
public sealed partial class UserService(InventoryDatabase database, IOptions<StorageOptions> options, TimeProvider time, SignInThrottle? throttle = null)
{
    public const string InitialPasswordFile = "initial-admin-password";
    public const string FirstAdmin = "admin";
    public const int MaxNameLength = 64;
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 256;

    // Hashed when the user does not exist, so a wrong name costs as long as a wrong password.
    private static readonly Lazy<string> Decoy = new(() => PasswordHashing.Hash(Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));

    public string InitialPasswordPath => Path.GetFullPath(Path.Join(options.Value.DataDir, InitialPasswordFile));

    /// <summary>
    /// On a database with no users, creates <c>admin</c> with a random password and writes it to
    /// <see cref="InitialPasswordPath"/> (mode 0600); returns that path. Null when users exist:
    /// the file is written once, never again.
    /// </summary>
    public async Task<string?> EnsureAdminAsync(CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        if (await db.Users.AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        string password = NewPassword();
        string path = InitialPasswordPath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Created 0600 from the start: the password is never readable by others, not even briefly.
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        await using (var file = new StreamWriter(path, fileOptions))
        {
            await file.WriteLineAsync(password.AsMemory(), cancellationToken).ConfigureAwait(false);
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        DateTime now = time.GetUtcNow().UtcDateTime;
        db.Users.Add(new UserAccount { Name = FirstAdmin, PasswordHash = PasswordHashing.Hash(password), Role = UserRole.Admin, CreatedAt = now, PasswordChangedAt = now, MustChangePassword = true });
        AuditTrail.Add(db, now, AuditActions.UserAdded, FirstAdmin, detail: "the first admin, password in " + path);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            if (!await OtherAdminAsync(cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
            // Another appliance sharing the database started at the same moment and made admin first: its password stands.
            File.Delete(path);
            return null;
        }
        return path;
    }

    private async Task<bool> OtherAdminAsync(CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        return await db.Users.AnyAsync(u => u.Name == FirstAdmin, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The user when the name and password match; null otherwise (either wrong, not said which).</summary>
    public async Task<UserAccount?> CheckPasswordAsync(string name, string password, CancellationToken cancellationToken)
    {
        UserAccount? user = await FindAsync(name, cancellationToken).ConfigureAwait(false);
        if (user is null || password.Length > MaxPasswordLength)
        {
            await HashAsync(() => PasswordHashing.Verify(password.Length > MaxPasswordLength ? string.Empty : password, Decoy.Value), cancellationToken).ConfigureAwait(false);
            return null;
        }
        return await HashAsync(() => PasswordHashing.Verify(password, user.PasswordHash), cancellationToken).ConfigureAwait(false) ? user : null;
    }

    /// <summary>PBKDF2 costs ~0.3 s of a core: through the throttle's slots when there is one.</summary>
    private Task<T> HashAsync<T>(Func<T> hash, CancellationToken cancellationToken) =>
        throttle is null ? Task.FromResult(hash()) : throttle.HashAsync(hash, cancellationToken);

    public async Task<UserAccount?> FindAsync(string name, CancellationToken cancellationToken)
    {
        string key = name.Trim().ToLowerInvariant();
        await using InventoryDbContext db = database.CreateContext();
        return await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Name == key, cancellationToken).ConfigureAwait(false);
    }

    public async Task<List<UserAccount>> ListAsync(CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        return await db.Users.AsNoTracking().OrderBy(u => u.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a user; <see cref="InventoryException"/> naming the field when the name or password will not do.</summary>
    public async Task<UserAccount> AddAsync(string name, string password, UserRole role, CancellationToken cancellationToken)
    {
        string key = name.Trim().ToLowerInvariant();
        var errors = new List<FieldError>();
        if (!IsValidName(key))
        {
            errors.Add(new FieldError("name", $"'{name}' is not a user name: 1–{MaxNameLength} of a-z, 0-9, '.', '_', '-', starting with a letter or digit"));
        }
        errors.AddRange(PasswordProblems(password));
        if (errors.Count > 0)
        {
            throw new InventoryException(InventoryErrorKind.Invalid, errors);
        }
        await using InventoryDbContext db = database.CreateContext();
        if (await db.Users.AnyAsync(u => u.Name == key, cancellationToken).ConfigureAwait(false))
        {
            throw new InventoryException(InventoryErrorKind.Conflict, [new FieldError("name", $"user '{key}' exists already")]);
        }
        DateTime now = time.GetUtcNow().UtcDateTime;
        var user = new UserAccount { Name = key, PasswordHash = PasswordHashing.Hash(password), Role = role, CreatedAt = now, PasswordChangedAt = now, MustChangePassword = true };
        db.Users.Add(user);
        AuditTrail.Add(db, now, AuditActions.UserAdded, key, detail: "role " + role.ToString().ToLowerInvariant());
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return user;
    }

    /// <summary>
    /// Changes a user's own password after checking the current one. The first admin's password
    /// file has served its purpose then and is removed.
    /// </summary>
    public async Task ChangePasswordAsync(string name, string current, string replacement, CancellationToken cancellationToken)
    {
        if (await CheckPasswordAsync(name, current, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new InventoryException(InventoryErrorKind.Invalid, [new FieldError("current", "the current password is not right")]);
        }
        if (replacement == current)
        {
            throw new InventoryException(InventoryErrorKind.Invalid, [new FieldError("password", "the new password must differ from the current one")]);
        }
        await SetPasswordAsync(name, replacement, cancellationToken, own: true).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets a password without the current one: for <c>provisioner users passwd</c> on the appliance
    /// itself. Unless <paramref name="own"/>, the user is asked for a new one at the next sign-in.
    /// </summary>
    public async Task SetPasswordAsync(string name, string password, CancellationToken cancellationToken, bool own = false)
    {
        List<FieldError> errors = PasswordProblems(password).ToList();
        if (errors.Count > 0)
        {
            throw new InventoryException(InventoryErrorKind.Invalid, errors);
        }
        string key = name.Trim().ToLowerInvariant();
        await using InventoryDbContext db = database.CreateContext();
        UserAccount user = await db.Users.FirstOrDefaultAsync(u => u.Name == key, cancellationToken).ConfigureAwait(false)
            ?? throw new InventoryException(InventoryErrorKind.NotFound, [new FieldError("name", $"no user '{key}'")]);
        user.PasswordHash = PasswordHashing.Hash(password);
        user.PasswordChangedAt = time.GetUtcNow().UtcDateTime;
        user.MustChangePassword = !own;
        AuditTrail.Add(db, user.PasswordChangedAt, AuditActions.UserPassword, key, detail: own ? "changed by the user" : "set for the user, who must choose a new one at the next sign-in");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        if (key == FirstAdmin)
        {
            File.Delete(InitialPasswordPath);
        }
    }

    /// <summary>Whether a session opened with <paramref name="stamp"/> still speaks for the account (see <see cref="SessionStamp"/>).</summary>
    public async Task<bool> SessionIsCurrentAsync(string name, string stamp, CancellationToken cancellationToken) =>
        await FindAsync(name, cancellationToken).ConfigureAwait(false) is { } user && SessionStamp.Of(user) == stamp;

    /// <summary>Removes a user; its sessions end at their next request. The last admin cannot be removed.</summary>
    public async Task RemoveAsync(string name, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        UserAccount user = await FindTrackedAsync(db, name, cancellationToken).ConfigureAwait(false);
        await RefuseLosingLastAdminAsync(db, user, "removed", cancellationToken).ConfigureAwait(false);
        db.Users.Remove(user);
        AuditTrail.Add(db, time.GetUtcNow().UtcDateTime, AuditActions.UserRemoved, user.Name, detail: "role " + user.Role.ToString().ToLowerInvariant());
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives a user another role; its sessions end at their next request. The last admin keeps its role.</summary>
    public async Task SetRoleAsync(string name, UserRole role, CancellationToken cancellationToken)
    {
        await using InventoryDbContext db = database.CreateContext();
        UserAccount user = await FindTrackedAsync(db, name, cancellationToken).ConfigureAwait(false);
        if (user.Role == role)
        {
            return;
        }
        await RefuseLosingLastAdminAsync(db, user, "made a viewer", cancellationToken).ConfigureAwait(false);
        AuditTrail.Add(db, time.GetUtcNow().UtcDateTime, AuditActions.UserRole, user.Name, detail: $"{user.Role.ToString().ToLowerInvariant()} → {role.ToString().ToLowerInvariant()}");
        user.Role = role;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<UserAccount> FindTrackedAsync(InventoryDbContext db, string name, CancellationToken cancellationToken)
    {
        string key = name.Trim().ToLowerInvariant();
        return await db.Users.FirstOrDefaultAsync(u => u.Name == key, cancellationToken).ConfigureAwait(false)
            ?? throw new InventoryException(InventoryErrorKind.NotFound, [new FieldError("name", $"no user '{key}'")]);
    }

    private static async Task RefuseLosingLastAdminAsync(InventoryDbContext db, UserAccount user, string what, CancellationToken cancellationToken)
    {
        if (user.Role == UserRole.Admin && await db.Users.CountAsync(u => u.Role == UserRole.Admin, cancellationToken).ConfigureAwait(false) == 1)
        {
            throw new InventoryException(InventoryErrorKind.Conflict, [new FieldError("name", $"'{user.Name}' is the last admin and cannot be {what}: make another admin first")]);
        }
    }

    public static bool IsValidName(string name) => name.Length <= MaxNameLength && NamePattern().IsMatch(name);

    private static IEnumerable<FieldError> PasswordProblems(string password)
    {
        if (password.Length < MinPasswordLength || password.Length > MaxPasswordLength)
        {
            yield return new FieldError("password", $"a password has {MinPasswordLength}–{MaxPasswordLength} characters");
        }
    }

    /// <summary>A generated password: 20 characters from an alphabet without look-alikes (0/O, 1/l/I), about 115 bits.</summary>
    public static string NewPassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return string.Create(20, alphabet, (chars, a) =>
        {
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = a[RandomNumberGenerator.GetInt32(a.Length)];
            }
        });
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex NamePattern();
}
