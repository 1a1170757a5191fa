using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Inventory.Data;

namespace Provisioner.Core.Mirror;

/// <summary>
/// The rack's package mirror: a cache in front of the configured archives (<see cref="MirrorUpstreams"/>).
/// Pool and by-hash files are served from the cache for good; index files are asked for again, with the
/// validators upstream gave, once older than <see cref="MirrorOptions.IndexMaxAge"/>, and served from the
/// cache while upstream fails. A file not cached is downloaded once, however many clients ask meanwhile,
/// and each of them streams it as it arrives (<see cref="MirrorDownload"/>).
/// </summary>
public sealed partial class PackageMirror : IDisposable
{
    private readonly MirrorOptions _options;
    private readonly MirrorStats _stats;
    private readonly TimeProvider _time;
    private readonly ILogger<PackageMirror> _logger;
    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, MirrorDownload> _downloads = new(StringComparer.Ordinal);
    private readonly Lazy<MirrorCache> _cache;

    public PackageMirror(MirrorUpstreams upstreams, IOptions<MirrorOptions> options, IOptions<StorageOptions> storage, MirrorStats stats, TimeProvider time, ILogger<PackageMirror> logger)
    {
        Upstreams = upstreams;
        _options = options.Value;
        _stats = stats;
        _time = time;
        _logger = logger;
        string root = CacheRoot(storage.Value);
        _cache = new Lazy<MirrorCache>(() => Open(root));
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = _options.UpstreamTimeout,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            UseProxy = !string.IsNullOrEmpty(_options.UpstreamProxy),
            Proxy = string.IsNullOrEmpty(_options.UpstreamProxy) ? null : new WebProxy(_options.UpstreamProxy),
            AllowAutoRedirect = false,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Provisioner-mirror", "1"));
    }

    public MirrorUpstreams Upstreams { get; }

    public MirrorStats Stats => _stats;

    public MirrorCache Cache => _cache.Value;

    public MirrorOptions Options => _options;

    /// <summary>Where the cache lives: <c>DATA_DIR/mirror</c>.</summary>
    public static string CacheRoot(StorageOptions storage) => Path.Join(storage.DataDir, "mirror");

    /// <summary>Downloads under way.</summary>
    public int Downloading
    {
        get
        {
            lock (_downloads)
            {
                return _downloads.Count;
            }
        }
    }

    /// <summary>What the mirror has for <c>/mirror/{upstream}/{path}</c>; waits for upstream when the file is not cached.</summary>
    public async Task<MirrorAnswer> OpenAsync(string upstream, string? path, CancellationToken cancel)
    {
        string shown = $"{upstream}/{path}";
        if (!MirrorPath.TryParse(upstream, path, out MirrorPath? file, out string why))
        {
            _stats.Answered(MirrorResult.Refused, shown, why);
            return new MirrorAnswer(MirrorAnswerKind.Refused, why);
        }
        if (Upstreams.Find(upstream) is not { } archive)
        {
            string names = Upstreams.All.Count == 0 ? "none" : string.Join(", ", Upstreams.All.Select(u => u.Name));
            why = $"no archive named '{upstream}' (this mirror serves: {names})";
            _stats.Answered(MirrorResult.Refused, shown, why);
            return new MirrorAnswer(MirrorAnswerKind.NotFound, why);
        }
        (MirrorDownload? download, CachedFile? cached) = Join(file!, archive);
        if (download is null)
        {
            _stats.Answered(MirrorResult.Hit, shown);
            return new MirrorAnswer(MirrorAnswerKind.Cached, string.Empty, cached);
        }
        DownloadStart start = await download.Started.WaitAsync(cancel);
        switch (start.Kind)
        {
            case DownloadStartKind.Streaming:
                _stats.Answered(MirrorResult.Miss, shown);
                return new MirrorAnswer(MirrorAnswerKind.Streaming, string.Empty, Download: download, Length: start.Length);
            case DownloadStartKind.NotModified when Cache.Find(file!) is { } current:
                _stats.Answered(MirrorResult.Revalidated, shown);
                return new MirrorAnswer(MirrorAnswerKind.Cached, string.Empty, current);
            case DownloadStartKind.NotFound:
                _stats.Answered(MirrorResult.NotFound, shown, start.Reason);
                return new MirrorAnswer(MirrorAnswerKind.NotFound, start.Reason);
        }
        if (cached is not null && Cache.Find(file!) is { } stale)
        {
            Log.ServingStale(_logger, shown, start.Reason);
            _stats.Answered(MirrorResult.Stale, shown, start.Reason);
            return new MirrorAnswer(MirrorAnswerKind.Cached, start.Reason, stale);
        }
        _stats.Answered(MirrorResult.Failed, shown, start.Reason);
        return new MirrorAnswer(MirrorAnswerKind.Failed, start.Reason);
    }

