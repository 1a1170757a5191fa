using System.Net;

namespace Provisioner.Pxe.Tftp;

/// <summary>
/// Decides what a read request gets. The TFTP server knows nothing about booting: it asks the handler
/// for the bytes behind a path and sends them.
/// </summary>
public interface ITftpHandler
{
    /// <param name="path">The file name from the request.</param>
    /// <param name="peer">The client's address and port.</param>
    /// <param name="local">The server address the request arrived on (the one the client reaches us at).</param>
    /// <param name="cancellationToken">Cancelled when the server stops.</param>
    ValueTask<TftpReadResult> OpenAsync(string path, IPEndPoint peer, IPAddress local, CancellationToken cancellationToken);
}

/// <summary>Either a source to send or the ERROR to answer with.</summary>
public sealed class TftpReadResult
{
    private TftpReadResult(ITftpSource? source, TftpErrorCode error, string message)
    {
        Source = source;
        Error = error;
        Message = message;
    }

    public ITftpSource? Source { get; }

    public TftpErrorCode Error { get; }

    public string Message { get; }

    public static TftpReadResult Found(ITftpSource source) => new(source, TftpErrorCode.NotDefined, string.Empty);

    public static TftpReadResult NotFound(string message) => new(null, TftpErrorCode.FileNotFound, message);

    public static TftpReadResult Denied(string message) => new(null, TftpErrorCode.AccessViolation, message);

    public static TftpReadResult Refused(TftpErrorCode error, string message) => new(null, error, message);
}
