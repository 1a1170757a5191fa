using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Inventory;

/// <summary>
/// The audit trail through the running appliance: an API token's and a CLI user's changes and build
/// requests, each named with its actor in <c>/api/audit</c> (paged, filtered) and on the host's timeline.
/// </summary>
public abstract class AuditApiTests : IAsyncLifetime
{
    private readonly Func<TestDatabase> _database;
    private InventoryAppliance _app = null!;

    private protected AuditApiTests(Func<TestDatabase> database) => _database = database;

    public async Task InitializeAsync() => _app = await InventoryAppliance.StartAsync(_database());

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Who the CLI runs as here: the user who ran sudo, else this process's user (as the appliance reads it).</summary>
    private static string CliUser => Environment.GetEnvironmentVariable("SUDO_USER") is { Length: > 0 } sudo ? sudo : Environment.UserName;

    [Fact]
    public async Task ChangesAndBuilds_NameWhoDidThem_PagedAndFiltered()
    {
        string ciToken = (await _app.CliAsync("token", "create", "--name", "ci-runner")).StandardOutput.Trim();
        using var ci = new HttpClient { BaseAddress = new Uri(_app.HttpBase), Timeout = TimeSpan.FromSeconds(30) };
        ci.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ciToken);
        using HttpResponseMessage created = await ci.PostAsJsonAsync("/api/hosts",
            new { mac = "52:54:00:12:34:01", hostname = "audit01", ip = "192.0.2.31/24", gateway = "192.0.2.1", profile = "debian12" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        int id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        ProcessResult edit = await _app.CliAsync("hosts", "edit", "audit01", "--notes", "rack 4, slot 2");
        Assert.True(edit.ExitCode == 0, edit.Output);
        Assert.Equal(HttpStatusCode.OK, (await ci.PostAsync($"/api/hosts/{id}/build", null)).StatusCode);
        ProcessResult cancel = await _app.CliAsync("hosts", "cancel", "audit01");
        Assert.True(cancel.ExitCode == 0, cancel.Output);

        using HttpResponseMessage first = await _app.Api.GetAsync($"/api/audit?host={id}&limit=2");
        JsonElement[] newest = (await first.Content.ReadFromJsonAsync<JsonElement[]>())!;
        Assert.Equal("4", first.Headers.GetValues("X-Total-Count").Single());
        string next = first.Headers.GetValues("Link").Single();
        Assert.Matches($"^</api/audit\\?host={id}&limit=2&before=\\d+>; rel=\"next\"$", next);
        JsonElement[] older = (await _app.Api.GetFromJsonAsync<JsonElement[]>(next[1..next.IndexOf('>', StringComparison.Ordinal)]))!;
        JsonElement[] all = [.. newest, .. older];

        Assert.Equal(["build.cancel", "build.request", "host.edit", "host.add"], all.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal([CliUser, "ci-runner", CliUser, "ci-runner"], all.Select(e => e.GetProperty("actor").GetString()));
        Assert.Equal(["cli", "api", "cli", "api"], all.Select(e => e.GetProperty("via").GetString()));
        Assert.All(all, e => Assert.Equal("audit01", e.GetProperty("target").GetString()));
        Assert.Equal("notes: (none) → rack 4, slot 2", all[2].GetProperty("detail").GetString());

        // The build's own steps say who asked.
        JsonElement[] timeline = (await _app.Api.GetFromJsonAsync<JsonElement[]>($"/api/hosts/{id}/events"))!;
        Assert.Equal(["token ci-runner", $"{CliUser} (cli)"], timeline.Where(e => e.GetProperty("actor").ValueKind == JsonValueKind.String).Select(e => e.GetProperty("actor").GetString()));

        // Filters: by kind, by actor; a token made on the CLI is there too.
        JsonElement[] builds = (await _app.Api.GetFromJsonAsync<JsonElement[]>("/api/audit?action=build"))!;
        Assert.Equal(2, builds.Length);
        JsonElement[] byCi = (await _app.Api.GetFromJsonAsync<JsonElement[]>("/api/audit?actor=ci-runner"))!;
        Assert.Equal(["build.request", "host.add"], byCi.Select(e => e.GetProperty("action").GetString()));
        JsonElement token = Assert.Single((await _app.Api.GetFromJsonAsync<JsonElement[]>("/api/audit?action=token.create&target=ci-runner"))!);
        Assert.Equal(CliUser, token.GetProperty("actor").GetString());
    }

    [Theory]
    [InlineData("limit=0", "limit must be between 1 and 1000")]
    [InlineData("limit=1001", "limit must be between 1 and 1000")]
    [InlineData("action=host.explode", "action 'host.explode' is none of: host.add")]
    public async Task BadQuery_IsRefusedSayingWhy(string query, string why)
    {
        using HttpResponseMessage response = await _app.Api.GetAsync($"/api/audit?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(why, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAToken_Refused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.Anonymous.GetAsync("/api/audit")).StatusCode);
    }
}

[Trait("Category", "System")]
public sealed class AuditApiSqliteTests : AuditApiTests
{
    public AuditApiSqliteTests()
        : base(TestDatabase.Sqlite)
    {
    }
}

[Trait("Category", "System")]
public sealed class AuditApiPostgresTests : AuditApiTests
{
    public AuditApiPostgresTests()
        : base(TestDatabase.Postgres)
    {
    }
}
