using System.Net;
using Provisioner.Core.Events;
using Provisioner.Pxe.Tftp;

namespace Provisioner.Core.Boot;

/// <summary>Answers TFTP read requests from the boot files; a file that is not there is published (<see cref="BootFileNotFound"/>).</summary>
internal sealed class BootTftpHandler(BootFiles files, IEventBus? bus = null, TimeProvider? time = null) : ITftpHandler
{
    public ValueTask<TftpReadResult> OpenAsync(string path, IPEndPoint peer, IPAddress local, CancellationToken cancellationToken)
    {
        BootFileLookup lookup = files.Find(path);
        if (lookup.Status == BootFileStatus.NotFound)
        {
            bus?.Publish(new BootFileNotFound((time ?? TimeProvider.System).GetUtcNow(), "tftp", peer, path));
        }
        TftpReadResult result = lookup.Status switch
        {
            BootFileStatus.Found => Open(lookup.FullPath, path),
            BootFileStatus.Denied => TftpReadResult.Denied(lookup.Reason),
            _ => TftpReadResult.NotFound(lookup.Reason),
        };
        return ValueTask.FromResult(result);
    }

    private static TftpReadResult Open(string fullPath, string requested)
    {
        try
        {
            return TftpReadResult.Found(new FileTftpSource(File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read)));
        }
        catch (UnauthorizedAccessException)
        {
            return TftpReadResult.Denied($"{requested}: permission denied");
        }
        catch (IOException)
        {
            // Removed between the lookup and the open.
            return TftpReadResult.NotFound($"{requested}: no such file");
        }
    }
}
