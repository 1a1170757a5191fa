using System.Text.Json;

namespace Provisioner.Core.Inventory;

/// <summary>
/// What a host in a group sets itself, stored beside its merged values: each null is taken from the
/// group, <see cref="None"/> says "none here" where the group has one. Kept so that a change to the
/// group reaches only what the host inherits, and so the host's fields read back as they were given.
/// </summary>
public sealed record HostOverrides
{
    /// <summary>A host's explicit "no value" for a domain, gateway, console or DNS where its group has one.</summary>
    public const string None = "none";

    public string? Domain { get; init; }

    public string? Gateway { get; init; }

    public IReadOnlyList<string>? Dns { get; init; }

    public string? Profile { get; init; }

    public string? Console { get; init; }

    public InstallSettings Settings { get; init; } = new();

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The stored form read back; an unreadable one (edited by hand) overrides nothing.</summary>
    public static HostOverrides FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return new();
        }
        try
        {
            return JsonSerializer.Deserialize<HostOverrides>(json, Json) ?? new();
        }
        catch (JsonException)
        {
            return new();
        }
    }

    /// <summary>
    /// What <paramref name="given"/> sets itself, in the normalised form of <paramref name="merged"/>
    /// (the host record it was validated into): a field given as a value stores the stored value.
    /// </summary>
    public static HostOverrides Of(HostFields given, HostRecord merged) => new()
    {
        Domain = Own(given.Domain, merged.Domain),
        Gateway = Own(given.Gateway, merged.Gateway),
        Dns = IsNone(given.Dns) ? [None] : given.Dns is { Count: > 0 } ? merged.Dns : null,
        Profile = Own(given.Profile, merged.Profile),
        Console = Own(given.Console, merged.Console),
        Settings = OwnSettings(given.Settings ?? new(), merged.Settings),
    };

    /// <summary>Whether a field was given as "none".</summary>
    public static bool IsNone(string? value) => value?.Trim().Equals(None, StringComparison.OrdinalIgnoreCase) == true;

    public static bool IsNone(IReadOnlyList<string>? values) => values is [var only] && IsNone(only);

    private static bool Set(string? given) => !string.IsNullOrWhiteSpace(given);

    private static string? Own(string? given, string? stored) =>
        string.IsNullOrWhiteSpace(given) ? null : IsNone(given) ? None : stored;

    private static InstallSettings OwnSettings(InstallSettings given, InstallSettings stored) => new()
    {
        Mirror = Set(given.Mirror) ? stored.Mirror : null,
        Proxy = Set(given.Proxy) ? stored.Proxy : null,
        TimeZone = Set(given.TimeZone) ? stored.TimeZone : null,
        Locale = Set(given.Locale) ? stored.Locale : null,
        Keyboard = Set(given.Keyboard) ? stored.Keyboard : null,
        Disk = Set(given.Disk) ? stored.Disk : null,
        Packages = Set(given.Packages) ? stored.Packages : null,
        WipeDisks = given.WipeDisks is null ? null : stored.WipeDisks,
    };
}
