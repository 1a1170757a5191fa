using Provisioner.Core.Access;
using Provisioner.Core.Inventory;
using Provisioner.Core.Tests.Support;

namespace Provisioner.Core.Tests.Access;

/// <summary>The site's keys and a host's own keys, stored in a real SQLite inventory; keys from the real ssh-keygen.</summary>
public sealed class SshKeysTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("provisioner-keys-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Add_SeveralLines_StoredOnceEach_ListedAndRemoved()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        var keys = new SshKeys(inventory.Database, inventory.Time);
        string ed25519 = SshKeygen.Line(_dir, comment: "alice@example.org");
        string rsa = SshKeygen.Line(_dir, "rsa", 3072, "bob@example.org");

        List<SshKeyInfo> added = await keys.AddAsync($"# the ops team\n{ed25519}\n\n{rsa}\n", name: null, default);

        Assert.Equal([("alice@example.org", "ED25519", 256), ("bob@example.org", "RSA", 3072)], added.Select(k => (k.Name, k.Algorithm, k.Bits)));
        Assert.Equal([ed25519, rsa], await keys.LinesAsync(default));
        await keys.RemoveAsync(added[0].Id, default);
        Assert.Equal([rsa], (await keys.ListAsync(default)).Select(k => k.Line));
        InventoryException missing = await Assert.ThrowsAsync<InventoryException>(() => keys.RemoveAsync(added[0].Id, default));
        Assert.Equal(InventoryErrorKind.NotFound, missing.Kind);
    }

    [Fact]
    public async Task Add_OneBadLineOrAKeyStoredAlready_RefusedNamingIt_NothingSaved()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        var keys = new SshKeys(inventory.Database, inventory.Time);
        string good = SshKeygen.Line(_dir, comment: "a");
        string weak = SshKeygen.Line(_dir, "rsa", 1024, "old");

        InventoryException bad = await Assert.ThrowsAsync<InventoryException>(() => keys.AddAsync($"{good}\n{weak}", null, default));
        Assert.Equal(InventoryErrorKind.Invalid, bad.Kind);
        Assert.Equal("key: line 2: RSA key of 1024 bits: at least 2048 are required (ssh-keygen -t ed25519 makes a better key)", Assert.Single(bad.Errors).ToString());
        Assert.Empty(await keys.ListAsync(default));

        await keys.AddAsync(good, "laptop", default);
        InventoryException again = await Assert.ThrowsAsync<InventoryException>(() => keys.AddAsync($"{SshKeygen.Line(_dir)}\n{good}", null, default));
        Assert.Equal(InventoryErrorKind.Conflict, again.Kind);
        Assert.Matches(@"^key: key SHA256:\S+ is already stored, as 'laptop' \(id 1\)$", Assert.Single(again.Errors).ToString());
        Assert.Single(await keys.ListAsync(default));

        Assert.Contains("no key given", (await Assert.ThrowsAsync<InventoryException>(() => keys.AddAsync("\n# nothing\n", null, default))).Message, StringComparison.Ordinal);
        Assert.Contains("is given 2 times", (await Assert.ThrowsAsync<InventoryException>(() => keys.AddAsync($"{good}\n{good}", null, default))).Message, StringComparison.Ordinal);
        Assert.Equal("name", Assert.Single((await Assert.ThrowsAsync<InventoryException>(() => keys.AddAsync(SshKeygen.Line(_dir), new string('n', 129), default))).Errors).Field);
    }

    [Fact]
    public async Task HostKeys_ValidatedPerLine_StoredNormalised()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        string key = SshKeygen.Line(_dir, "ecdsa", 384, "carol@example.org");

        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1) with { SshKeys = [$"  {key.Replace(" ", "   ", StringComparison.Ordinal)}  "] }, default);
        Assert.Equal([key], host.SshKeys);
        Assert.Equal([key], (await inventory.Hosts.FindAsync(host.Mac, default))!.SshKeys);

        InventoryException refused = await Assert.ThrowsAsync<InventoryException>(() =>
            inventory.Hosts.CreateAsync(TestInventory.Sample(2) with { SshKeys = [key, "ssh-rsa AAAA", key] }, default));
        Assert.Equal(["sshKeys: line 2: the key data is cut short", "sshKeys: line 3: the same key (" + refused.Errors[1].Message.Split('(', ')')[1] + ") as an earlier line"],
            refused.Errors.Select(e => e.ToString()));
        Assert.Null(await inventory.Hosts.FindAsync(TestInventory.Sample(2).Mac!, default));
    }
}
