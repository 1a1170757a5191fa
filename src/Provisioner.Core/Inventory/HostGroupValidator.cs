namespace Provisioner.Core.Inventory;

/// <summary>
/// Checks a group's fields, all problems at once, named as in the JSON. Each value is checked as a
/// host's would be (the group's gateway against each member's subnet is <see cref="HostGroupService"/>'s
/// check, with the members at hand).
/// </summary>
public sealed class HostGroupValidator(IProfileCatalog profiles)
{
    public const int MaxDescriptionLength = 1024;

    /// <summary>Fills <paramref name="group"/> from <paramref name="fields"/>; on any error leaves it untouched.</summary>
    public IReadOnlyList<FieldError> Apply(HostGroupFields fields, HostGroup group)
    {
        var errors = new List<FieldError>();
        string name = Name(fields.Name, errors);
        string? description = HostValidator.Text("description", fields.Description, MaxDescriptionLength, singleLine: false, errors);
        string? domain = Domain(fields.Domain, errors);
        string? gateway = HostValidator.Gateway(fields.Gateway, ip: null, errors);
        List<string> dns = HostValidator.Dns(fields.Dns, errors);
        string? profile = Profile(fields.Profile, errors);
        string? console = HostValidator.Console(fields.Console, errors);
        InstallSettings settings = InstallSettingsCheck.Normalise(fields.Settings ?? new(), errors, HostValidator.SettingsPrefix);
        if (errors.Count > 0)
        {
            return errors;
        }
        (group.Name, group.Description, group.Domain, group.Gateway, group.Dns, group.Profile, group.Console, group.Settings) =
            (name, description, domain, gateway, dns, profile, console, settings);
        return errors;
    }

    private static string Name(string? value, List<FieldError> errors)
    {
        string name = (value ?? string.Empty).Trim().ToLowerInvariant();
        if (name.Length == 0 || !HostNames.IsLabel(name) || name == HostOverrides.None)
        {
            errors.Add(new("name", name.Length == 0 ? "required (one DNS label, like rack-a)" : $"'{value}' is not a group name (one DNS label, like rack-a; not 'none')"));
        }
        return name;
    }

    private static string? Domain(string? value, List<FieldError> errors)
    {
        string? domain = string.IsNullOrWhiteSpace(value) ? null : value.Trim().TrimEnd('.').ToLowerInvariant();
        if (domain is not null && !HostNames.IsDomain(domain))
        {
            errors.Add(new("domain", $"'{domain}' is not a domain name (dot-separated RFC 1123 labels)"));
        }
        return domain;
    }

    private string? Profile(string? value, List<FieldError> errors)
    {
        string? profile = string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToLowerInvariant();
        if (profile is not null && !profiles.Exists(profile))
        {
            errors.Add(new("profile", $"'{profile}' has no template templates/pxelinux/{profile}.liquid (known: {string.Join(", ", profiles.List())})"));
        }
        return profile;
    }
}
