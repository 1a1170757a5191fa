using System.CommandLine;
using Provisioner.Host.Cli;

// The only place that reads the command line and the environment: everything below gets options.
var root = new RootCommand("Provisioner: a bare-metal provisioning appliance (TFTP, HTTP, inventory, builds).");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(HostsCommand.Create());
root.Subcommands.Add(TokenCommand.Create());
root.Subcommands.Add(KeysCommand.Create());
root.Subcommands.Add(GroupsCommand.Create());
root.Subcommands.Add(UsersCommand.Create());
root.Subcommands.Add(MirrorCommand.Create());
root.Subcommands.Add(ImagesCommand.Create());
root.Subcommands.Add(DhcpCommand.Create());
root.Subcommands.Add(BackupCommand.CreateBackup());
root.Subcommands.Add(BackupCommand.CreateRestore());
// SIGTERM and Ctrl+C belong to serve's host, which drains transfers for as long as its settings say;
// System.CommandLine would otherwise end the process two seconds after the signal.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
