using System.Text.Json;
using Microsoft.Extensions.Options;
using Provisioner.Core.Builds;
using Provisioner.Core.Hosting;
using Provisioner.Core.Images;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;

namespace Provisioner.Core.Deploy;

/// <summary>A deploy file for a build, or why there is none (one line for the 404).</summary>
public sealed record DeployAnswer(string? Text, string Reason)
{
    public static DeployAnswer Missing(string reason) => new(null, reason);
}

/// <summary>
/// What a deploying host's agent fetches with its build's token: the agent itself, the plan, and the
/// NoCloud data. The token is the credential, as for preseeds: only while the build is in progress
/// (<see cref="Builds.Lifecycle.Entitlement.Preseed"/>), only for a host with an image profile.
/// </summary>
public sealed class Deployments(HostDirectory hosts, ImageStore images, Access.SshKeys keys, IOptions<PreseedOptions> site, ApplianceIdentity? appliance = null)
{
    /// <summary>Disk space beyond the image's files: the downloaded squashfs sits on the root file system while it is written out, an ESP, slack.</summary>
    private const long Overhead = 320L * 1024 * 1024;

    public async Task<DeployAnswer> AgentAsync(string token, CancellationToken cancellationToken) =>
        await DeployingAsync(token, cancellationToken).ConfigureAwait(false) is (not null, _, _)
            ? new DeployAnswer(DeployFiles.Agent, string.Empty)
            : DeployAnswer.Missing(BuildFilesByToken.NoBuild);

    public async Task<DeployAnswer> PlanAsync(string token, string baseUrl, CancellationToken cancellationToken)
    {
        (HostRecord? host, ImageManifest? image, string reason) = await DeployingAsync(token, cancellationToken).ConfigureAwait(false);
        if (host is null || image is null)
        {
            return DeployAnswer.Missing(reason);
        }
        var urls = new BuildUrls(baseUrl, token);
        ImageFile root = image.Files.Single(f => f.Name == ImageManifest.RootFile);
        // Images built before RootBytes was recorded: squashfs with zstd is about a third of its files.
        long rootBytes = image.RootBytes > 0 ? image.RootBytes : root.Size * 3;
        long minBytes = ((rootBytes + (rootBytes / 8) + root.Size + Overhead) / (1024 * 1024) + 1) * 1024 * 1024;
        InstallSettings settings = host.Settings.Over(site.Value.SiteSettings);
        SerialConsole? console = SerialConsole.TryParse(host.Console, out SerialConsole? parsed) ? parsed : null;
        string cmdline = string.Join(' ', new[] { host.KernelArgs, console is null ? null : $"console=tty0 console={console}" }.Where(a => !string.IsNullOrEmpty(a)));
        var plan = new DeployPlan(host.Fqdn, host.Mac,
            new DeployDisk(settings.Disk, minBytes),
            new DeployImage(image.Name, image.Version, $"{urls.Boot}/{BootFilesPath(image)}/{ImageManifest.RootFile}", root.Sha256, root.Size, rootBytes),
            new DeployGrub(cmdline, image.KernelCommandLine, console is null ? string.Empty : $"serial --unit={console.Unit} --speed={console.Speed}"),
            $"{urls.Deploy}/nocloud");
        return new DeployAnswer(JsonSerializer.Serialize(plan, DeployPlan.Json) + "\n", string.Empty);
    }

    /// <summary>One NoCloud file; <paramref name="interfaceName"/> names the booted card in network-config.</summary>
    public async Task<DeployAnswer> NoCloudAsync(string token, string file, string? interfaceName, string baseUrl, CancellationToken cancellationToken)
    {
        (HostRecord? host, _, string reason) = await DeployingAsync(token, cancellationToken).ConfigureAwait(false);
        if (host is null)
        {
            return DeployAnswer.Missing(reason);
        }
        return file switch
        {
            NoCloudData.MetaData => new(NoCloudData.Meta(host, token), string.Empty),
            NoCloudData.NetworkConfig => IsInterfaceName(interfaceName ?? "eth0")
                ? new(NoCloudData.Network(host, interfaceName ?? "eth0"), string.Empty)
                : DeployAnswer.Missing($"'{interfaceName}' is not a network interface name"),
            NoCloudData.UserData => new(NoCloudData.User(host, new BuildUrls(baseUrl, token), site.Value, await keys.LinesAsync(cancellationToken).ConfigureAwait(false)), string.Empty),
            _ => DeployAnswer.Missing($"no NoCloud file '{file}': {string.Join(", ", NoCloudData.Files)}"),
        };
    }

    /// <summary>The boot-dir path of a version's files, <c>images/NAME/VERSION</c>.</summary>
    public static string BootFilesPath(ImageManifest image) => $"{Boot.BootFiles.ImagePrefix}{image.Name}/{image.Version}";

    private async Task<(HostRecord? Host, ImageManifest? Image, string Reason)> DeployingAsync(string token, CancellationToken cancellationToken)
    {
        if (await BuildFilesByToken.FindAsync(hosts, token, appliance, cancellationToken).ConfigureAwait(false) is not { } host)
        {
            return (null, null, BuildFilesByToken.NoBuild);
        }
        if (!ImageProfiles.TryGetImage(host.Profile, out string name))
        {
            return (null, null, $"host {host.Hostname} runs an installer (profile {host.Profile}), not an image deploy");
        }
        return images.Current(name) is { } image
            ? (host, image, string.Empty)
            : (host, null, $"image {name} has no built version: provisioner images build {name}");
    }

    /// <summary>Linux's interface names: up to 15 characters, no slash, no white space.</summary>
    private static bool IsInterfaceName(string name) =>
        name.Length is > 0 and <= 15 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@') && name is not "." and not "..";
}
