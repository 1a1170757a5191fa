using Microsoft.Extensions.Logging;

namespace Provisioner.Core.Mirror;

public sealed partial class PackageMirror
{
    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Mirror serves {Count} archives from {Root}: {Upstreams}")]
        public static partial void Serving(ILogger logger, int count, string root, MirrorUpstreams upstreams);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Mirror has no archive to serve: apt's sources in {AptDir} name no http(s) archive and Mirror:Upstreams is empty")]
        public static partial void NoUpstreams(ILogger logger, string aptDir);

        [LoggerMessage(Level = LogLevel.Information, Message = "Mirror fetched {Path} ({Bytes} bytes)")]
        public static partial void Fetched(ILogger logger, MirrorPath path, long bytes);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Mirror could not fetch {Path}: {Reason}")]
        public static partial void FetchFailed(ILogger logger, MirrorPath path, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Mirror serves its cached {Path}: upstream failing ({Reason})")]
        public static partial void ServingStale(ILogger logger, string path, string reason);
    }
}
