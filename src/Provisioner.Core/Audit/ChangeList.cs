using System.Text.Json;

namespace Provisioner.Core.Audit;

/// <summary>
/// What differs between two states of the same object, as an audit entry's detail:
/// <c>ip: 192.0.2.10/24 → 192.0.2.11/24; settings.timeZone: (none) → Europe/Berlin</c>. Compares the
/// objects as the API writes them (camelCase JSON), so field names are the ones operators type.
/// </summary>
public static class ChangeList
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The changes, or null when nothing differs.</summary>
    public static string? Describe<T>(T before, T after)
    {
        var changes = new List<string>();
        Compare(JsonSerializer.SerializeToElement(before, Json), JsonSerializer.SerializeToElement(after, Json), string.Empty, changes, created: false);
        return changes.Count == 0 ? null : string.Join("; ", changes);
    }

    /// <summary>The values <paramref name="created"/> was made with (those not empty): <c>mac: 52:54:00:aa:00:01; ip: 192.0.2.21/24</c>.</summary>
    public static string? Values<T>(T created) where T : new()
    {
        var values = new List<string>();
        Compare(JsonSerializer.SerializeToElement(new T(), Json), JsonSerializer.SerializeToElement(created, Json), string.Empty, values, created: true);
        return values.Count == 0 ? null : string.Join("; ", values);
    }

    private static void Compare(JsonElement before, JsonElement after, string prefix, List<string> changes, bool created)
    {
        var names = new List<string>();
        foreach (JsonProperty p in before.EnumerateObject())
        {
            names.Add(p.Name);
        }
        foreach (JsonProperty p in after.EnumerateObject())
        {
            if (!names.Contains(p.Name))
            {
                names.Add(p.Name);
            }
        }
        foreach (string name in names)
        {
            JsonElement old = before.TryGetProperty(name, out JsonElement o) ? o : default;
            JsonElement now = after.TryGetProperty(name, out JsonElement n) ? n : default;
            string path = prefix + name;
            if (old.ValueKind == JsonValueKind.Object && now.ValueKind == JsonValueKind.Object)
            {
                Compare(old, now, path + ".", changes, created);
                continue;
            }
            string was = Text(old);
            string is_ = Text(now);
            if (was != is_)
            {
                changes.Add(created ? $"{path}: {is_}" : $"{path}: {was} → {is_}");
            }
        }
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => "(none)",
        JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : "(none)",
        JsonValueKind.Array => value.GetArrayLength() == 0 ? "(none)" : string.Join(", ", value.EnumerateArray().Select(Text)),
        JsonValueKind.Object => value.EnumerateObject().Any(p => p.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)) ? value.GetRawText() : "(none)",
        _ => value.GetRawText(),
    };
}
