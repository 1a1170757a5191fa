using System.CommandLine;
using Provisioner.Host.Cli;

// The only place that reads the command line and the environment: everything below gets options.
var root = new RootCommand("Provisioner: a bare-metal provisioning appliance (TFTP, HTTP, inventory, builds).");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(HostsCommand.Create());
root.Subcommands.Add(TokenCommand.Create());
root.Subcommands.Add(UsersCommand.Create());
return await root.Parse(args).InvokeAsync();
