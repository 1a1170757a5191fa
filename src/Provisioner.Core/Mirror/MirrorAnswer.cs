namespace Provisioner.Core.Mirror;

public enum MirrorAnswerKind
{
    /// <summary>A complete file in the cache: <see cref="MirrorAnswer.File"/>.</summary>
    Cached,

    /// <summary>Arriving from upstream: <see cref="MirrorAnswer.Download"/>, <see cref="MirrorAnswer.Length"/> when upstream announced it.</summary>
    Streaming,

    /// <summary>No such archive, or no such file upstream (404).</summary>
    NotFound,

    /// <summary>A path the mirror will not ask upstream for (400).</summary>
    Refused,

    /// <summary>Upstream failing and nothing cached (502).</summary>
    Failed,
}

/// <summary>What the mirror has for a request; <see cref="Reason"/> says why when it has nothing.</summary>
public sealed record MirrorAnswer(MirrorAnswerKind Kind, string Reason, CachedFile? File = null, MirrorDownload? Download = null, long? Length = null);
