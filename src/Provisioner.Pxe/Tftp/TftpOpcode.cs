namespace Provisioner.Pxe.Tftp;

/// <summary>Packet types: RFC 1350 §5, plus OACK from RFC 2347.</summary>
internal enum TftpOpcode : ushort
{
    ReadRequest = 1,
    WriteRequest = 2,
    Data = 3,
    Ack = 4,
    Error = 5,
    OptionAck = 6,
}
