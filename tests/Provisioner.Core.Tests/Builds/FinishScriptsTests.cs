using Microsoft.Extensions.Options;
using Provisioner.Core.Access;
using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;
using Provisioner.Core.Tests.Support;

namespace Provisioner.Core.Tests.Builds;

/// <summary>The finish script at /build/{token}/finish: the site's keys as they are at the fetch, the host's own, and only while the build runs.</summary>
public sealed class FinishScriptsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("provisioner-finish-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ForToken_WhileBuilding_HasSiteAndHostKeysAndTheAdmin_AfterTheBuildNothing()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        var keys = new SshKeys(inventory.Database, inventory.Time);
        var scripts = new FinishScripts(inventory.Lookup, inventory.Templates, keys, Options.Create(new PreseedOptions { AdminUser = "ops" }));
        string site = SshKeygen.Line(_dir, comment: "site@example.org");
        string own = SshKeygen.Line(_dir, "ecdsa", 256, "own@example.org");
        HostRecord host = await inventory.Hosts.CreateAsync(TestInventory.Sample(1) with { SshKeys = [own] }, default);
        HostRecord built = await inventory.Tracker.RequestBuildAsync(host.Id, EventSources.Api, default);
        await keys.AddAsync(site, null, default);

        PreseedResult script = await scripts.ForTokenAsync(built.BuildToken!, "http://192.0.2.1:8080", default);

        Assert.Contains($"<<'PROVISIONER_KEYS'\n{site}\n{own}\nPROVISIONER_KEYS", script.Text, StringComparison.Ordinal);
        Assert.Contains("useradd --create-home --shell /bin/bash --comment 'admin (provisioner)' 'ops'", script.Text, StringComparison.Ordinal);
        Assert.Contains($"url='http://192.0.2.1:8080/build/{built.BuildToken}/booted'", script.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("NOPASSWD", script.Text, StringComparison.Ordinal);

        Assert.True(await inventory.Tracker.CallbackAsync(built.BuildToken!, CallbackKind.Finished, null, default));
        PreseedResult after = await scripts.ForTokenAsync(built.BuildToken!, "http://192.0.2.1:8080", default);
        Assert.Equal((null, "no build in progress has this token"), (after.Text, after.Reason));
        Assert.Null((await scripts.ForTokenAsync("not-a-token", "http://192.0.2.1:8080", default)).Text);
    }
}
