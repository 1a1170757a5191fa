using System.CommandLine;
using System.Globalization;
using Provisioner.Core.Users;

namespace Provisioner.Host.Cli;

/// <summary>
/// <c>provisioner users list|add|passwd|remove|role</c>: web UI accounts, from the appliance's own shell (for
/// the first users of a site, or a lost admin password). Passwords are generated and printed once.
/// </summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var list = new Command("list", "List the web UI's users and their roles.");
        list.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            foreach (UserAccount user in await services.GetRequiredService<UserService>().ListAsync(ct).ConfigureAwait(false))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{user.Name,-24} {user.Role.ToString().ToLowerInvariant(),-8} password changed {user.PasswordChangedAt:yyyy-MM-dd HH:mm} UTC"));
            }
            return 0;
        }, ct));

        var name = new Argument<string>("name") { Description = "User name" };
        var role = new Option<UserRole>("--role") { Description = "admin (changes anything) or viewer (read-only). Default viewer", DefaultValueFactory = _ => UserRole.Viewer };
        var add = new Command("add", "Add a user with a generated password, printed once.") { name, role };
        add.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            string password = UserService.NewPassword();
            await services.GetRequiredService<UserService>().AddAsync(parse.GetValue(name)!, password, parse.GetValue(role), ct).ConfigureAwait(false);
            Console.WriteLine(password);
            return 0;
        }, ct));

        var passwdName = new Argument<string>("name") { Description = "User name" };
        var passwd = new Command("passwd", "Give a user a new generated password, printed once (e.g. a lost admin password).") { passwdName };
        passwd.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            string password = UserService.NewPassword();
            await services.GetRequiredService<UserService>().SetPasswordAsync(parse.GetValue(passwdName)!, password, ct).ConfigureAwait(false);
            Console.WriteLine(password);
            return 0;
        }, ct));

        var removeName = new Argument<string>("name") { Description = "User name" };
        var remove = new Command("remove", "Remove a user; its open sessions end at their next request.") { removeName };
        remove.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            await services.GetRequiredService<UserService>().RemoveAsync(parse.GetValue(removeName)!, ct).ConfigureAwait(false);
            return 0;
        }, ct));

        var roleName = new Argument<string>("name") { Description = "User name" };
        var newRole = new Argument<UserRole>("role") { Description = "admin or viewer" };
        var setRole = new Command("role", "Give a user another role; its open sessions end at their next request.") { roleName, newRole };
        setRole.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            await services.GetRequiredService<UserService>().SetRoleAsync(parse.GetValue(roleName)!, parse.GetValue(newRole), ct).ConfigureAwait(false);
            return 0;
        }, ct));

        var command = new Command("users", "Web UI accounts. Changing a password or a role, or removing a user, ends that user's sessions.") { list, add, passwd, remove, setRole };
        InventoryCommandContext.AddOptions(command);
        return command;
    }
}
