using System.CommandLine;
using System.Text.Json;
using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;
using Provisioner.Core.Inventory.Import;
using Provisioner.Web.Api;

namespace Provisioner.Host.Cli;

/// <summary><c>provisioner hosts add|list|show|log|remove|build|cancel|import|export</c>, on the same database as <c>serve</c>.</summary>
internal static class HostsCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var command = new Command("hosts", "Register and manage hosts.")
        {
            Add(), List(), Show(), Log(), Remove(), Build(), Cancel(), Import(), Export(),
        };
        InventoryCommandContext.AddOptions(command);
        return command;
    }

    private static Option<string> Field(string name, string description) => new(name) { Description = description };

    private static Command Add()
    {
        Option<string> mac = Field("--mac", "MAC address (aa:bb:cc:dd:ee:ff, aa-bb-..., aabb.ccdd.eeff)");
        Option<string> hostname = Field("--hostname", "Host name, or FQDN");
        Option<string> ip = Field("--ip", "Static address with prefix, like 192.0.2.10/24");
        Option<string> gateway = Field("--gateway", "Default gateway, inside the subnet");
        var dns = new Option<string[]>("--dns") { Description = "DNS server (repeatable)", AllowMultipleArgumentsPerToken = true };
        Option<string> domain = Field("--domain", "DNS domain");
        Option<string> profile = Field("--profile", $"Template profile. Default {HostValidator.DefaultProfile}");
        Option<string> console = Field("--console", "Serial console like ttyS1,115200n8, or none");
        Option<string> kernelArgs = Field("--kernel-args", "Extra kernel arguments for the installer");
        Option<string> notes = Field("--notes", "Free-form notes");
        Option<string> appliance = Field("--appliance", "Pin the host to this appliance (its --appliance name); default: whichever sees it boot");
        var sshKey = new Option<string[]>("--ssh-key") { Description = "An SSH public key line for this host only, besides the site's keys (repeatable)" };
        Option<string> group = Field("--group", "The host's group: what this command leaves empty comes from it (none: an explicit 'no value' for --gateway, --domain, --console, --dns)");
        var settings = new InstallSettingsOptions();
        var add = new Command("add", "Register a host.") { mac, hostname, ip, gateway, dns, domain, profile, console, kernelArgs, notes, appliance, sshKey, group };
        settings.AddTo(add);
        add.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            var fields = new HostFields
            {
                Mac = parse.GetValue(mac), Hostname = parse.GetValue(hostname), Ip = parse.GetValue(ip), Gateway = parse.GetValue(gateway),
                Dns = parse.GetValue(dns), Domain = parse.GetValue(domain), Profile = parse.GetValue(profile), Console = parse.GetValue(console),
                KernelArgs = parse.GetValue(kernelArgs), Notes = parse.GetValue(notes), Appliance = parse.GetValue(appliance), SshKeys = parse.GetValue(sshKey),
                Settings = settings.From(parse), Group = parse.GetValue(group),
            };
            HostRecord host = await services.GetRequiredService<HostService>().CreateAsync(fields, ct).ConfigureAwait(false);
            Console.WriteLine($"added host {host.Id}: {host.Hostname} {host.Mac} {host.Ip}/{host.PrefixLength}");
            return 0;
        }, ct));
        return add;
    }

    private static Command List()
    {
        Option<string> search = Field("--search", "Part of a MAC, hostname or IP");
        Option<string> state = Field("--state", "Only hosts in this state (idle, pending, booting, installing, installed, deployed, failed)");
        Option<string> profile = Field("--profile", "Only hosts with this profile");
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

    private static Argument<string> Key() => new("host") { Description = "Host id, MAC or hostname" };

    private static Command Show()
    {
        Argument<string> key = Key();
        var show = new Command("show", "Show a host and its build timeline.") { key };
        show.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            HostRecord host = await Resolve(services, parse.GetValue(key)!, ct).ConfigureAwait(false);
            Console.WriteLine(JsonSerializer.Serialize(HostDto.From(host), Json));
            foreach (HostEvent e in await services.GetRequiredService<BuildTracker>().TimelineAsync(host.Id, ct).ConfigureAwait(false))
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

    private static Command Build() => OnHost("build", "Put a host into build mode: it installs at its next PXE boot.", async (services, host, ct) =>
    {
        HostRecord built = await services.GetRequiredService<BuildTracker>().RequestBuildAsync(host.Id, EventSources.Api, ct).ConfigureAwait(false);
        Console.WriteLine($"host {built.Id} ({built.Hostname}) is {built.State.Name()}: it installs {built.Profile} at its next PXE boot");
    });

    private static Command Cancel() => OnHost("cancel", "Cancel a host's build: it boots from local disk.", async (services, host, ct) =>
    {
        HostRecord cancelled = await services.GetRequiredService<BuildTracker>().CancelBuildAsync(host.Id, EventSources.Api, ct).ConfigureAwait(false);
        Console.WriteLine($"host {cancelled.Id} ({cancelled.Hostname}) is {cancelled.State.Name()}");
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

    private static async Task<HostRecord> Resolve(IServiceProvider services, string key, CancellationToken ct) =>
        await services.GetRequiredService<HostService>().FindAsync(key, ct).ConfigureAwait(false)
            ?? throw InventoryException.NotFound($"with id, MAC or hostname '{key}'");

    private static Command Import()
    {
        var file = new Argument<FileInfo>("file") { Description = "ip2mac.txt (ip|mac|hostname) or a CSV with a header row" };
        var format = new Option<string>("--format") { Description = "ip2mac or csv. Default: csv for *.csv, else ip2mac" };
        var prefix = new Option<int?>("--prefix") { Description = "Prefix length for addresses written without one" };
        Option<string> gateway = Field("--gateway", "Gateway for lines without one");
        var dns = new Option<string[]>("--dns") { Description = "DNS server for lines without one (repeatable)", AllowMultipleArgumentsPerToken = true };
        Option<string> domain = Field("--domain", "Domain for lines without one");
        Option<string> profile = Field("--profile", "Profile for lines without one");
        Option<string> console = Field("--console", "Serial console for lines without one");
        var import = new Command("import", "Add every host of a file, or none: all bad lines are listed.") { file, format, prefix, gateway, dns, domain, profile, console };
        import.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            FileInfo path = parse.GetValue(file)!;
            string formatText = parse.GetValue(format) ?? (path.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase) ? "csv" : "ip2mac");
            if (!Enum.TryParse(formatText, ignoreCase: true, out HostImportFormat parsedFormat) || int.TryParse(formatText, out _))
            {
                return await InventoryCommandContext.Fail(InventoryCommandContext.Refused, $"--format '{formatText}' is not ip2mac or csv").ConfigureAwait(false);
            }
            string text = await File.ReadAllTextAsync(path.FullName, ct).ConfigureAwait(false);
            var defaults = new HostFields
            {
                Gateway = parse.GetValue(gateway), Dns = parse.GetValue(dns), Domain = parse.GetValue(domain),
                Profile = parse.GetValue(profile), Console = parse.GetValue(console),
            };
            ParsedImport parsed = HostImportParser.Parse(text, parsedFormat, defaults, parse.GetValue(prefix));
            IReadOnlyList<HostRecord> hosts = await services.GetRequiredService<HostService>().ImportAsync(parsed, ct).ConfigureAwait(false);
            Console.WriteLine($"imported {hosts.Count} host(s) from {path.Name}");
            return 0;
        }, ct));
        return import;
    }

    private static Command Export()
    {
        var file = new Argument<string?>("file") { Description = "Where to write the CSV. Default: standard output", Arity = ArgumentArity.ZeroOrOne };
        var export = new Command("export", "Write every host as CSV (the format import reads).") { file };
        export.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            string csv = HostImportParser.ToCsv(await services.GetRequiredService<HostService>().ListAsync(new HostQuery(), ct).ConfigureAwait(false));
            if (parse.GetValue(file) is { } path)
            {
                await File.WriteAllTextAsync(path, csv, ct).ConfigureAwait(false);
            }
            else
            {
                Console.Write(csv);
            }
            return 0;
        }, ct));
        return export;
    }
}
