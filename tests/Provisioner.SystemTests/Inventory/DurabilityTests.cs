using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Inventory;

/// <summary>kill -9 while hosts are being created: every creation that was answered 201 survives, intact.</summary>
[Trait("Category", "System")]
public sealed class DurabilityTests
{
    private const int Hosts = 1000;
    private const int Writers = 4;

    [Fact]
    public async Task KillNine_WhileCreating1000Hosts_EveryAcknowledgedHostSurvivesIntact()
    {
        await using InventoryAppliance app = await InventoryAppliance.StartAsync(TestDatabase.Sqlite());
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<int, JsonElement>();
        int next = -1;
        using var killed = new CancellationTokenSource();

        async Task WriterAsync()
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < Hosts)
            {
                try
                {
                    using HttpResponseMessage response = await app.Api.PostAsJsonAsync("/api/hosts", Fields(n), killed.Token);
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        acknowledged[n] = await response.Content.ReadFromJsonAsync<JsonElement>(killed.Token);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
                {
                    return;
                }
            }
        }

        Task[] writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(WriterAsync)).ToArray();
        // Kill in the middle of the run, with requests in flight.
        for (int i = 0; i < 600 && acknowledged.Count < Hosts / 3; i++)
        {
            await Task.Delay(50);
        }
        await app.KillHardAsync();
        await killed.CancelAsync();
        await Task.WhenAll(writers);
        Assert.InRange(acknowledged.Count, 1, Hosts - 1);

        await app.RestartAsync();

        List<JsonElement> all = await HostPages.AllAsync(app.Api);
        Dictionary<int, JsonElement> stored = all.ToDictionary(h => h.GetProperty("id").GetInt32());
        foreach ((int n, JsonElement created) in acknowledged)
        {
            int id = created.GetProperty("id").GetInt32();
            Assert.True(stored.TryGetValue(id, out JsonElement host), $"host {n} (id {id}) was acknowledged but is gone");
            Assert.Equal(created.GetRawText(), host.GetRawText());
            Assert.Equal(Fields(n)["hostname"], host.GetProperty("hostname").GetString());
        }
        // The database is still writable after the crash.
        using HttpResponseMessage after = await app.Api.PostAsJsonAsync("/api/hosts", Fields(Hosts + 1));
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
    }

    private static Dictionary<string, object?> Fields(int n) => new()
    {
        ["mac"] = $"02:00:00:00:{n >> 8:x2}:{n & 0xff:x2}",
        ["hostname"] = $"dur{n:0000}",
        // Inventory data only: nothing is sent to these addresses.
        ["ip"] = $"192.0.{2 + (n >> 8)}.{n & 0xff}/16",
        ["notes"] = $"created by writer for host {n}",
    };
}
