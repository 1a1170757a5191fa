using System.CommandLine;
using System.Globalization;
using Provisioner.Core.Dhcp;

namespace Provisioner.Host.Cli;

/// <summary><c>provisioner dhcp leases [--all]</c>: the DHCP server's leases from the inventory (every appliance's on a shared PostgreSQL).</summary>
internal static class DhcpCommand
{
    public static Command Create()
    {
        var all = new Option<bool>("--all") { Description = "Every lease on record, ended ones too (default: those held now)" };
        var leases = new Command("leases", "List the DHCP leases in address order: address, MAC, state, until, host name, appliance.") { all };
        leases.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            (List<DhcpLeaseRow> rows, _) = await services.GetRequiredService<DhcpLeaseList>().OverviewAsync(!parse.GetValue(all), ct).ConfigureAwait(false);
            Console.WriteLine($"{"ADDRESS",-15} {"MAC",-17} {"STATE",-18} {"UNTIL",-20} {"HOST",-24} APPLIANCE");
            foreach (DhcpLeaseRow row in rows)
            {
                DhcpLease lease = row.Lease;
                string state = lease.State.ToString().ToLowerInvariant() + (row.Active ? string.Empty : ", ended");
                string host = row.HostName ?? (lease.Hostname is null ? "-" : $"({lease.Hostname})");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{lease.Address,-15} {lease.Mac,-17} {state,-18} {lease.ExpiresAt,-20:yyyy-MM-dd HH:mm:ss} {host,-24} {lease.Appliance}"));
            }
            return 0;
        }, ct));
        var command = new Command("dhcp", "The appliance's DHCP server (serve --dhcp).") { leases };
        InventoryCommandContext.AddOptions(command);
        return command;
    }
}
