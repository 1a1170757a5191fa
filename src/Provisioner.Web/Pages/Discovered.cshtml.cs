using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Inventory;
using Provisioner.Core.Network;
using Provisioner.Core.Templates;
using Provisioner.Pxe.Net;
using Provisioner.Web.Ui;

namespace Provisioner.Web.Pages;

/// <summary>Unknown machines seen PXE-booting, newest first: register one from what was seen, or dismiss it.</summary>
public sealed class DiscoveredModel(DiscoveredMachines machines, HostService hosts, IProfileCatalog templates, Core.Hosting.ListenerStatus status) : PageModel
{
    public IReadOnlyList<DiscoveredMachine> Machines { get; private set; } = [];

    /// <summary>Whether any interface is captured (<c>--interface</c>): without it, nothing can be discovered.</summary>
    public bool Capturing => status.Listening.Keys.Any(k => k.StartsWith("capture ", StringComparison.Ordinal));

    public IReadOnlyList<string> Profiles => templates.List();

    /// <summary>The machine whose register form was refused, its form as posted, and the errors by field.</summary>
    public string? FailedMac { get; private set; }

    [BindProperty]
    public HostForm Form { get; set; } = new();

    public Dictionary<string, List<string>> Errors { get; } = new(StringComparer.Ordinal);

    [TempData]
    public string? Message { get; set; }

    public void OnGet() => Machines = machines.List();

    public async Task<IActionResult> OnPostRegisterAsync(string mac, CancellationToken cancellationToken)
    {
        if (!MacAddress.TryParse(mac, out MacAddress parsed))
        {
            return BadRequest();
        }
        try
        {
            HostRecord host = await hosts.CreateAsync(Form.ToFields() with { Mac = parsed.ToString() }, cancellationToken);
            machines.Remove(parsed);
            Message = $"{host.Hostname} registered.";
            return Redirect($"/hosts/{host.Id}");
        }
        catch (InventoryException refused)
        {
            FailedMac = parsed.ToString();
            foreach (FieldError error in refused.Errors)
            {
                string field = HostForm.FieldName(error);
                (Errors.TryGetValue(field, out List<string>? list) ? list : Errors[field] = []).Add(error.Message);
            }
            Machines = machines.List();
            return Page();
        }
    }

    public IActionResult OnPostDismiss(string mac)
    {
        if (MacAddress.TryParse(mac, out MacAddress parsed) && machines.Dismiss(parsed))
        {
            Message = $"{parsed} dismissed until the appliance restarts.";
        }
        return Redirect("/discovered");
    }

    /// <summary>The form for <paramref name="machine"/>: as posted when it was refused, else prefilled from what was seen.</summary>
    public HostForm FormFor(DiscoveredMachine machine) => machine.Mac == FailedMac ? Form : new HostForm
    {
        Mac = machine.Mac,
        Hostname = SuggestHostname(machine),
        Ip = machine.Ip is null ? null : machine.Ip + "/24",
        Profile = Profiles.Count > 0 ? Profiles[0] : null,
        Notes = $"Discovered {UiFormat.Time(machine.FirstSeen)}" + (machine.Architecture is null ? string.Empty : $", arch {machine.Architecture}")
            + (machine.VendorClass is null ? string.Empty : $", vendor class {machine.VendorClass}"),
    };

    /// <summary>The name it asked DHCP for when that is a valid hostname, else <c>node-</c> and the MAC's last three bytes.</summary>
    public static string SuggestHostname(DiscoveredMachine machine)
    {
        string? asked = machine.Hostname?.Split('.')[0].ToLowerInvariant();
        return asked is not null && HostNames.IsLabel(asked) ? asked : "node-" + machine.Mac.Replace(":", string.Empty, StringComparison.Ordinal)[6..];
    }
}
