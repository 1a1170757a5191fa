using System.Globalization;
using Microsoft.Extensions.Options;
using Provisioner.Core.Images;

namespace Provisioner.Core.Power;

/// <summary>
/// IPMI 2.0 over LAN through Debian's ipmitool (<c>-I lanplus</c>, RMCP+). The password goes in the
/// environment (<c>-E</c>, <c>IPMI_PASSWORD</c>), never on the command line that <c>ps</c> shows. The cipher
/// suite is given (<see cref="PowerOptions.IpmiCipherSuite"/>): left to discover it, ipmitool waits out its
/// timeouts on BMCs that do not answer "Get Channel Cipher Suites" (11 s per call on ipmi_sim). Each
/// call is bounded by <see cref="PowerOptions.RequestTimeout"/>; ipmitool runs verbose (<c>-v</c>) because
/// only then does it say why a session failed (wrong password, unknown user, no answer).
/// </summary>
public sealed class IpmiToolDriver(IOptions<PowerOptions> options) : IPowerDriver
{
    public const int DefaultPort = 623;

    private static readonly string[] Refusals = ["Invalid data field in request", "Command not supported in present state", "Invalid command"];

    public async Task<PowerState> StatusAsync(BmcConnection bmc, CancellationToken cancellationToken)
    {
        ToolResult result = await RunAsync(bmc, ["chassis", "power", "status"], cancellationToken).ConfigureAwait(false);
        // "Chassis Power is on" / "Chassis Power is off"
        string? line = result.StandardOutput.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Chassis Power is ", StringComparison.Ordinal));
        return line switch
        {
            "Chassis Power is on" => PowerState.On,
            "Chassis Power is off" => PowerState.Off,
            _ => throw new PowerException($"the BMC at {bmc.Address} answered the power status request with no state: {Last(result)}"),
        };
    }

    public Task PowerAsync(BmcConnection bmc, PowerCommand command, CancellationToken cancellationToken) =>
        RunAsync(bmc, ["chassis", "power", command switch
        {
            PowerCommand.On => "on",
            PowerCommand.HardOff => "off",
            PowerCommand.SoftOff => "soft",
            PowerCommand.Cycle => "cycle",
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        }], cancellationToken);

    public Task SetPxeOnceAsync(BmcConnection bmc, CancellationToken cancellationToken) =>
        // Set System Boot Options (chassis netfn 0x00, cmd 0x08), parameter 5 "boot flags" (IPMI 2.0
        // table 28-14): byte 1 bit 7 "valid", bit 6 clear = next boot only, bit 5 = EFI; byte 2 bits 5:2
        // = 0001b "force PXE". Sent raw, as ironic does for UEFI, because "chassis bootdev pxe" exits 0
        // even when the BMC refuses a parameter, and a refused boot device must not look like a success.
        RunAsync(bmc, ["raw", "0x00", "0x08", "0x05", bmc.UefiBoot ? "0xa0" : "0x80", "0x04", "0x00", "0x00", "0x00"], cancellationToken);

    private async Task<ToolResult> RunAsync(BmcConnection bmc, string[] command, CancellationToken cancellationToken)
    {
        (string host, int port) = Endpoint(bmc.Address);
        TimeSpan limit = options.Value.RequestTimeout;
        // ipmitool's own bound: -N seconds per try, -R tries; the process bound below is the last word.
        int perTry = Math.Max(1, (int)(limit.TotalSeconds / 4));
        string[] arguments = ["-v", "-I", "lanplus", "-C", options.Value.IpmiCipherSuite.ToString(CultureInfo.InvariantCulture), "-H", host, "-p", port.ToString(CultureInfo.InvariantCulture), "-U", bmc.User, "-E",
            "-N", perTry.ToString(CultureInfo.InvariantCulture), "-R", "2", .. command];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        ToolResult result;
        try
        {
            result = await ToolProcess.RunAsync(options.Value.Ipmitool, arguments, null, timeout.Token,
                new Dictionary<string, string> { ["IPMI_PASSWORD"] = bmc.Password }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PowerException($"the BMC at {bmc.Address} did not answer within {limit.TotalSeconds:0} s");
        }
        if (result.ExitCode != 0)
        {
            throw Failure(bmc, result);
        }
        return result;
    }

    /// <summary>What ipmitool's verbose output says went wrong, as the host page says it.</summary>
    internal static PowerException Failure(BmcConnection bmc, ToolResult result)
    {
        string all = string.Join('\n', result.LastLines);
        bool Says(string text) => all.Contains(text, StringComparison.OrdinalIgnoreCase);
        if (result.ExitCode == 127)
        {
            return new PowerException(Last(result));
        }
        if (Says("RAKP 2 HMAC is invalid"))
        {
            return new PowerException($"the BMC at {bmc.Address} refused the session: wrong password for user '{bmc.User}' (ipmitool: RAKP 2 HMAC is invalid)");
        }
        if (Says("unauthorized name"))
        {
            return new PowerException($"the BMC at {bmc.Address} refused the session: it has no user '{bmc.User}' (ipmitool: unauthorized name)");
        }
        if (Says("Get Auth Capabilities error") || Says("No response from remote controller") || Says("Error issuing Get Channel Authentication Capabilities"))
        {
            return new PowerException($"the BMC at {bmc.Address} did not answer (no IPMI LAN reply; is the address right and IPMI over LAN enabled?)");
        }
        if (Says("Unable to establish IPMI v2 / RMCP+ session"))
        {
            return new PowerException($"could not open an IPMI session with the BMC at {bmc.Address} (ipmitool: Unable to establish IPMI v2 / RMCP+ session)");
        }
        // A completion code: the BMC answered and said no. "Invalid data field" and "not supported"
        // are how BMCs refuse what they cannot do (soft off, cycle from some states). Only the last
        // line counts: verbose output has "Invalid command" lines for probes that do not matter.
        string last = Last(result);
        bool unsupported = Refusals.Any(t => last.Contains(t, StringComparison.OrdinalIgnoreCase));
        return new PowerException($"the BMC at {bmc.Address} refused the request: {last}", unsupported);
    }

    private static string Last(ToolResult result) =>
        result.LastLines.Where(l => l.Length > 0 && !l.StartsWith("Loading IANA PEN Registry", StringComparison.Ordinal)).LastOrDefault() ?? $"ipmitool exited with {result.ExitCode}";

    /// <summary>Host and UDP port of an IPMI address (<c>host</c>, <c>host:port</c>, <c>[v6]:port</c>).</summary>
    internal static (string Host, int Port) Endpoint(string address)
    {
        if (address.StartsWith('[') && address.IndexOf(']', StringComparison.Ordinal) is int close and > 0)
        {
            string host = address[1..close];
            return address.Length > close + 2 && address[close + 1] == ':' && int.TryParse(address[(close + 2)..], NumberStyles.None, CultureInfo.InvariantCulture, out int p6)
                ? (host, p6) : (host, DefaultPort);
        }
        int colon = address.LastIndexOf(':');
        return colon > 0 && address.IndexOf(':', StringComparison.Ordinal) == colon
            && int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            ? (address[..colon], port) : (address, DefaultPort);
    }
}
