using System.Net;
using Provisioner.Pxe.Net;

namespace Provisioner.Core.Inventory;

/// <summary>
/// Checks every field of a <see cref="HostFields"/> and reports all problems at once, each naming
/// its field, so an operator fixes a line in one go. Uniqueness needs the database and is checked
/// by <see cref="HostService"/>.
/// </summary>
public sealed class HostValidator(IProfileCatalog profiles)
{
    public const int MaxKernelArgsLength = 1024;
    public const int MaxNotesLength = 4096;
    public const int MaxDnsServers = 3;
    public const int MaxSshKeys = 100;
    public const string DefaultProfile = "debian12";

    /// <summary>The fields by their JSON names, as import and export name their columns.</summary>
    public static readonly string[] FieldNames = ["mac", "hostname", "domain", "ip", "gateway", "dns", "profile", "console", "kernelArgs", "notes", "appliance", "sshKeys", "group", .. InstallSettingsCheck.FieldNames.Select(f => SettingsPrefix + f)];

    /// <summary>Install settings are one object in the JSON, <c>settings</c>: their errors and CSV columns are <c>settings.timeZone</c>, ….</summary>
    public const string SettingsPrefix = "settings.";

    /// <summary>
    /// Fills <paramref name="host"/> from <paramref name="fields"/> and what they leave to
    /// <paramref name="group"/> (null: none); on any error leaves it untouched. An error in a value
    /// taken from the group says so: the group's value does not fit this host.
    /// </summary>
    public IReadOnlyList<FieldError> Apply(HostFields fields, HostRecord host, HostGroup? group)
    {
        if (group is null)
        {
            List<FieldError> own = ApplyFields(fields, host);
            if (own.Count == 0)
            {
                (host.GroupId, host.GroupName, host.Overrides) = (null, null, null);
            }
            return own;
        }
        List<FieldError> errors = ApplyFields(fields.Inherit(group), host);
        if (errors.Count > 0)
        {
            HashSet<string> inherited = [.. fields.InheritedFrom(group)];
            return [.. errors.Select(e => inherited.Contains(e.Field) ? e with { Message = $"{e.Message} (the value of group {group.Name})" } : e)];
        }
        (host.GroupId, host.GroupName, host.Overrides) = (group.Id, group.Name, HostOverrides.Of(fields, host).ToJson());
        return errors;
    }

    /// <summary>A host in no group.</summary>
    public IReadOnlyList<FieldError> Apply(HostFields fields, HostRecord host) => Apply(fields, host, group: null);

    private List<FieldError> ApplyFields(HostFields fields, HostRecord host)
    {
        var errors = new List<FieldError>();
        string mac = Mac(fields.Mac, errors);
        (string hostname, string? domain) = Names(fields.Hostname, fields.Domain, errors);
        Ipv4Interface? ip = Ip(fields.Ip, errors);
        string? gateway = Gateway(fields.Gateway, ip, errors);
        List<string> dns = Dns(fields.Dns, errors);
        string profile = Profile(fields.Profile, errors);
        string? console = Console(fields.Console, errors);
        string? kernelArgs = Text("kernelArgs", fields.KernelArgs, MaxKernelArgsLength, singleLine: true, errors);
        string? notes = Text("notes", fields.Notes, MaxNotesLength, singleLine: false, errors);
        string? appliance = Appliance(fields.Appliance, errors);
        List<string> sshKeys = SshKeys(fields.SshKeys, errors);
        InstallSettings settings = InstallSettingsCheck.Normalise(fields.Settings ?? new(), errors, SettingsPrefix);
        if (errors.Count > 0)
        {
            return errors;
        }
        host.Mac = mac;
        host.Hostname = hostname;
        host.Domain = domain;
        host.Ip = ip!.Value.Address.ToString();
        host.PrefixLength = ip.Value.PrefixLength;
        host.Gateway = gateway;
        host.Dns = dns;
        host.Profile = profile;
        host.Console = console;
        host.KernelArgs = kernelArgs;
        host.Notes = notes;
        host.Appliance = appliance;
        host.SshKeys = sshKeys;
        host.Settings = settings;
        return errors;
    }

