using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;

namespace Provisioner.Core.Deploy;

/// <summary>
/// A deployed host's cloud-init NoCloud data (meta-data, user-data, network-config), which the deploy
/// agent puts on the disk as cloud-init's seed: cloud-init then applies it at the first boot from disk.
/// Written as JSON (YAML's subset; user-data after its <c>#cloud-config</c> line), so no value a host
/// was registered with can change the document's shape.
/// </summary>
public static class NoCloudData
{
    public const string MetaData = "meta-data";
    public const string UserData = "user-data";
    public const string NetworkConfig = "network-config";

    public static readonly IReadOnlyList<string> Files = [MetaData, UserData, NetworkConfig];

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>
    /// The instance id is new for each build (a hash of its token), so cloud-init treats a redeployed
    /// host as a new instance and applies everything again; the token itself is not written down.
    /// </summary>
    public static string Meta(HostRecord host, string token) => new JsonObject
    {
        ["instance-id"] = $"provisioner-{host.Id}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..12]}",
        ["local-hostname"] = host.Hostname,
    }.ToJsonString(Json) + "\n";

    /// <summary>
    /// Network config version 2 for the card the host booted from, on <paramref name="interfaceName"/>
    /// (the name the deploy agent found for the host's MAC, which the same kernel gives it on the disk):
    /// the host's static address, gateway and DNS.
    /// </summary>
    public static string Network(HostRecord host, string interfaceName)
    {
        var card = new JsonObject
        {
            ["match"] = new JsonObject { ["macaddress"] = host.Mac.ToLowerInvariant() },
            ["set-name"] = interfaceName,
            ["addresses"] = new JsonArray($"{host.Ip}/{host.PrefixLength}"),
        };
        if (host.Gateway is { } gateway)
        {
            card["routes"] = new JsonArray(new JsonObject { ["to"] = "0.0.0.0/0", ["via"] = gateway });
        }
        if (host.Dns.Count > 0)
        {
            var nameservers = new JsonObject { ["addresses"] = new JsonArray([.. host.Dns.Select(d => JsonValue.Create(d))]) };
            if (host.Domain is { } domain)
            {
                nameservers["search"] = new JsonArray(domain);
            }
            card["nameservers"] = nameservers;
        }
        return new JsonObject { ["version"] = 2, ["ethernets"] = new JsonObject { [interfaceName] = card } }.ToJsonString(Json) + "\n";
    }

    /// <summary>
    /// cloud-config (valid against cloud-init 22.4's schema, Debian 12's): hostname; root and the admin user (<c>Preseed:AdminUser</c>) with the SSH keys
    /// (the site's, then the host's own), no password log-in over SSH; apt from the appliance's mirror
    /// (or the host's <c>Mirror</c> setting); the install settings' time zone and extra packages; and the first-boot
    /// report to <paramref name="urls"/>' <c>booted</c> (phone_home, after everything else has run).
    /// </summary>
    public static string User(HostRecord host, BuildUrls urls, PreseedOptions site, IReadOnlyList<string> siteKeys)
    {
        List<string> keys = [.. siteKeys.Concat(host.SshKeys).Distinct(StringComparer.Ordinal)];
        InstallSettings settings = host.Settings.Over(site.SiteSettings);
        var config = new JsonObject
        {
            ["hostname"] = host.Hostname,
            ["fqdn"] = host.Fqdn,
            ["manage_etc_hosts"] = true,
            // Root takes its keys as given (cloud-init's default would refuse root log-ins with them).
            ["disable_root"] = false,
            ["ssh_pwauth"] = false,
            // The image has no locales package (C.UTF-8 is glibc's own): cloud-init's locale-gen would
            // fail. The schema wants a string; cloud-init reads "false" as off.
            ["locale"] = "false",
            // The deploy agent installed GRUB; Debian's grub-pc debconf questions do not apply to an image.
            ["grub_dpkg"] = new JsonObject { ["enabled"] = false },
        };
        // Root exists: cloud-init only adds its keys (and leaves its password alone, lock_passwd false).
        // Listing users at all also keeps the image's own default user (debian) from being created.
        var users = new JsonArray(new JsonObject { ["name"] = "root", ["lock_passwd"] = false, ["ssh_authorized_keys"] = Strings(keys) });
        if (site.AdminUser.Length > 0)
        {
            var admin = new JsonObject
            {
                ["name"] = site.AdminUser,
                ["gecos"] = "admin (provisioner)",
                ["shell"] = "/bin/bash",
                ["groups"] = new JsonArray("sudo"),
                ["ssh_authorized_keys"] = Strings(keys),
                ["lock_passwd"] = site.AdminPasswordHash == "!",
            };
            if (site.AdminPasswordHash != "!")
            {
                admin["passwd"] = site.AdminPasswordHash;
            }
            if (site.AdminSudoWithoutPassword)
            {
                admin["sudo"] = "ALL=(ALL) NOPASSWD:ALL";
            }
            users.Add(admin);
        }
        config["users"] = users;
        if (site.RootPasswordHash != "!")
        {
            config["chpasswd"] = new JsonObject { ["expire"] = false, ["users"] = new JsonArray(new JsonObject { ["name"] = "root", ["password"] = site.RootPasswordHash, ["type"] = "hash" }) };
        }
        (Uri archive, Uri? security) = TemplateModel.MirrorOf(settings, urls, site);
        var apt = new JsonObject
        {
            ["preserve_sources_list"] = false,
            ["primary"] = new JsonArray(new JsonObject { ["arches"] = new JsonArray("default"), ["uri"] = archive.AbsoluteUri }),
            // $MIRROR, $SECURITY and $RELEASE are cloud-init's; the image's own list named the mirror it was built from.
            ["sources_list"] = "deb $MIRROR $RELEASE main\ndeb $MIRROR $RELEASE-updates main\n" + (security is null ? string.Empty : "deb $SECURITY $RELEASE-security main\n"),
        };
        if (security is not null)
        {
            apt["security"] = new JsonArray(new JsonObject { ["arches"] = new JsonArray("default"), ["uri"] = security.AbsoluteUri });
        }
        if (settings.Proxy is { } proxy and not InstallSettings.None)
        {
            apt["proxy"] = proxy;
        }
        config["apt"] = apt;
        if (settings.TimeZone is { Length: > 0 } zone)
        {
            config["timezone"] = zone;
        }
        if (settings.Packages is { } packages and not InstallSettings.None)
        {
            config["package_update"] = true;
            config["packages"] = Strings(packages.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        config["phone_home"] = new JsonObject { ["url"] = urls.Callback("booted"), ["post"] = new JsonArray("instance_id", "hostname"), ["tries"] = 10 };
        return "#cloud-config\n" + config.ToJsonString(Json) + "\n";
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => JsonValue.Create(v))]);
}
