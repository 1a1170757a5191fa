using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Inventory;

/// <summary>API tokens listed and revoked, by the API and by the CLI: a revoked token gets 401 at its next request.</summary>
[Trait("Category", "System")]
public sealed class TokenApiTests : IAsyncLifetime
{
    private InventoryAppliance _app = null!;

    public async Task InitializeAsync() => _app = await InventoryAppliance.StartAsync(TestDatabase.Sqlite());

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Tokens_ListedWithoutSecrets_RevokedByApiAndCli_ThenRefused()
    {
        string laptop = (await _app.CliAsync("token", "create", "--name", "laptop")).StandardOutput.Trim();
        string ci = (await _app.CliAsync("token", "create", "--name", "ci")).StandardOutput.Trim();
        using HttpClient asLaptop = Client(laptop);
        using HttpClient asCi = Client(ci);
        Assert.Equal(HttpStatusCode.OK, (await asLaptop.GetAsync("/api/hosts")).StatusCode);

        string listed = await _app.Api.GetStringAsync("/api/tokens");
        Assert.DoesNotContain(laptop, listed, StringComparison.Ordinal);
        JsonElement[] tokens = JsonSerializer.Deserialize<JsonElement[]>(listed)!;
        Assert.Equal(["tests", "laptop", "ci"], tokens.Select(t => t.GetProperty("name").GetString()));

        using (HttpResponseMessage revoked = await _app.Api.DeleteAsync($"/api/tokens/{tokens[1].GetProperty("id").GetInt32()}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await asLaptop.GetAsync("/api/hosts")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _app.Api.DeleteAsync($"/api/tokens/{tokens[1].GetProperty("id").GetInt32()}")).StatusCode);

        ProcessResult cli = await _app.CliAsync("token", "revoke", tokens[2].GetProperty("id").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(cli.ExitCode == 0, cli.Output);
        Assert.Equal(HttpStatusCode.Unauthorized, (await asCi.GetAsync("/api/hosts")).StatusCode);
        Assert.Contains("tests", (await _app.CliAsync("token", "list")).StandardOutput, StringComparison.Ordinal);
        Assert.Equal(3, (await _app.CliAsync("token", "revoke", "999")).ExitCode);
    }

    private HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(_app.HttpBase), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