    /// <summary>Each entry one OpenSSH public key (read as <see cref="Access.SshPublicKey"/> does); errors name the entry by its line number.</summary>
    private static List<string> SshKeys(IReadOnlyList<string>? values, List<FieldError> errors)
    {
        string[] given = [.. (values ?? []).Where(v => !string.IsNullOrWhiteSpace(v))];
        if (given.Length > MaxSshKeys)
        {
            errors.Add(new("sshKeys", $"{given.Length} keys; at most {MaxSshKeys} per host (site-wide keys go on the SSH keys page)"));
            return [];
        }
        var keys = new List<string>(given.Length);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < given.Length; i++)
        {
            if (!Access.SshPublicKey.TryParse(given[i], out Access.SshPublicKey? key, out string? error))
            {
                errors.Add(new("sshKeys", $"line {i + 1}: {error}"));
            }
            else if (!seen.Add(key.Fingerprint))
            {
                errors.Add(new("sshKeys", $"line {i + 1}: the same key ({key.Fingerprint}) as an earlier line"));
            }
            else
            {
                keys.Add(key.Line);
            }
        }
        return keys;
    }

    /// <summary>Optional: a host left unpinned is built by whichever appliance sees it boot.</summary>
    private static string? Appliance(string? value, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        string name = value.Trim().ToLowerInvariant();
        if (HostNames.IsLabel(name))
        {
            return name;
        }
        errors.Add(new("appliance", $"'{value}' is not an appliance name (one DNS label like rack-a, as the appliance's --appliance)"));
        return null;
    }

    private static string Mac(string? value, List<FieldError> errors)
    {
        if (MacAddress.TryParse(value, out MacAddress mac))
        {
            // A NIC's own address is unicast and not zero; these would match no machine, or every one.
            string? unusable = mac.IsZero ? "is all zeros, which no network card has"
                : mac.IsGroup ? (mac.ToString() == "ff:ff:ff:ff:ff:ff" ? "is the broadcast address" : "is a multicast address (its first octet is odd), not one network card's")
                : null;
            if (unusable is null)
            {
                return mac.ToString();
            }
            errors.Add(new("mac", $"{mac} {unusable}"));
            return string.Empty;
        }
        errors.Add(new("mac", string.IsNullOrWhiteSpace(value)
            ? "required (like aa:bb:cc:dd:ee:ff)"
            : $"'{value}' is not a MAC address (aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff or aabb.ccdd.eeff)"));
        return string.Empty;
    }

    /// <summary>A hostname may be given as an FQDN: its first label is the hostname, the rest the domain.</summary>
    private static (string Hostname, string? Domain) Names(string? hostnameText, string? domainText, List<FieldError> errors)
    {
        string name = (hostnameText ?? string.Empty).Trim().TrimEnd('.').ToLowerInvariant();
        string? domain = HostOverrides.IsNone(domainText) ? null : Blank(domainText)?.TrimEnd('.').ToLowerInvariant();
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            string fromName = name[(dot + 1)..];
            if (domain is not null && domain != fromName)
            {
                errors.Add(new("domain", $"'{domain}' differs from the domain in hostname '{hostnameText}'"));
            }
            domain = fromName;
            name = name[..dot];
        }
        if (name.Length == 0)
        {
            errors.Add(new("hostname", "required (letters, digits and hyphens, like web01)"));
        }
        else if (!HostNames.IsLabel(name))
        {
            errors.Add(new("hostname", name.Length > HostNames.MaxLabelLength
                ? $"longer than {HostNames.MaxLabelLength} characters"
                : $"'{hostnameText}' is not an RFC 1123 host name (letters, digits and hyphens; no hyphen first or last)"));
        }
        if (domain is not null && !HostNames.IsDomain(domain))
        {
            errors.Add(new("domain", domain.Length > HostNames.MaxNameLength
                ? $"longer than {HostNames.MaxNameLength} characters"
                : $"'{domain}' is not a domain name (dot-separated RFC 1123 labels)"));
        }
        return (name, domain);
    }

    private static Ipv4Interface? Ip(string? value, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new("ip", "required (address with prefix length, like 192.0.2.10/24)"));
            return null;
        }
        if (!Ipv4Interface.TryParse(value, defaultPrefix: null, out Ipv4Interface ip, out string error))
        {
            errors.Add(new("ip", error));
            return null;
        }
        if (Ipv4Interface.Unusable(ip.Address) is { } unusable)
        {
            errors.Add(new("ip", unusable));
            return null;
        }
        return ip;
    }

    internal static string? Gateway(string? value, Ipv4Interface? ip, List<FieldError> errors)
    {
        string? text = HostOverrides.IsNone(value) ? null : Blank(value);
        if (text is null)
        {
            return null;
        }
        if (!Ipv4Interface.TryParseAddress(text, out IPAddress gateway, out string error))
        {
            errors.Add(new("gateway", error));
        }
        else if (ip is { } subnet && !subnet.Contains(gateway))
        {
            errors.Add(new("gateway", $"{gateway} is outside the host's subnet {subnet.Network}/{subnet.PrefixLength}"));
        }
        else if (ip is { } own && own.Address.Equals(gateway))
        {
            errors.Add(new("gateway", $"{gateway} is the host's own address"));
        }
        return text;
    }

    internal static List<string> Dns(IReadOnlyList<string>? values, List<FieldError> errors)
    {
        var servers = new List<string>();
        foreach (string value in HostOverrides.IsNone(values) ? [] : values ?? [])
        {
            if (Ipv4Interface.TryParseAddress(value.Trim(), out IPAddress server, out string error))
            {
                servers.Add(server.ToString());
            }
            else
            {
                errors.Add(new("dns", error));
            }
        }
        if (servers.Count > MaxDnsServers)
        {
            errors.Add(new("dns", $"{servers.Count} servers given; the installer takes {MaxDnsServers} at most"));
        }
        return servers;
    }

    private string Profile(string? value, List<FieldError> errors)
    {
        string profile = Blank(value)?.ToLowerInvariant() ?? DefaultProfile;
        if (!profiles.Exists(profile))
        {
            errors.Add(new("profile", Deploy.ImageProfiles.TryGetImage(profile, out string image)
                ? $"'{profile}' names no image definition images/{image}.json, or templates/pxelinux/image.liquid is missing (known: {string.Join(", ", profiles.List())})"
                : $"'{profile}' has no template templates/pxelinux/{profile}.liquid (known: {string.Join(", ", profiles.List())})"));
        }
        return profile;
    }

    internal static string? Console(string? value, List<FieldError> errors)
    {
        if (SerialConsole.TryParse(value, out SerialConsole? console))
        {
            return console?.ToString();
        }
        errors.Add(new("console", $"'{value}' is not a serial console like ttyS1,115200n8 (or none)"));
        return null;
    }

    internal static string? Text(string field, string? value, int maxLength, bool singleLine, List<FieldError> errors)
    {
        string? text = Blank(value);
        if (text is null)
        {
            return null;
        }
        if (text.Length > maxLength)
        {
            errors.Add(new(field, $"longer than {maxLength} characters"));
        }
        else if (singleLine && text.AsSpan().ContainsAny('\r', '\n'))
        {
            errors.Add(new(field, "must be one line"));
        }
        else if (text.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            errors.Add(new(field, "contains control characters"));
        }
        return text;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The profiles a host may name: those with a pxelinux template.</summary>
public interface IProfileCatalog
{
    bool Exists(string profile);

    IReadOnlyList<string> List();
}
