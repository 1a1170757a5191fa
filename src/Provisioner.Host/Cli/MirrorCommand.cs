using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Provisioner.Core.Audit;
using Provisioner.Core.Inventory.Data;
using Provisioner.Core.Mirror;

namespace Provisioner.Host.Cli;

/// <summary><c>provisioner mirror status [--json] | purge [ARCHIVE] [--index-only]</c>: the package mirror's cache on disk.</summary>
internal static class MirrorCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var status = new Command("status", "The archives the mirror serves, where each is configured, and what its cache holds on disk (hit ratio and traffic: the Mirror page and /metrics).") { json };
        status.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, services =>
        {
            MirrorOptions options = services.GetRequiredService<IOptions<MirrorOptions>>().Value;
            string root = PackageMirror.CacheRoot(services.GetRequiredService<IOptions<StorageOptions>>().Value);
            Dictionary<string, (int Files, long Bytes)> usage = MirrorCache.Usage(root).ToDictionary(u => u.Upstream, u => (u.Files, u.Bytes), StringComparer.Ordinal);
            IReadOnlyList<MirrorUpstream> upstreams = MirrorUpstreams.Resolve(options);
            Console.WriteLine(parse.GetValue(json) ? Json(options, root, upstreams, usage) : Text(options, root, upstreams, usage));
            return Task.FromResult(0);
        }, ct));

        var archive = new Argument<string?>("archive") { Description = "Only this archive's files (default: every archive)", Arity = ArgumentArity.ZeroOrOne };
        var indexOnly = new Option<bool>("--index-only") { Description = "Only index files (InRelease, Packages, …), so they are fetched again at the next request; pool files stay" };
        var purge = new Command("purge", "Delete cached files; a running appliance fetches them again when asked.") { archive, indexOnly };
        purge.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            string root = PackageMirror.CacheRoot(services.GetRequiredService<IOptions<StorageOptions>>().Value);
            string? name = parse.GetValue(archive);
            if (name is not null && (!MirrorPath.IsPlainSegment(name) || !Directory.Exists(Path.Join(root, name))))
            {
                return await InventoryCommandContext.Fail(InventoryCommandContext.NotFound, $"nothing cached for an archive named '{name}' in {root}").ConfigureAwait(false);
            }
            (int files, long bytes) = MirrorCache.Purge(root, name, parse.GetValue(indexOnly));
            await services.GetRequiredService<AuditTrail>().RecordAsync(DateTimeOffset.UtcNow, AuditActions.MirrorPurged, name ?? "all archives",
                string.Create(CultureInfo.InvariantCulture, $"{files} files, {bytes} bytes{(parse.GetValue(indexOnly) ? ", index files only" : string.Empty)}"), ct).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"removed {files} files, {bytes} bytes, from {root}"));
            return 0;
        }, ct));

        var command = new Command("mirror", "The rack's package mirror (/mirror/ARCHIVE/…).") { status, purge };
        InventoryCommandContext.AddOptions(command);
        return command;
    }

    private static string Text(MirrorOptions options, string root, IReadOnlyList<MirrorUpstream> upstreams, Dictionary<string, (int Files, long Bytes)> usage)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(upstreams.Count == 0 ? "archives: none (apt's sources name no http(s) archive; set Mirror:Upstreams:NAME)" : "archives:");
        foreach (MirrorUpstream u in upstreams)
        {
            (int files, long bytes) = usage.GetValueOrDefault(u.Name);
            text.AppendLine(CultureInfo.InvariantCulture, $"  {u.Name,-20} {u.Uri}  ({u.From})  {files} files, {bytes} bytes");
        }
        foreach ((string name, (int files, long bytes)) in usage.Where(u => upstreams.All(x => x.Name != u.Key)))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {name,-20} (no longer configured)  {files} files, {bytes} bytes");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"cache: {root}, {usage.Values.Sum(u => u.Bytes)} bytes of {options.MaxSize} (least recently used files go first)");
        text.AppendLine(CultureInfo.InvariantCulture, $"index files checked upstream after: {options.IndexMaxAge}");
        text.Append(CultureInfo.InvariantCulture, $"upstream proxy: {(string.IsNullOrEmpty(options.UpstreamProxy) ? "none" : options.UpstreamProxy)}");
        return text.ToString();
    }

    private static string Json(MirrorOptions options, string root, IReadOnlyList<MirrorUpstream> upstreams, Dictionary<string, (int Files, long Bytes)> usage) =>
        JsonSerializer.Serialize(new
        {
            archives = upstreams.Select(u => new { name = u.Name, upstream = u.Uri.ToString(), from = u.From, files = usage.GetValueOrDefault(u.Name).Files, bytes = usage.GetValueOrDefault(u.Name).Bytes }),
            cache = root,
            bytes = usage.Values.Sum(u => u.Bytes),
            maxSize = options.MaxSize,
            indexMaxAgeSeconds = options.IndexMaxAge.TotalSeconds,
            upstreamProxy = options.UpstreamProxy,
        }, HostsCommand.Json);
}
