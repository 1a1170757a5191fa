using System.CommandLine;
using System.Text.Json;
using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Import;
using Provisioner.Web.Api;

namespace Provisioner.Host.Cli;

/// <summary><c>provisioner hosts add|edit|list|show|log|remove|build|cancel|bmc|power|import|export</c>, on the same database as <c>serve</c>.</summary>
internal static class HostsCommand
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var command = new Command("hosts", "Register and manage hosts.")
        {
            Add(), Edit(), List(), Show(), Log(), Remove(), HostsBuildCommand.Build(), HostsBuildCommand.Cancel(), HostsPowerCommand.Bmc(), HostsPowerCommand.Power(), HostsImportCommand.Import(), HostsImportCommand.Export(),
        };
        InventoryCommandContext.AddOptions(command);
        return command;
    }

    private static Command Add()
    {
        var fields = new HostFieldOptions();
        var add = new Command("add", "Register a host.");
        fields.AddTo(add);
        add.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            HostRecord host = await services.GetRequiredService<HostService>().CreateAsync(fields.From(parse), ct).ConfigureAwait(false);
            Console.WriteLine($"added host {host.Id}: {host.Hostname} {host.Mac} {host.Ip}/{host.PrefixLength}");
            return 0;
        }, ct));
        return add;
    }

    private static Command Edit()
    {
        Argument<string> key = Key();
        var fields = new HostFieldOptions();
        var edit = new Command("edit", "Change the fields given; the others stay as they are (an empty value, like --gateway '', clears one).") { key };
        fields.AddTo(edit);
        edit.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            if (!fields.AnyGiven(parse))
            {
                return await InventoryCommandContext.Fail(InventoryCommandContext.Refused, "nothing to change: give the fields to change, like --ip 192.0.2.11/24 (see hosts edit --help)").ConfigureAwait(false);
            }
            HostRecord host = await Resolve(services, parse.GetValue(key)!, ct).ConfigureAwait(false);
            HostRecord updated = await services.GetRequiredService<HostService>().UpdateAsync(host.Id, fields.From(parse), partial: true, ct).ConfigureAwait(false);
            Console.WriteLine($"updated host {updated.Id}: {updated.Hostname} {updated.Mac} {updated.Ip}/{updated.PrefixLength}");
            return 0;
        }, ct));
        return edit;
    }

    private static Command List()
    {
        Option<string> search = HostFieldOptions.Field("--search", "Part of a MAC, hostname or IP");
        Option<string> state = HostFieldOptions.Field("--state", "Only hosts in this state (idle, pending, booting, installing, installed, deployed, failed)");
        Option<string> profile = HostFieldOptions.Field("--profile", "Only hosts with this profile");
        var json = new Option<bool>("--json") { Description = "Print JSON (the API's host objects)" };
        var list = new Command("list", "List hosts.") { search, state, profile, json };
        list.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            BuildState? wanted = null;
            if (parse.GetValue(state) is { } stateText)
            {
                if (!Enum.TryParse(stateText, ignoreCase: true, out BuildState parsed) || int.TryParse(stateText, out _))
                {
                    return await InventoryCommandContext.Fail(InventoryCommandContext.Refused, $"--state '{stateText}' is not one of: {string.Join(", ", Enum.GetValues<BuildState>().Select(s => s.Name()))}").ConfigureAwait(false);
                }
                wanted = parsed;
            }
            List<HostRecord> hosts = await services.GetRequiredService<HostService>().ListAsync(new HostQuery(parse.GetValue(search), wanted, parse.GetValue(profile)), ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(hosts.Select(HostDto.From), Json));
                return 0;
            }
            Console.WriteLine($"{"ID",-6} {"MAC",-17} {"HOSTNAME",-24} {"IP",-18} {"PROFILE",-12} STATE");
            foreach (HostRecord h in hosts)
            {
                Console.WriteLine($"{h.Id,-6} {h.Mac,-17} {h.Hostname,-24} {h.Ip + "/" + h.PrefixLength,-18} {h.Profile,-12} {h.State.Name()}");
            }
            return 0;
        }, ct));
        return list;
    }

    internal static Argument<string> Key() => new("host") { Description = "Host id, MAC or hostname" };

    private static Command Show()
    {
        Argument<string> key = Key();
        var json = new Option<bool>("--json") { Description = "Print one JSON object: the API's host object and its timeline (events)" };
        var show = new Command("show", "Show a host and its build timeline.") { key, json };
        show.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            HostRecord host = await Resolve(services, parse.GetValue(key)!, ct).ConfigureAwait(false);
            IReadOnlyList<HostEvent> timeline = await services.GetRequiredService<BuildTracker>().TimelineAsync(host.Id, ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { host = HostDto.From(host), events = timeline.Select(HostEventDto.From) }, Json));
                return 0;
            }
            Console.WriteLine(JsonSerializer.Serialize(HostDto.From(host), Json));
            foreach (HostEvent e in timeline)
            {
                Console.WriteLine($"{e.At:yyyy-MM-dd HH:mm:ss}Z  {e.Source,-8} {e.State.Name(),-10} {e.Message}");
            }
            return 0;
        }, ct));
        return show;
    }

    private static Command Log()
    {
        Argument<string> key = Key();
        var tail = new Option<int?>("--tail") { Description = "Only the last N lines" };
        var log = new Command("log", "Print the installer log of the host's current or last build (arrival time, line).") { key, tail };
        log.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            HostRecord host = await Resolve(services, parse.GetValue(key)!, ct).ConfigureAwait(false);
            int? last = parse.GetValue(tail);
            if (last is < 1)
            {
                return await InventoryCommandContext.Fail(InventoryCommandContext.Refused, "--tail must be at least 1").ConfigureAwait(false);
            }
            Console.Write(InstallerLogs.Format(await services.GetRequiredService<InstallerLogs>().ReadAsync(host.Id, last, ct).ConfigureAwait(false)));
            return 0;
        }, ct));
        return log;
    }

    private static Command Remove() => OnHost("remove", "Remove a host and its timeline.", async (services, host, ct) =>
    {
        await services.GetRequiredService<HostService>().DeleteAsync(host.Id, ct).ConfigureAwait(false);
        Console.WriteLine($"removed host {host.Id}: {host.Hostname}");
    });

    private static Command OnHost(string name, string description, Func<IServiceProvider, HostRecord, CancellationToken, Task> act)
    {
        Argument<string> key = Key();
        var command = new Command(name, description) { key };
        command.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            await act(services, await Resolve(services, parse.GetValue(key)!, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
            return 0;
        }, ct));
        return command;
    }

    internal static async Task<HostRecord> Resolve(IServiceProvider services, string key, CancellationToken ct) =>
        await services.GetRequiredService<HostService>().FindAsync(key, ct).ConfigureAwait(false)
            ?? throw InventoryException.NotFound($"with id, MAC or hostname '{key}'");
}
