using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Provisioner.Web.Api;

/// <summary>The <c>Link: &lt;…&gt;; rel="next"</c> header (RFC 8288) of the API's paged lists.</summary>
internal static class PageLink
{
    /// <summary>This request's URL, relative to the host, with the cursor <paramref name="key"/> moved to <paramref name="last"/> and <c>limit</c> kept.</summary>
    public static string Next(HttpRequest request, string key, string last, int size)
    {
        var query = QueryHelpers.ParseQuery(request.QueryString.Value);
        query[key] = last;
        query["limit"] = size.ToString(CultureInfo.InvariantCulture);
        string url = QueryHelpers.AddQueryString(request.PathBase + request.Path,
            query.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v))));
        return $"<{url}>; rel=\"next\"";
    }
}
