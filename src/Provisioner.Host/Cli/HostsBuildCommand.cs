using System.CommandLine;
using Provisioner.Core.Boot;
using Provisioner.Core.Builds;
using Provisioner.Core.Inventory;

namespace Provisioner.Host.Cli;

/// <summary>
/// <c>provisioner hosts build|cancel HOST…</c>: one host or a rack's worth. Every name is looked up
/// before anything changes, so a typo builds nothing; then each host is asked in turn, one line each,
/// and the exit code says whether every one of them was.
/// </summary>
internal static class HostsBuildCommand
{
    public static Command Build() => OnHosts("build", "Put hosts into build mode: each installs at its next PXE boot.", async (services, host, ct) =>
    {
        HostRecord built = await services.GetRequiredService<BuildTracker>().RequestBuildAsync(host.Id, EventSources.Api, ct).ConfigureAwait(false);
        Console.WriteLine($"host {built.Id} ({built.Hostname}) is {built.State.Name()}: it installs {built.Profile} at its next PXE boot");
        // As the API's answer does: the build stands, but the operator hears now what the boot would miss.
        foreach (string warning in await services.GetRequiredService<ProfileBootFiles>().BuildWarningsAsync(built.Profile).ConfigureAwait(false))
        {
            await Console.Error.WriteLineAsync($"provisioner: warning: host {built.Hostname}: {warning}").ConfigureAwait(false);
        }
    });

    public static Command Cancel() => OnHosts("cancel", "Cancel hosts' builds: each boots from its local disk.", async (services, host, ct) =>
    {
        HostRecord cancelled = await services.GetRequiredService<BuildTracker>().CancelBuildAsync(host.Id, EventSources.Api, ct).ConfigureAwait(false);
        Console.WriteLine($"host {cancelled.Id} ({cancelled.Hostname}) is {cancelled.State.Name()}");
    });

    private static Command OnHosts(string name, string description, Func<IServiceProvider, HostRecord, CancellationToken, Task> act)
    {
        var keys = new Argument<string[]>("hosts") { Description = "Host ids, MACs or hostnames", Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, description) { keys };
        command.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            HostService hosts = services.GetRequiredService<HostService>();
            var found = new List<HostRecord>();
            var unknown = new List<string>();
            foreach (string key in parse.GetValue(keys)!.Distinct(StringComparer.Ordinal))
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
            int refused = 0;
            foreach (HostRecord host in found.DistinctBy(h => h.Id))
            {
                try
                {
                    await act(services, host, ct).ConfigureAwait(false);
                }
                catch (InventoryException problem)
                {
                    refused++;
                    foreach (FieldError error in problem.Errors)
                    {
                        await Console.Error.WriteLineAsync($"provisioner: host {host.Hostname}: {error}").ConfigureAwait(false);
                    }
                }
            }
            return refused == 0 ? 0 : InventoryCommandContext.Refused;
        }, ct));
        return command;
    }
}
