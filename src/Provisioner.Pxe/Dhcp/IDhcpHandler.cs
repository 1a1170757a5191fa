using System.Net;

namespace Provisioner.Pxe.Dhcp;

/// <summary>An interface the DHCP server listens on, as it found it at start.</summary>
/// <param name="Address">Its IPv4 address: the server identifier (option 54) of replies sent there.</param>
public sealed record DhcpListenerInterface(string Name, IPAddress Address, int PrefixLength);

/// <summary>Decides the answer to a client's message: a reply, or null to stay silent.</summary>
public interface IDhcpHandler
{
    ValueTask<DhcpReply?> AnswerAsync(DhcpMessage request, DhcpListenerInterface arrivedOn, CancellationToken cancellationToken);
}
