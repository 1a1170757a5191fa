using System.CommandLine;
using Provisioner.Core.Boot;
using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;

namespace Provisioner.Host.Cli;

/// <summary>
/// <c>provisioner hosts build|cancel HOST…</c> (build optionally <c>--power-cycle</c>): one host or a rack's worth. Every name is looked up
/// before anything changes, so a typo builds nothing; then each host is asked in turn, one line each,
/// and the exit code says whether every one of them was.
/// </summary>
internal static class HostsBuildCommand
{
    public static Command Build()
    {
        Argument<string[]> keys = Keys();
        var powerCycle = new Option<bool>("--power-cycle")
        {
            Description = "Then, through each host's BMC, boot it from the network once and power-cycle it (see hosts bmc): the build starts now",
        };
        var command = new Command("build", "Put hosts into build mode: each installs at its next PXE boot.") { keys, powerCycle };
        command.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            var building = new List<HostRecord>();
            int refused = 0;
            List<HostRecord> hosts = await ResolveAllAsync(services, parse.GetValue(keys)!, ct).ConfigureAwait(false);
            if (parse.GetValue(powerCycle))
            {
                // As with an unknown name: a host without a BMC changes nothing, rather than a build nobody starts.
                Dictionary<int, Core.Power.BmcType> withBmc = await services.GetRequiredService<Core.Power.BmcService>().TypesAsync([.. hosts.Select(h => h.Id)], ct).ConfigureAwait(false);
                string[] without = [.. hosts.Where(h => !withBmc.ContainsKey(h.Id)).Select(h => h.Hostname)];
                if (without.Length > 0)
                {
                    throw new InventoryException(InventoryErrorKind.Invalid,
                        [.. without.Select(name => new FieldError("host", $"{name} has no BMC to power-cycle it (set one with hosts bmc; nothing was changed)"))]);
                }
            }
            foreach (HostRecord host in hosts)
            {
                if (await Refusals(host, () => RequestAsync(services, host, ct)).ConfigureAwait(false))
                {
                    building.Add(host);
                }
                else
                {
                    refused++;
                }
            }
            bool powered = !parse.GetValue(powerCycle) || await HostsPowerCommand.RunAllAsync(services, building, Core.Power.PowerAction.PxeCycle, ct).ConfigureAwait(false);
            return refused == 0 && powered ? 0 : InventoryCommandContext.Refused;
        }, ct));
        return command;
    }

    private static async Task RequestAsync(IServiceProvider services, HostRecord host, CancellationToken ct)
    {
        HostRecord built = await services.GetRequiredService<BuildTracker>().RequestBuildAsync(host.Id, EventSources.Api, ct).ConfigureAwait(false);
        Console.WriteLine($"host {built.Id} ({built.Hostname}) is {built.State.Name()}: it installs {built.Profile} at its next PXE boot");
        // As the API's answer does: the build stands, but the operator hears now what the boot would miss.
        foreach (string warning in await services.GetRequiredService<ProfileBootFiles>().BuildWarningsAsync(built.Profile).ConfigureAwait(false))
        {
            await Console.Error.WriteLineAsync($"provisioner: warning: host {built.Hostname}: {warning}").ConfigureAwait(false);
        }
    }

    public static Command Cancel() => OnHosts("cancel", "Cancel hosts' builds: each boots from its local disk.", async (services, host, ct) =>
    {
        HostRecord cancelled = await services.GetRequiredService<BuildTracker>().CancelBuildAsync(host.Id, EventSources.Api, ct).ConfigureAwait(false);
        Console.WriteLine($"host {cancelled.Id} ({cancelled.Hostname}) is {cancelled.State.Name()}");
    });

    private static Command OnHosts(string name, string description, Func<IServiceProvider, HostRecord, CancellationToken, Task> act)
    {
        Argument<string[]> keys = Keys();
        var command = new Command(name, description) { keys };
        command.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            int refused = 0;
            foreach (HostRecord host in await ResolveAllAsync(services, parse.GetValue(keys)!, ct).ConfigureAwait(false))
            {
                if (!await Refusals(host, () => act(services, host, ct)).ConfigureAwait(false))
                {
                    refused++;
                }
            }
            return refused == 0 ? 0 : InventoryCommandContext.Refused;
        }, ct));
        return command;
    }

    internal static Argument<string[]> Keys() => new("hosts") { Description = "Host ids, MACs or hostnames", Arity = ArgumentArity.OneOrMore };

    /// <summary>Every host <paramref name="keys"/> names, each once; refused as a whole, changing nothing, when any name is unknown.</summary>
    internal static async Task<List<HostRecord>> ResolveAllAsync(IServiceProvider services, IEnumerable<string> keys, CancellationToken ct)
    {
        HostService hosts = services.GetRequiredService<HostService>();
        var found = new List<HostRecord>();
        var unknown = new List<string>();
        foreach (string key in keys.Distinct(StringComparer.Ordinal))
        {
            if (await hosts.FindAsync(key, ct).ConfigureAwait(false) is { } host)
            {
                found.Add(host);
            }
            else
            {
                unknown.Add(key);
            }
        }
        if (unknown.Count > 0)
        {
            throw new InventoryException(InventoryErrorKind.NotFound,
                [.. unknown.Select(k => new FieldError("host", $"no host with id, MAC or hostname '{k}' (nothing was changed)"))]);
        }
        return [.. found.DistinctBy(h => h.Id)];
    }

    /// <summary>Runs <paramref name="act"/> for one host of several: a refusal is printed with the host's name and does not stop the others; false when refused.</summary>
    internal static async Task<bool> Refusals(HostRecord host, Func<Task> act)
    {
        try
        {
            await act().ConfigureAwait(false);
            return true;
        }
        catch (InventoryException problem)
        {
            foreach (FieldError error in problem.Errors)
            {
                await Console.Error.WriteLineAsync($"provisioner: host {host.Hostname}: {error}").ConfigureAwait(false);
            }
            return false;
        }
    }
}
