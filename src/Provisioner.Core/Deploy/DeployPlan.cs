using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provisioner.Core.Deploy;

/// <summary>
/// What the deploy agent does to one host (<c>/build/TOKEN/plan</c>, JSON in snake_case): which disk,
/// how large it must be, the image to write and how to check it, the installed system's kernel line
/// and GRUB serial console, and where its cloud-init data is.
/// </summary>
public sealed record DeployPlan(string Hostname, string Mac, DeployDisk Disk, DeployImage Image, DeployGrub Grub, string Nocloud)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };
}

/// <param name="Path">The disk the host's <c>Disk</c> install setting names; null: the first fixed, writable disk.</param>
/// <param name="MinBytes">The smallest disk the image fits on (the agent refuses a smaller one).</param>
public sealed record DeployDisk(string? Path, long MinBytes);

/// <param name="Url">The root file system (squashfs) of this version.</param>
public sealed record DeployImage(string Name, string Version, string Url, string Sha256, long Size, long RootBytes);

/// <param name="Cmdline">GRUB_CMDLINE_LINUX: the host's kernel arguments and serial console.</param>
/// <param name="CmdlineDefault">GRUB_CMDLINE_LINUX_DEFAULT: the image's kernel command line.</param>
/// <param name="Serial">GRUB_SERIAL_COMMAND, or empty without a serial console.</param>

public sealed record DeployGrub(string Cmdline, string CmdlineDefault, string Serial);
