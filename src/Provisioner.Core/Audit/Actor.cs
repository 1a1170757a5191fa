namespace Provisioner.Core.Audit;

/// <summary>
/// Who asked for a change: a signed-in user (<c>web</c>), an API token by its name (<c>api</c>), a
/// user on the appliance's own shell (<c>cli</c>) or the appliance itself (<c>system</c>: the
/// watchdog, start-up).
/// </summary>
public sealed record Actor(string Name, string Via)
{
    public const string Web = "web";
    public const string Api = "api";
    public const string Cli = "cli";
    public const string SystemVia = "system";

    /// <summary>Longest stored name: user names and token names are shorter.</summary>
    public const int MaxNameLength = 128;

    public static readonly Actor Appliance = new("appliance", SystemVia);

    /// <summary>As people read it: <c>alice</c>, <c>token ci</c>, <c>root (cli)</c>.</summary>
    public string Display => Via switch
    {
        Api => $"token {Name}",
        Cli => $"{Name} (cli)",
        _ => Name,
    };

    /// <summary>The operating system user running a CLI command; under sudo, the user who ran sudo.</summary>
    public static Actor CommandLine()
    {
        string? sudo = Environment.GetEnvironmentVariable("SUDO_USER");
        string name = sudo is { Length: > 0 } ? sudo : Environment.UserName;
        return new(Cut(name.Length > 0 ? name : "unknown"), Cli);
    }

    public static string Cut(string name) => name.Length <= MaxNameLength ? name : name[..MaxNameLength];
}
