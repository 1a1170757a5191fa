namespace Provisioner.Core.Power;

/// <summary>Power control settings (section <c>Power</c>); defaults in the comments.</summary>
public sealed class PowerOptions
{
    /// <summary>ipmitool, as installed by Debian's <c>ipmitool</c> package. Default <c>ipmitool</c> (on PATH).</summary>
    public string Ipmitool { get; set; } = "ipmitool";

    /// <summary>
    /// The RMCP+ cipher suite ipmitool asks for (<c>-C</c>). Default 3 (HMAC-SHA1, AES-128), as MAAS
    /// defaults to and every IPMI 2.0 BMC offers; 17 (HMAC-SHA256) where the BMCs have it and 3 is disabled.
    /// </summary>
    public int IpmiCipherSuite { get; set; } = 3;

    /// <summary>The longest one BMC request may take, all retries included; then it is "not answering". Default 20 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a soft (ACPI) power-off may take before the BMC is told to cut the power. Default 60 s.</summary>
    public TimeSpan SoftOffTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the power state of hosts with a BMC is read. Default 60 s; zero turns polling off.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>BMCs read at the same time: one slow BMC holds one slot, never the others. Default 8.</summary>
    public int PollConcurrency { get; set; } = 8;

    /// <summary>The longest wait before reading a BMC that failed again (the wait doubles per failure from <see cref="PollInterval"/>). Default 10 min.</summary>
    public TimeSpan PollMaxBackoff { get; set; } = TimeSpan.FromMinutes(10);
}
