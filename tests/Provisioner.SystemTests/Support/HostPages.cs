using System.Net.Http.Json;
using System.Text.Json;

namespace Provisioner.SystemTests.Support;

/// <summary>Reads the whole host list through the API the way a client should: page after page, following <c>Link: rel="next"</c>.</summary>
internal static class HostPages
{
    public static async Task<List<JsonElement>> AllAsync(HttpClient api, string first = "/api/hosts")
    {
        var hosts = new List<JsonElement>();
        string? next = first;
        for (int pages = 0; next is not null; pages++)
        {
            Assert.True(pages < 10_000, "the pages never end");
            using HttpResponseMessage response = await api.GetAsync(next);
            response.EnsureSuccessStatusCode();
            hosts.AddRange((await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
            next = NextLink(response);
        }
        return hosts;
    }

    /// <summary>The target of the <c>rel="next"</c> link (RFC 8288), or null on the last page.</summary>
    public static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out IEnumerable<string>? values))
        {
            return null;
        }
        foreach (string link in values.SelectMany(v => v.Split(',')))
        {
            string[] parts = link.Split(';', StringSplitOptions.TrimEntries);
            if (parts.Length > 1 && parts[0].StartsWith('<') && parts[0].EndsWith('>') && parts.Skip(1).Contains("rel=\"next\""))
            {
                return parts[0][1..^1];
            }
        }
        return null;
    }
}
