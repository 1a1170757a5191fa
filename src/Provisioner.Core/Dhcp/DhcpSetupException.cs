namespace Provisioner.Core.Dhcp;

/// <summary>The DHCP server cannot start as configured; the message is the operator's one line.</summary>
public sealed class DhcpSetupException : Exception
{
    public DhcpSetupException()
    {
    }

    public DhcpSetupException(string message)
        : base(message)
    {
    }

    public DhcpSetupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
