using Provisioner.Core.Inventory;

namespace Provisioner.Web.Api;

/// <summary>
/// A host as the API shows it (the names import, export and tests use too): the values it is built
/// with, its own over its group's (<c>group</c>); install settings null where the site's apply.
/// </summary>
public sealed record HostDto(
    int Id, string Mac, string Hostname, string? Domain, string Ip, string? Gateway, IReadOnlyList<string> Dns,
    string Profile, string? Console, string? KernelArgs, string? Notes, string? Appliance, IReadOnlyList<string> SshKeys,
    InstallSettings Settings, string? Group,
    string State, string? StateReason, string? Step, int Progress)
{
    /// <summary>What the operator should know about the request just made (a build whose profile lacks boot files); left out when none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Warnings { get; init; }

    public static HostDto From(HostRecord h) => new(
        h.Id, h.Mac, h.Hostname, h.Domain, $"{h.Ip}/{h.PrefixLength}", h.Gateway, h.Dns,
        h.Profile, h.Console, h.KernelArgs, h.Notes, h.Appliance, h.SshKeys,
        h.Settings, h.GroupName,
        h.State.Name(), h.StateReason, h.Step, h.Progress);
}

/// <summary>One timeline step, and the appliance that saw it.</summary>
/// <param name="Actor">Who asked, for a build requested or cancelled by an operator: a user, <c>token NAME</c> or <c>NAME (cli)</c>.</param>
public sealed record HostEventDto(DateTime At, string Source, string State, string Message, string? Appliance, string? Actor)
{
    public static HostEventDto From(HostEvent e) => new(DateTime.SpecifyKind(e.At, DateTimeKind.Utc), e.Source, e.State.Name(), e.Message, e.Appliance, e.Actor);
}
