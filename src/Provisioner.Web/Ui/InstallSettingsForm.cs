using Provisioner.Core.Inventory;

namespace Provisioner.Web.Ui;

/// <summary>The install settings as the host and group forms post them (<c>_SettingsFields</c>): empty is "not set here".</summary>
public abstract class InstallSettingsForm
{
    public string? Mirror { get; set; }

    public string? Proxy { get; set; }

    public string? TimeZone { get; set; }

    public string? Locale { get; set; }

    public string? Keyboard { get; set; }

    public string? Disk { get; set; }

    public string? Packages { get; set; }

    /// <summary><c>true</c>, <c>false</c>, or empty for "not set here".</summary>
    public string? WipeDisks { get; set; }

    protected InstallSettings ToSettings() => new()
    {
        Mirror = Blank(Mirror), Proxy = Blank(Proxy), TimeZone = Blank(TimeZone), Locale = Blank(Locale), Keyboard = Blank(Keyboard),
        Disk = Blank(Disk), Packages = Blank(Packages), WipeDisks = bool.TryParse(WipeDisks, out bool wipe) ? wipe : null,
    };

    protected void Fill(InstallSettings settings)
    {
        (Mirror, Proxy, TimeZone, Locale, Keyboard, Disk, Packages) =
            (settings.Mirror, settings.Proxy, settings.TimeZone, settings.Locale, settings.Keyboard, settings.Disk, settings.Packages);
        WipeDisks = settings.WipeDisks is { } wipe ? (wipe ? "true" : "false") : string.Empty;
    }

    /// <summary>The form field an error names (errors are named as in the JSON API: <c>settings.timeZone</c> is <c>TimeZone</c>).</summary>
    public static string FieldName(FieldError error) => error.Field switch
    {
        "kernelArgs" => "KernelArgs",
        var f when f.StartsWith(HostValidator.SettingsPrefix, StringComparison.Ordinal) => FieldName(error with { Field = f[HostValidator.SettingsPrefix.Length..] }),
        var f when f.Length > 0 => char.ToUpperInvariant(f[0]) + f[1..],
        _ => string.Empty,
    };

    protected static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
