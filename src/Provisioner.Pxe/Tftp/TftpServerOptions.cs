using System.Net;

namespace Provisioner.Pxe.Tftp;

/// <summary>Settings of the TFTP server. Bound from the <c>Tftp</c> configuration section.</summary>
public sealed class TftpServerOptions
{
    /// <summary>Where the server listens for requests. Default <c>0.0.0.0:69</c>: DHCP cannot carry a port and pxelinux always uses 69.</summary>
    public IPEndPoint Endpoint { get; set; } = new(IPAddress.Any, 69);

    /// <summary>Transfers allowed at once; a request beyond this gets an ERROR. Default 256.</summary>
    public int MaxTransfers { get; set; } = 256;

    /// <summary>
    /// Transfers allowed at once from one client address; a request beyond this gets an ERROR, so one
    /// sender cannot take every slot. Default 16: a PXE client fetches one file at a time.
    /// </summary>
    public int MaxTransfersPerClient { get; set; } = 16;

    /// <summary>Wait for an ACK before retransmitting, unless the client negotiates <c>timeout</c> (RFC 2349). Default 1 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Retransmissions of one packet before the transfer is abandoned. Default 5.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>
    /// Largest <c>timeout</c> a client may negotiate (RFC 2349 asks 1-255 s). A larger one is refused
    /// (left out of the OACK), so the transfer keeps <see cref="Timeout"/>. Default 10 s.
    /// </summary>
    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A transfer whose client has acknowledged nothing new for this long is abandoned, whatever its
    /// timeout and retries, so a silent client frees its slot in bounded time. Default 30 s.
    /// </summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest <c>blksize</c> granted (RFC 2348 allows 8-65464). Default 65464.</summary>
    public int MaxBlockSize { get; set; } = TftpNegotiation.MaxBlockSize;

    /// <summary>
    /// Largest <c>windowsize</c> granted (RFC 7440 allows 1-65535 and lets the server answer less).
    /// Default 64: a larger burst overflows socket buffers and only causes retransmissions.
    /// Values above 32768 are clamped so 16-bit ACK numbers stay unambiguous.
    /// </summary>
    public int MaxWindowSize { get; set; } = 64;

    /// <summary>
    /// Threads serving transfers, each waiting on its share of the transfer sockets with poll(2).
    /// Default: one per processor the process may run on.
    /// </summary>
    public int EventLoops { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// On shutdown, how long transfers under way may go on (new requests are no longer heard);
    /// those still running then are cut with an ERROR, so clients stop at once instead of retrying
    /// into silence. Default 10 s: a 40 MB initrd needs a few seconds at pxelinux's lockstep pace.
    /// </summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(10);
}
