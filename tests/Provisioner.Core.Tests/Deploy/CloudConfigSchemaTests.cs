using System.Diagnostics;
using Provisioner.Core.Deploy;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;

namespace Provisioner.Core.Tests.Deploy;

/// <summary>
/// The user-data a deployed host gets is valid cloud-config for the cloud-init in Debian 12 (22.4.2),
/// checked with its own schema (<c>Fixtures/</c>, copied from that package's
/// <c>cloudinit/config/schemas/schema-cloud-config-v1.json</c>) by python3-jsonschema (test.sh installs it),
/// as <c>cloud-init schema</c> would: an invalid document gets only a warning at boot and parts of it ignored.
/// </summary>
public sealed class CloudConfigSchemaTests
{
    private static readonly BuildUrls Urls = new("http://192.0.2.1:8080", "TOKEN_abcdefghijklmnopqrstuvwxyz");

    public static TheoryData<string> Sites() => ["plain", "admin"];

    [Theory]
    [MemberData(nameof(Sites))]
    public void UserData_ValidAgainstCloudInitsSchema(string sample)
    {
        var host = new HostRecord { Id = 7, Mac = "52:54:00:12:35:10", Hostname = "web01", Domain = "example.org", Ip = "192.0.2.10", PrefixLength = 24, Gateway = "192.0.2.1", Profile = "image:debian12" };
        var site = sample == "admin"
            ? new PreseedOptions
            {
                AdminUser = "ops", AdminSudoWithoutPassword = true, AdminPasswordHash = "$6$salt$admin", RootPasswordHash = "$6$salt$root",
                Defaults = new() { Proxy = "http://proxy.example.org:3128/", Packages = "vim htop" },
            }
            : new PreseedOptions();
        string userData = NoCloudData.User(host, Urls, site, ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIaFPUBrO2h2AfWdZYQQZ2RpoXovmWAQRfp4GTV6aImc site"]);

        (int exitCode, string said) = Validate(userData["#cloud-config\n".Length..]);

        Assert.True(exitCode == 0, said);
    }

    /// <summary>The check above can fail: a document the schema refuses is reported.</summary>
    [Fact]
    public void Validate_InvalidDocument_Refused()
    {
        (int exitCode, string said) = Validate("""{ "users": [], "locale": false }""");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("locale", said, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output) Validate(string json)
    {
        string schema = Path.Join(AppContext.BaseDirectory, "Deploy", "Fixtures", "cloud-init-22.4.2-schema-cloud-config-v1.json");
        const string Script = """
            import json, sys
            import jsonschema
            schema = json.load(open(sys.argv[1]))
            errors = list(jsonschema.Draft4Validator(schema).iter_errors(json.load(sys.stdin)))
            for e in errors:
                print("/".join(str(p) for p in e.absolute_path), e.message)
            sys.exit(1 if errors else 0)
            """;
        var start = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "-c", Script, schema })
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start)!;
        process.StandardInput.Write(json);
        process.StandardInput.Close();
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
