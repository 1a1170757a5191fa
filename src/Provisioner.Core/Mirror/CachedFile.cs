namespace Provisioner.Core.Mirror;

/// <summary>A complete file in the mirror's cache: where, how long, and when it was last fetched or confirmed upstream.</summary>
public sealed record CachedFile(string FullPath, long Length, DateTimeOffset Checked);

/// <summary>What upstream said identifies its copy of an index file, sent back in the next conditional GET.</summary>
public sealed record Validators(string? ETag, string? LastModified)
{
    public bool Any => ETag is not null || LastModified is not null;
}