    /// <summary>Counts bytes sent to a client.</summary>
    public void Served(int bytes) => _stats.AddServed(bytes);

    /// <summary>
    /// The fresh cached copy (no download), or the download to wait for: the one under way, or a new one.
    /// Under one lock, so two requests never start two downloads of one file; a download leaves the table
    /// only after its file is in the cache, so a request that finds neither really has to fetch.
    /// </summary>
    private (MirrorDownload? Download, CachedFile? Cached) Join(MirrorPath file, MirrorUpstream archive)
    {
        string key = file.ToString();
        lock (_downloads)
        {
            if (_downloads.TryGetValue(key, out MirrorDownload? running))
            {
                // A download stays in the table for a moment after it ended: one that succeeded has its
                // file in the cache already (served from there), one that failed is fetched again (a
                // client retrying at once would otherwise get the old failure).
                if (!running.Finished.IsCompleted)
                {
                    return (running, Cache.Find(file));
                }
                _downloads.Remove(key);
            }
            CachedFile? cached = Cache.Find(file);
            if (cached is not null && (file.Immutable || _time.GetUtcNow() - cached.Checked < _options.IndexMaxAge))
            {
                return (null, cached);
            }
            var download = new MirrorDownload(file, Cache.NewPartial(), Cache.FullPath(file));
            _downloads.Add(key, download);
            Validators validators = cached is null ? new Validators(null, null) : Cache.ReadValidators(file);
            _ = Task.Run(() => FetchAsync(download, archive, validators));
            return (download, cached);
        }
    }

    private async Task FetchAsync(MirrorDownload download, MirrorUpstream archive, Validators validators)
    {
        try
        {
            await FetchCoreAsync(download, archive, validators);
        }
        finally
        {
            lock (_downloads)
            {
                // Only this download: a new one may have taken its place once it failed (see Join).
                string key = download.Path.ToString();
                if (_downloads.TryGetValue(key, out MirrorDownload? current) && ReferenceEquals(current, download))
                {
                    _downloads.Remove(key);
                }
            }
        }
    }

