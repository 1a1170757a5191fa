using System.CommandLine;
using Provisioner.Core.Access;

namespace Provisioner.Host.Cli;

/// <summary><c>provisioner keys add [FILE] [--name N] | list | remove ID</c>: the site's SSH public keys.</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file")
        {
            Description = "A file of public keys, one per line (a .pub file, an authorized_keys file); '-' or nothing: standard input",
            DefaultValueFactory = _ => "-",
        };
        var name = new Option<string>("--name") { Description = "What the key is (default: its comment)" };
        var add = new Command("add", "Add SSH public keys for every installed system (root and the admin user); all or nothing.") { file, name };
        add.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            string path = parse.GetValue(file)!;
            string text = path == "-" ? await Console.In.ReadToEndAsync(ct).ConfigureAwait(false) : await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
            foreach (SshKeyInfo key in await services.GetRequiredService<SshKeys>().AddAsync(text, parse.GetValue(name), ct).ConfigureAwait(false))
            {
                Console.WriteLine($"added key {key.Id}: {Describe(key)}");
            }
            return 0;
        }, ct));
        var list = new Command("list", "List the site's SSH keys: id, type and size, fingerprint, name.");
        list.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            foreach (SshKeyInfo key in await services.GetRequiredService<SshKeys>().ListAsync(ct).ConfigureAwait(false))
            {
                Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{key.Id,-6} {Describe(key)}"));
            }
            return 0;
        }, ct));
        var id = new Argument<int>("id") { Description = "The key's id, from provisioner keys list" };
        var remove = new Command("remove", "Remove a site key: systems installed from now on do not get it (installed ones keep it).") { id };
        remove.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            await services.GetRequiredService<SshKeys>().RemoveAsync(parse.GetValue(id), ct).ConfigureAwait(false);
            return 0;
        }, ct));
        var command = new Command("keys", "SSH public keys installed on every host.") { add, list, remove };
        InventoryCommandContext.AddOptions(command);
        return command;
    }

    /// <summary>As <c>ssh-keygen -l</c> prints a key: size, fingerprint, name, type.</summary>
    private static string Describe(SshKeyInfo key) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{key.Bits} {key.Fingerprint} {key.Name} ({key.Algorithm})");
}
