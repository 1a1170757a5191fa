using System.CommandLine;
using System.Text.Json;
using Provisioner.Core.Inventory;
using Provisioner.Web.Api;

namespace Provisioner.Host.Cli;

/// <summary><c>provisioner groups add|list|show|remove</c>: host groups (a rack's gateway, DNS, domain, profile, console and install settings).</summary>
internal static class GroupsCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var command = new Command("groups", "Host groups: settings their hosts share.") { Add(), List(), Show(), Remove() };
        InventoryCommandContext.AddOptions(command);
        return command;
    }

    private static Command Add()
    {
        var name = new Argument<string>("name") { Description = "One DNS label, like rack-a" };
        var description = new Option<string>("--description") { Description = "What the group is" };
        var domain = new Option<string>("--domain") { Description = "DNS domain of its hosts" };
        var gateway = new Option<string>("--gateway") { Description = "Default gateway (inside each host's subnet)" };
        var dns = new Option<string[]>("--dns") { Description = "DNS server (repeatable)", AllowMultipleArgumentsPerToken = true };
        var profile = new Option<string>("--profile") { Description = "Profile of its hosts: an installer (debian12) or image:NAME" };
        var console = new Option<string>("--console") { Description = "Serial console like ttyS1,115200n8" };
        var settings = new InstallSettingsOptions();
        var add = new Command("add", "Add a host group.") { name, description, domain, gateway, dns, profile, console };
        settings.AddTo(add);
        add.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            HostGroup group = await services.GetRequiredService<HostGroupService>().CreateAsync(new HostGroupFields
            {
                Name = parse.GetValue(name), Description = parse.GetValue(description), Domain = parse.GetValue(domain), Gateway = parse.GetValue(gateway),
                Dns = parse.GetValue(dns), Profile = parse.GetValue(profile), Console = parse.GetValue(console), Settings = settings.From(parse),
            }, ct).ConfigureAwait(false);
            Console.WriteLine($"added group {group.Id}: {group.Name}");
            return 0;
        }, ct));
        return add;
    }

    private static Command List()
    {
        var list = new Command("list", "List host groups: id, name, hosts, profile, gateway.");
        list.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            Console.WriteLine($"{"ID",-6} {"NAME",-24} {"HOSTS",-6} {"PROFILE",-12} GATEWAY");
            foreach (HostGroupSummary s in await services.GetRequiredService<HostGroupService>().ListAsync(ct).ConfigureAwait(false))
            {
                Console.WriteLine($"{s.Group.Id,-6} {s.Group.Name,-24} {s.Hosts,-6} {s.Group.Profile ?? "-",-12} {s.Group.Gateway ?? "-"}");
            }
            return 0;
        }, ct));
        return list;
    }

    private static Argument<string> Key() => new("group") { Description = "Group id or name" };

    private static Command Show()
    {
        Argument<string> key = Key();
        var show = new Command("show", "Show a group as JSON (the API's object).") { key };
        show.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            HostGroupSummary found = await ResolveAsync(services, parse.GetValue(key)!, ct).ConfigureAwait(false);
            Console.WriteLine(JsonSerializer.Serialize(HostGroupDto.From(found.Group, found.Hosts), Json));
            return 0;
        }, ct));
        return show;
    }

    private static Command Remove()
    {
        Argument<string> key = Key();
        var remove = new Command("remove", "Remove a group that has no hosts.") { key };
        remove.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            HostGroupSummary found = await ResolveAsync(services, parse.GetValue(key)!, ct).ConfigureAwait(false);
            await services.GetRequiredService<HostGroupService>().DeleteAsync(found.Group.Id, ct).ConfigureAwait(false);
            Console.WriteLine($"removed group {found.Group.Name}");
            return 0;
        }, ct));
        return remove;
    }

    private static async Task<HostGroupSummary> ResolveAsync(IServiceProvider services, string key, CancellationToken ct) =>
        await services.GetRequiredService<HostGroupService>().FindWithCountAsync(key, ct).ConfigureAwait(false)
            ?? throw HostGroupService.NotFound($"with id or name '{key}'");
}
