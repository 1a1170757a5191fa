namespace Provisioner.Core.Power;

/// <summary>A BMC as a driver sees it: where, who, and the password in clear (only in memory, only for the request).</summary>
public sealed record BmcConnection(BmcType Type, string Address, string User, string Password, string? CertificateSha256, bool AcceptAnyCertificate, bool UefiBoot)
{
    // A record prints its members: never the password.
    public override string ToString() => $"{Type.Name()} {Address} as {User}";
}

/// <summary>The power commands a driver sends.</summary>
public enum PowerCommand
{
    On,

    /// <summary>Cut the power now.</summary>
    HardOff,

    /// <summary>Ask the operating system to shut down (ACPI power button).</summary>
    SoftOff,

    /// <summary>Off, then on: the BMC's own cycle.</summary>
    Cycle,
}

/// <summary>
/// One way of talking to BMCs (IPMI, Redfish): each call is one request, bounded in time, and
/// fails with a <see cref="PowerException"/> in words. The sequences (soft then hard, cycle from off,
/// PXE once then cycle) are <see cref="PowerControl"/>'s, the same for every driver.
/// </summary>
public interface IPowerDriver
{
    Task<PowerState> StatusAsync(BmcConnection bmc, CancellationToken cancellationToken);

    Task PowerAsync(BmcConnection bmc, PowerCommand command, CancellationToken cancellationToken);

    /// <summary>Boot from the network at the next boot only; later boots go back to the BMC's own order.</summary>
    Task SetPxeOnceAsync(BmcConnection bmc, CancellationToken cancellationToken);
}
