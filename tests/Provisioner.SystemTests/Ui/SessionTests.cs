using System.Net;
using System.Text.RegularExpressions;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Ui;

/// <summary>
/// A web UI session ends when its account changes: it outlived a password change (and restarts)
/// before. Signed in over plain HTTP, as a browser would (the form, its antiforgery token, the
/// session cookie), with the account changed by the CLI on the same inventory.
/// </summary>
[Trait("Category", "System")]
public sealed partial class SessionTests : IAsyncLifetime
{
    private InventoryAppliance _app = null!;

    public async Task InitializeAsync() => _app = await InventoryAppliance.StartAsync(TestDatabase.Sqlite());

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("users", "passwd", "ops")]
    [InlineData("users", "role", "ops", "viewer")]
    [InlineData("users", "remove", "ops")]
    public async Task Session_AccountChangedElsewhere_EndsAtTheNextRequest(params string[] change)
    {
        ProcessResult added = await _app.CliAsync("users", "add", "ops", "--role", "admin");
        Assert.True(added.ExitCode == 0, added.Output);
        using HttpClient browser = await SignedInAsync("ops", added.StandardOutput.Trim());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);

        ProcessResult changed = await _app.CliAsync(change);
        Assert.True(changed.ExitCode == 0, changed.Output);

        using HttpResponseMessage after = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/login", new Uri(new Uri(_app.HttpBase), after.Headers.Location!).AbsolutePath);
    }

    /// <summary>A client with its own cookies, signed in through the form.</summary>
    private async Task<HttpClient> SignedInAsync(string name, string password)
    {
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(_app.HttpBase),
            Timeout = TimeSpan.FromSeconds(30),
        };
        string form = await browser.GetStringAsync("/login");
        string token = AntiforgeryField().Match(form).Groups["token"].Value;
        using HttpResponseMessage signedIn = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Name"] = name, ["Password"] = password, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return browser;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
