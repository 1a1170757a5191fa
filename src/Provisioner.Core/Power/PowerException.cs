namespace Provisioner.Core.Power;

/// <summary>A BMC did not do what was asked: the message says why, in words for the host page (never a password).</summary>
public sealed class PowerException(string message, bool unsupported = false) : Exception(message)
{
    /// <summary>The BMC answered and refused the request as one it does not support (IPMI "Invalid data field", Redfish 400 for a reset type): a caller may try another way.</summary>
    public bool Unsupported { get; } = unsupported;
}
