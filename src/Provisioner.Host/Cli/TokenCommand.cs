using System.CommandLine;
using Provisioner.Core.Inventory;

namespace Provisioner.Host.Cli;

/// <summary><c>provisioner token create [--name N] | list | revoke ID</c>: API bearer tokens.</summary>
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
        var list = new Command("list", "List the API tokens (id, name, created); the tokens themselves are never stored.");
        list.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            foreach (ApiTokenInfo token in await services.GetRequiredService<ApiTokens>().ListAsync(ct).ConfigureAwait(false))
            {
                Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{token.Id,-6} {token.Name,-24} created {token.CreatedAt:yyyy-MM-dd HH:mm} UTC"));
            }
            return 0;
        }, ct));
        var id = new Argument<int>("id") { Description = "The token's id, from provisioner token list" };
        var revoke = new Command("revoke", "Revoke an API token: requests carrying it get 401 from then on.") { id };
        revoke.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            await services.GetRequiredService<ApiTokens>().RevokeAsync(parse.GetValue(id), ct).ConfigureAwait(false);
            return 0;
        }, ct));
        var command = new Command("token", "API bearer tokens.") { create, list, revoke };
        InventoryCommandContext.AddOptions(command);
        return command;
    }
}
