using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Access;

/// <summary>
/// SSH keys through the CLI (<c>provisioner keys</c>) and the API, with keys from the real ssh-keygen:
/// good keys stored once, a bad line refused naming it (and nothing of the batch saved), a host's own keys.
/// </summary>
[Trait("Category", "System")]
public sealed class KeyApiTests : IAsyncLifetime
{
    private readonly TestFiles _files = new();
    private InventoryAppliance _app = null!;

    public async Task InitializeAsync() => _app = await InventoryAppliance.StartAsync(TestDatabase.Sqlite());

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _files.Dispose();
    }

    [Fact]
    public async Task Keys_AddedByCliAndApi_BadLinesRefusedNamingThem_RemovedByBoth()
    {
        string alice = await SshKeyFiles.NewKeyAsync(_files.Root, "ed25519", 0, "alice@example.org");
        string bob = await SshKeyFiles.NewKeyAsync(_files.Root, "ecdsa", 256, "bob@example.org");
        string weak = await SshKeyFiles.NewKeyAsync(_files.Root, "rsa", 1024, "old@example.org");
        string good = Path.Join(_files.Root, "good.pub");
        await File.WriteAllTextAsync(good, $"{alice}\n{bob}\n");
        string bad = Path.Join(_files.Root, "bad.pub");
        await File.WriteAllTextAsync(bad, $"# new laptop\n{await SshKeyFiles.NewKeyAsync(_files.Root, "ed25519", 0, "carol")}\n{weak}\n");

        ProcessResult added = await _app.CliAsync("keys", "add", good);
        Assert.True(added.ExitCode == 0, added.Output);
        Assert.Matches(@"^added key 1: 256 SHA256:\S+ alice@example.org \(ED25519\)\nadded key 2: 256 SHA256:\S+ bob@example.org \(ECDSA\)\n$", added.StandardOutput);
        ProcessResult refused = await _app.CliAsync("keys", "add", bad);
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("provisioner: key: line 3: RSA key of 1024 bits: at least 2048 are required (ssh-keygen -t ed25519 makes a better key)\n", refused.StandardError);

        JsonElement[] listed = (await _app.Api.GetFromJsonAsync<JsonElement[]>("/api/keys"))!;
        Assert.Equal([alice, bob], listed.Select(k => k.GetProperty("line").GetString()));

        using (HttpResponseMessage again = await _app.Api.PostAsJsonAsync("/api/keys", new { key = bob }))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Contains("is already stored, as 'bob@example.org' (id 2)", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (HttpResponseMessage cut = await _app.Api.PostAsJsonAsync("/api/keys", new { key = alice[..^30] }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, cut.StatusCode);
            JsonElement problem = await cut.Content.ReadFromJsonAsync<JsonElement>();
            Assert.StartsWith("line 1: ", problem.GetProperty("errors").GetProperty("key")[0].GetString(), StringComparison.Ordinal);
        }
        using (HttpResponseMessage named = await _app.Api.PostAsJsonAsync("/api/keys", new { key = await SshKeyFiles.NewKeyAsync(_files.Root, "rsa", 3072, ""), name = "deploy robot" }))
        {
            Assert.Equal(HttpStatusCode.Created, named.StatusCode);
            JsonElement key = (await named.Content.ReadFromJsonAsync<JsonElement[]>())![0];
            Assert.Equal(("deploy robot", "RSA", 3072), (key.GetProperty("name").GetString(), key.GetProperty("algorithm").GetString(), key.GetProperty("bits").GetInt32()));
        }

        Assert.Equal(HttpStatusCode.NoContent, (await _app.Api.DeleteAsync("/api/keys/1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _app.Api.DeleteAsync("/api/keys/1")).StatusCode);
        Assert.Equal(0, (await _app.CliAsync("keys", "remove", "2")).ExitCode);
        Assert.Equal(3, (await _app.CliAsync("keys", "remove", "2")).ExitCode);
        Assert.Matches(@"^3 +3072 SHA256:\S+ deploy robot \(RSA\)\n$", (await _app.CliAsync("keys", "list")).StandardOutput);
    }

    [Fact]
    public async Task HostKeys_SetByApi_BadLineRefusedNamingIt()
    {
        string key = await SshKeyFiles.NewKeyAsync(_files.Root, "ed25519", 0, "dave@example.org");
        using (HttpResponseMessage refused = await _app.Api.PostAsJsonAsync("/api/hosts", new { mac = "52:54:00:aa:00:01", hostname = "web01", ip = "192.0.2.21/24", sshKeys = new[] { key, "ssh-dss AAAA" } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            JsonElement problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("line 2: DSA keys (ssh-dss) are not accepted: OpenSSH no longer supports them; use an ed25519 key", problem.GetProperty("errors").GetProperty("sshKeys")[0].GetString());
        }
        Assert.Empty((await _app.Api.GetFromJsonAsync<JsonElement[]>("/api/hosts?search=web01"))!);

        using HttpResponseMessage created = await _app.Api.PostAsJsonAsync("/api/hosts", new { mac = "52:54:00:aa:00:01", hostname = "web01", ip = "192.0.2.21/24", sshKeys = new[] { key } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal([key], (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sshKeys").EnumerateArray().Select(k => k.GetString()));
    }
}
