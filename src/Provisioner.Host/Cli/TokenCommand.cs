using System.CommandLine;
using Provisioner.Core.Inventory;

namespace Provisioner.Host.Cli;

/// <summary><c>provisioner token create [--name N]</c>: prints a new API bearer token.</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "What the token is for. Default 'cli'", DefaultValueFactory = _ => "cli" };
        var create = new Command("create", "Create an API token and print it (it is shown only once).") { name };
        create.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            string token = await services.GetRequiredService<ApiTokens>().CreateAsync(parse.GetValue(name)!, ct).ConfigureAwait(false);
            Console.WriteLine(token);
            return 0;
        }, ct));
        var command = new Command("token", "API bearer tokens.") { create };
        InventoryCommandContext.AddOptions(command);
        return command;
    }
}
