using Microsoft.Playwright;

namespace Provisioner.SystemTests.Support;

/// <summary>
/// A web UI test inside a network namespace: Chromium runs in the namespace (its launcher enters it
/// first), so it reaches the appliance there and nothing else; closed after the test, before the namespaces go.
/// </summary>
public abstract class NamespaceUiTest : NamespaceTest
{
    private UiBrowser? _browser;

    /// <summary>A page at <paramref name="httpBase"/>, signed in as admin with the password the appliance wrote to <c>DIR/data/initial-admin-password</c>.</summary>
    internal async Task<IPage> AdminPageAsync(NetworkNamespace ns, string dir, string httpBase)
    {
        _browser ??= await UiBrowser.LaunchInNamespaceAsync(ns, dir);
        IPage page = await _browser.NewPageAsync(httpBase);
        await UiBrowser.SignInAsync(page, "admin", (await File.ReadAllTextAsync(Path.Join(dir, "data", "initial-admin-password"))).Trim());
        return page;
    }

    public override async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}
