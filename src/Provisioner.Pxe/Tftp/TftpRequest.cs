namespace Provisioner.Pxe.Tftp;

/// <summary>One option name/value pair as it travels in an RRQ or OACK (RFC 2347).</summary>
internal readonly record struct TftpOption(string Name, string Value);

/// <summary>A decoded RRQ or WRQ: RFC 1350 §5 plus the RFC 2347 option list.</summary>
internal sealed record TftpRequest(TftpOpcode Opcode, string Filename, string Mode, IReadOnlyList<TftpOption> Options);
