using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Provisioner.Pxe.Tftp;

public sealed partial class TftpServer
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "TFTP listening on udp {Endpoint}")]
        public static partial void Listening(ILogger logger, IPEndPoint endpoint);

        [LoggerMessage(2, LogLevel.Information, "TFTP {Peer} {File}: sending {Size} bytes, blksize {BlockSize}, windowsize {WindowSize}")]
        public static partial void Started(ILogger logger, IPEndPoint peer, string file, long size, int blockSize, int windowSize);

        [LoggerMessage(3, LogLevel.Information, "TFTP {Peer} {File}: sent {Size} bytes in {Milliseconds:0} ms, {Retransmissions} blocks resent")]
        public static partial void Completed(ILogger logger, IPEndPoint peer, string file, long size, double milliseconds, long retransmissions);

        [LoggerMessage(4, LogLevel.Warning, "TFTP {Peer} {File}: failed after {Bytes} bytes: {Reason}")]
        public static partial void Failed(ILogger logger, IPEndPoint peer, string file, long bytes, string reason);

        [LoggerMessage(5, LogLevel.Information, "TFTP {Peer} {File}: refused with ERROR {Code}: {Message}")]
        public static partial void Refused(ILogger logger, IPEndPoint peer, string file, int code, string message);

        [LoggerMessage(6, LogLevel.Debug, "TFTP {Peer}: dropped a malformed or unexpected {Length}-byte datagram")]
        public static partial void DroppedDatagram(ILogger logger, IPEndPoint peer, int length);

        [LoggerMessage(11, LogLevel.Debug, "TFTP {Peer} {File}: repeated request ignored, its transfer is under way")]
        public static partial void RepeatedRequest(ILogger logger, IPEndPoint peer, string file);

        [LoggerMessage(7, LogLevel.Warning, "TFTP {Peer} {File}: refused, {MaxTransfers} transfers already in progress")]
        public static partial void Busy(ILogger logger, IPEndPoint peer, string file, int maxTransfers);

        [LoggerMessage(14, LogLevel.Warning, "TFTP {Peer} {File}: refused, {MaxTransfers} transfers from this address already in progress")]
        public static partial void ClientBusy(ILogger logger, IPEndPoint peer, string file, int maxTransfers);

        [LoggerMessage(8, LogLevel.Error, "TFTP {Peer} {File}: transfer crashed")]
        public static partial void TransferCrashed(ILogger logger, Exception exception, IPEndPoint peer, string file);

        [LoggerMessage(9, LogLevel.Debug, "TFTP receive failed: {Error}")]
        public static partial void ReceiveFailed(ILogger logger, SocketError error);

        [LoggerMessage(12, LogLevel.Information, "TFTP stopping: no new requests; {Count} transfer(s) under way get up to {Seconds} s to finish")]
        public static partial void Draining(ILogger logger, int count, double seconds);

        [LoggerMessage(13, LogLevel.Warning, "TFTP stopping: cutting {Count} unfinished transfer(s) with an ERROR to each client")]
        public static partial void CuttingTransfers(ILogger logger, int count);

        [LoggerMessage(10, LogLevel.Error, "A TFTP transfer observer threw")]
        public static partial void ObserverFailed(ILogger logger, Exception exception);
    }
}