    private async Task FetchCoreAsync(MirrorDownload download, MirrorUpstream archive, Validators validators)
    {
        string shown = download.Path.ToString();
        using var request = new HttpRequestMessage(HttpMethod.Get, download.Path.UpstreamUri(archive.Uri));
        if (validators.ETag is { } etag && EntityTagHeaderValue.TryParse(etag, out EntityTagHeaderValue? tag))
        {
            request.Headers.IfNoneMatch.Add(tag);
        }
        if (validators.LastModified is { } modified && DateTimeOffset.TryParse(modified, out DateTimeOffset since))
        {
            request.Headers.IfModifiedSince = since;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(_options.UpstreamTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            Failed(download, archive, Describe(ex, archive));
            return;
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                Cache.MarkChecked(download.Path);
                download.Start(new DownloadStart(DownloadStartKind.NotModified, null, string.Empty));
                download.Complete();
                return;
            }
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                download.Start(new DownloadStart(DownloadStartKind.NotFound, null, $"{archive.Uri.Host} has no {download.Path.Path} ({(int)response.StatusCode})"));
                download.Complete();
                return;
            }
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Failed(download, archive, $"{archive.Uri.Host} answered {(int)response.StatusCode} {response.ReasonPhrase}");
                return;
            }
            await ReceiveAsync(download, archive, response, timeout);
        }
    }

    /// <summary>Streams the body into the partial file; only a complete body, of the length announced, becomes a cache entry.</summary>
    private async Task ReceiveAsync(MirrorDownload download, MirrorUpstream archive, HttpResponseMessage response, CancellationTokenSource timeout)
    {
        long? length = response.Content.Headers.ContentLength;
        long received = 0;
        try
        {
            await using (var file = new FileStream(download.PartialPath, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous))
            {
                download.Start(new DownloadStart(DownloadStartKind.Streaming, length, string.Empty));
                await using Stream body = await response.Content.ReadAsStreamAsync(timeout.Token);
                byte[] buffer = new byte[64 * 1024];
                while (true)
                {
                    timeout.CancelAfter(_options.UpstreamTimeout);
                    int read = await body.ReadAsync(buffer, timeout.Token);
                    if (read == 0)
                    {
                        break;
                    }
                    await file.WriteAsync(buffer.AsMemory(0, read), timeout.Token);
                    received += read;
                    _stats.AddFetched(read);
                    download.Advance(read);
                }
                if (length is { } expected && received != expected)
                {
                    throw new IOException($"cut short: {received} of {expected} bytes");
                }
                file.Flush(flushToDisk: true);
            }
            Cache.Commit(download.PartialPath, download.Path, new Validators(response.Headers.ETag?.ToString(), response.Content.Headers.LastModified?.ToString("R")));
            _stats.CacheSize(Cache.Size);
            Log.Fetched(_logger, download.Path, received);
            download.Complete();
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException or UnauthorizedAccessException)
        {
            TryDelete(download.PartialPath);
            string reason = ex is OperationCanceledException && !_stopping.IsCancellationRequested
                ? $"{archive.Uri.Host} sent nothing for {_options.UpstreamTimeout.TotalSeconds:0} s after {received} bytes"
                : $"download from {archive.Uri.Host} failed after {received}{(length is { } l ? $" of {l}" : string.Empty)} bytes: {ex.Message}";
            Failed(download, archive, reason);
        }
    }

    private void Failed(MirrorDownload download, MirrorUpstream archive, string reason)
    {
        Log.FetchFailed(_logger, download.Path, reason);
        _stats.UpstreamFailed(archive.Name, reason);
        download.Start(new DownloadStart(DownloadStartKind.Failed, null, reason));
        download.Fail(reason);
    }

    private string Describe(Exception ex, MirrorUpstream archive)
    {
        string via = string.IsNullOrEmpty(_options.UpstreamProxy) ? string.Empty : $" through proxy {_options.UpstreamProxy}";
        return ex switch
        {
            OperationCanceledException when _stopping.IsCancellationRequested => "the appliance is stopping",
            OperationCanceledException => $"{archive.Uri.Host}{via} did not answer within {_options.UpstreamTimeout.TotalSeconds:0} s",
            HttpRequestException { InnerException: SocketException socket } => $"{archive.Uri.Host}{via} unreachable: {socket.Message}",
            _ => $"{archive.Uri.Host}{via} unreachable: {ex.Message}",
        };
    }

    private MirrorCache Open(string root)
    {
        var cache = new MirrorCache(root, _options.MaxSize, _time);
        cache.ClearPartials();
        _stats.CacheSize(cache.Size);
        if (Upstreams.All.Count == 0)
        {
            Log.NoUpstreams(_logger, _options.AptDir);
        }
        else
        {
            Log.Serving(_logger, Upstreams.All.Count, root, Upstreams);
        }
        return cache;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Cleared at the next start (ClearPartials).
        }
    }

    /// <summary>Cancels downloads under way (their clients are cut off) and closes upstream connections.</summary>
    public void Dispose()
    {
        // Not disposed: a download ending now may still look at it.
        _stopping.Cancel();
        _client.Dispose();
    }
}
