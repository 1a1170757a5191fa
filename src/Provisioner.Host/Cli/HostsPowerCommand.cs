using System.CommandLine;
using System.Text.Json;
using Provisioner.Core.Inventory;
using Provisioner.Core.Power;

namespace Provisioner.Host.Cli;

/// <summary>
/// <c>provisioner hosts bmc HOST [--type … --address … --user … --password-stdin …] [--remove]</c> and
/// <c>provisioner hosts power HOST… on|off|cycle|pxe|status</c>. The password is read from standard input or
/// a file, never from the command line (which every user of the machine can see), and never printed.
/// </summary>
internal static class HostsPowerCommand
{

    public static Command Bmc()
    {
        Argument<string> key = HostsCommand.Key();
        var type = new Option<string>("--type") { Description = "ipmi or redfish" };
        var address = new Option<string>("--address") { Description = "IPMI: host or IPv4 address[:port] (623); Redfish: https://host[:port]" };
        var user = new Option<string>("--user") { Description = "The BMC user" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the BMC password from the first line of standard input" };
        var passwordFile = new Option<string>("--password-file") { Description = "Read the BMC password from the first line of this file" };
        var pin = new Option<string>("--certificate-sha256") { Description = "Redfish: trust only the certificate with this SHA-256 fingerprint ('' clears the pin)" };
        var acceptAny = new Option<bool?>("--accept-any-certificate") { Description = "Redfish: accept any certificate from this BMC (true or false)" };
        var uefi = new Option<bool?>("--uefi") { Description = "Ask the BMC for UEFI network boot (true or false; default false: the boot mode is left as it is)" };
        var remove = new Option<bool>("--remove") { Description = "Forget the host's BMC" };
        var json = new Option<bool>("--json") { Description = "Print the BMC as JSON (never the password)" };
        var command = new Command("bmc", "Show, set or remove a host's BMC (with no options: show it).") { key, type, address, user, passwordStdin, passwordFile, pin, acceptAny, uefi, remove, json };
        command.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            HostRecord host = await HostsCommand.Resolve(services, parse.GetValue(key)!, ct).ConfigureAwait(false);
            BmcService bmcs = services.GetRequiredService<BmcService>();
            if (parse.GetValue(remove))
            {
                Console.WriteLine(await bmcs.RemoveAsync(host.Id, ct).ConfigureAwait(false) ? $"host {host.Hostname}: BMC removed" : $"host {host.Hostname} had no BMC");
                return 0;
            }
            string? password = null;
            if (parse.GetValue(passwordStdin))
            {
                password = await Console.In.ReadLineAsync(ct).ConfigureAwait(false) ?? string.Empty;
            }
            else if (parse.GetValue(passwordFile) is { } file)
            {
                password = (await File.ReadAllLinesAsync(file, ct).ConfigureAwait(false)).FirstOrDefault() ?? string.Empty;
            }
            var settings = new BmcSettings(parse.GetValue(type), parse.GetValue(address), parse.GetValue(user), password, parse.GetValue(pin), parse.GetValue(acceptAny), parse.GetValue(uefi));
            bool change = settings != new BmcSettings();
            BmcInfo? bmc = change ? await bmcs.SetAsync(host.Id, settings, ct).ConfigureAwait(false) : await bmcs.GetAsync(host.Id, ct).ConfigureAwait(false);
            if (bmc is null)
            {
                return await InventoryCommandContext.Fail(InventoryCommandContext.NotFound, $"host {host.Hostname} has no BMC (set one: hosts bmc {host.Hostname} --type ipmi --address ADDRESS --user USER --password-stdin)").ConfigureAwait(false);
            }
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(bmc, HostsCommand.Json));
                return 0;
            }
            string tls = bmc.CertificateSha256 is { } sha ? $", certificate SHA-256 {sha}" : bmc.AcceptAnyCertificate ? ", any certificate accepted" : string.Empty;
            Console.WriteLine($"host {host.Hostname}: BMC {bmc.Type} {bmc.Address} as {bmc.User}, password {(bmc.PasswordSet ? "set" : "not set")}{tls}{(bmc.UefiBoot ? ", UEFI boot" : string.Empty)}{(change ? " (saved)" : string.Empty)}");
            return 0;
        }, ct));
        return command;
    }

    public static Command Power()
    {
        var words = new Argument<string[]>("hosts-and-action") { Description = "Host ids, MACs or hostnames, then on, off, cycle, pxe (network boot once, then cycle) or status", Arity = new ArgumentArity(2, 100_000) };
        var command = new Command("power", "Power hosts on, off or cycle them through their BMCs, or read their power state.") { words };
        command.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            string[] given = parse.GetValue(words)!;
            string verb = given[^1];
            bool status = string.Equals(verb, "status", StringComparison.OrdinalIgnoreCase);
            if (!PowerActions.TryParse(verb, out PowerAction action) && !status)
            {
                return await InventoryCommandContext.Fail(InventoryCommandContext.Refused, $"'{verb}' is not a power action: the last word is on, off, cycle, pxe or status (hosts power web01 web02 cycle)").ConfigureAwait(false);
            }
            List<HostRecord> hosts = await HostsBuildCommand.ResolveAllAsync(services, given[..^1], ct).ConfigureAwait(false);
            if (status)
            {
                return await StatusAllAsync(services, hosts, ct).ConfigureAwait(false) ? 0 : InventoryCommandContext.Refused;
            }
            return await RunAllAsync(services, hosts, action, ct).ConfigureAwait(false) ? 0 : InventoryCommandContext.Refused;
        }, ct));
        return command;
    }

    /// <summary>Runs <paramref name="action"/> on every host at once (<see cref="PowerControl.RunManyAsync"/>), one line each in the order given; true when every one was done.</summary>
    internal static async Task<bool> RunAllAsync(IServiceProvider services, IReadOnlyList<HostRecord> hosts, PowerAction action, CancellationToken ct)
    {
        PowerResult[] results = await services.GetRequiredService<PowerControl>().RunManyAsync([.. hosts.Select(h => h.Id)], action, ct).ConfigureAwait(false);
        return await PrintAsync([.. hosts.Zip(results, (host, result) =>
            result.Done ? $"host {host.Hostname}: {result.Message}" : $"!host {host.Hostname}: power {action.Name()} failed: {result.Message}")]).ConfigureAwait(false);
    }

    private static async Task<bool> StatusAllAsync(IServiceProvider services, IReadOnlyList<HostRecord> hosts, CancellationToken ct)
    {
        PowerControl control = services.GetRequiredService<PowerControl>();
        string[] lines = await EachAsync(hosts, async host =>
        {
            PowerReading reading = await control.StatusAsync(host.Id, ct).ConfigureAwait(false);
            return reading.Error is null ? $"host {host.Hostname}: {reading.Text}" : $"!host {host.Hostname}: power unknown: {reading.Error}";
        }, ct).ConfigureAwait(false);
        return await PrintAsync(lines).ConfigureAwait(false);
    }

    /// <summary>One line per host, in the hosts' order; a host refused before its BMC was asked (it has none) gives a "!" line too.</summary>
    private static async Task<string[]> EachAsync(IReadOnlyList<HostRecord> hosts, Func<HostRecord, Task<string>> act, CancellationToken ct)
    {
        var lines = new string[hosts.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, hosts.Count), new ParallelOptions { MaxDegreeOfParallelism = PowerControl.ManyAtOnce, CancellationToken = ct }, async (i, _) =>
        {
            try
            {
                lines[i] = await act(hosts[i]).ConfigureAwait(false);
            }
            catch (InventoryException refused)
            {
                lines[i] = $"!host {hosts[i].Hostname}: {string.Join("; ", refused.Errors.Select(e => e.Message))}";
            }
        }).ConfigureAwait(false);
        return lines;
    }

    /// <summary>Lines starting with "!" go to standard error; true when there were none.</summary>
    private static async Task<bool> PrintAsync(string[] lines)
    {
        foreach (string line in lines)
        {
            if (line.StartsWith('!'))
            {
                await Console.Error.WriteLineAsync($"provisioner: {line[1..]}").ConfigureAwait(false);
            }
            else
            {
                Console.WriteLine(line);
            }
        }
        return !lines.Any(l => l.StartsWith('!'));
    }
}
