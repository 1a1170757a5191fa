using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Inventory;

/// <summary>
/// The REST API's OpenAPI document (<c>/openapi/v1.json</c>) checked against the running appliance:
/// it names every API operation and no other, each one it names is routed and guarded by a bearer
/// token as it says, and what the real GETs answer has the properties its schemas declare.
/// </summary>
[Trait("Category", "System")]
public sealed class OpenApiTests : IAsyncLifetime
{
    private InventoryAppliance _app = null!;

    public async Task InitializeAsync() => _app = await InventoryAppliance.StartAsync(TestDatabase.Sqlite());

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>The API as the endpoint classes map it: a route added or dropped must show here and in the document.</summary>
    private static readonly string[] Operations =
    [
        "GET /api/audit",
        "GET /api/bindings",
        "GET /api/dhcp/leases",
        "GET /api/discovered", "POST /api/discovered/{mac}/register", "POST /api/discovered/{mac}/dismiss",
        "GET /api/export", "POST /api/import",
        "GET /api/groups", "POST /api/groups", "GET /api/groups/{key}", "PUT /api/groups/{id}", "PATCH /api/groups/{id}", "DELETE /api/groups/{id}",
        "GET /api/hosts", "POST /api/hosts", "GET /api/hosts/{key}", "PUT /api/hosts/{id}", "PATCH /api/hosts/{id}", "DELETE /api/hosts/{id}",
        "POST /api/hosts/{id}/build", "POST /api/hosts/{id}/cancel", "GET /api/hosts/{id}/events", "GET /api/hosts/{id}/log", "GET /api/hosts/{id}/transfers",
        "GET /api/hosts/{id}/bmc", "PUT /api/hosts/{id}/bmc", "DELETE /api/hosts/{id}/bmc", "GET /api/hosts/{id}/power", "POST /api/hosts/{id}/power",
        "POST /api/hosts/{id}/build-and-power-cycle", "GET /api/power", "POST /api/power",
        "GET /api/keys", "POST /api/keys", "DELETE /api/keys/{id}",
        "GET /api/tokens", "DELETE /api/tokens/{id}",
    ];

    [Fact]
    public async Task Document_NamesEveryApiOperation_EachRoutedBehindBearer_GetsMatchTheirSchemas()
    {
        using HttpResponseMessage response = await _app.Anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonNode document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.StartsWith("3.1", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("http", document["components"]!["securitySchemes"]!["bearer"]!["type"]!.GetValue<string>());
        Assert.True(document["security"]!.AsArray().Single()!.AsObject().ContainsKey("bearer"));

        // Exactly the API: no boot file, preseed, callback or page is in it.
        JsonObject paths = document["paths"]!.AsObject();
        string[] documented = paths.SelectMany(p => p.Value!.AsObject()
            .Where(o => o.Key is "get" or "post" or "put" or "patch" or "delete")
            .Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Operations.Order(StringComparer.Ordinal), documented);

        // Something to address: a group, a host in it, a key.
        (await _app.Api.PostAsJsonAsync("/api/groups", new { name = "rack-a", gateway = "192.0.2.1" })).EnsureSuccessStatusCode();
        using HttpResponseMessage created = await _app.Api.PostAsJsonAsync("/api/hosts", new
        {
            mac = "52:54:00:00:00:11", hostname = "web01", ip = "192.0.2.11/24", profile = "debian12", group = "rack-a",
            settings = new { timeZone = "Europe/Berlin" },
        });
        created.EnsureSuccessStatusCode();
        int id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        (await _app.Api.PostAsJsonAsync($"/api/hosts/{id}/build", new { })).EnsureSuccessStatusCode();

        foreach (string operation in Operations)
        {
            string[] parts = operation.Split(' ');
            string path = parts[1].Replace("{id}", id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{key}", parts[1].Contains("groups", StringComparison.Ordinal) ? "rack-a" : "web01", StringComparison.Ordinal)
                .Replace("{mac}", "52:54:00:00:00:99", StringComparison.Ordinal);
            var method = new HttpMethod(parts[0]);

            // Routed, and refused without the token the document asks for (an unrouted path would be 404).
            using (var anonymous = new HttpRequestMessage(method, path))
            using (HttpResponseMessage refused = await _app.Anonymous.SendAsync(anonymous))
            {
                Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{operation} without a token: {(int)refused.StatusCode}");
            }
            if (parts[0] != "GET")
            {
                continue;
            }

            // With the token, a GET answers with a status the document lists, and its JSON has only the properties declared.
            JsonObject get = paths[parts[1]]!["get"]!.AsObject();
            using HttpResponseMessage answer = await _app.Api.GetAsync(path);
            string status = ((int)answer.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(get["responses"]!.AsObject().ContainsKey(status), $"{operation} answered {status}, not in {get["responses"]!.ToJsonString()}");
            JsonNode? schema = get["responses"]![status]!["content"]?["application/json"]?["schema"];
            if (schema is null)
            {
                continue;
            }
            Assert.Equal("application/json", answer.Content.Headers.ContentType?.MediaType);
            JsonNode body = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
            CheckShape(document, schema, body, operation);
        }
    }

    /// <summary>Arrays against their items, objects against their declared properties (which must include every key the server sent).</summary>
    private static void CheckShape(JsonNode document, JsonNode schema, JsonNode value, string where)
    {
        schema = Resolve(document, schema);
        if (value is JsonArray array)
        {
            Assert.True(Types(schema).Contains("array"), $"{where}: an array where the document says {schema.ToJsonString()}");
            foreach (JsonNode? item in array.Take(3))
            {
                CheckShape(document, schema["items"]!, item!, where + "[]");
            }
        }
        else if (value is JsonObject obj && schema["properties"] is JsonObject declared)
        {
            foreach ((string key, JsonNode? inner) in obj)
            {
                Assert.True(declared.ContainsKey(key), $"{where}: property '{key}' is not in the document's {string.Join(", ", declared.Select(d => d.Key))}");
                if (inner is not null)
                {
                    CheckShape(document, declared[key]!, inner, $"{where}.{key}");
                }
            }
        }
    }

    private static JsonNode Resolve(JsonNode document, JsonNode schema) =>
        schema["$ref"]?.GetValue<string>() is { } reference
            ? Resolve(document, document["components"]!["schemas"]![reference.Split('/')[^1]]!)
            : schema;

    private static IEnumerable<string> Types(JsonNode schema) => schema["type"] switch
    {
        JsonArray many => many.Select(t => t!.GetValue<string>()),
        JsonValue one => [one.GetValue<string>()],
        _ => [],
    };
}
