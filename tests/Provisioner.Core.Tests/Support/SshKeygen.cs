using System.Diagnostics;
using System.Globalization;

namespace Provisioner.Core.Tests.Support;

/// <summary>Real key pairs from OpenSSH's <c>ssh-keygen</c> (openssh-client, installed by test.sh).</summary>
internal static class SshKeygen
{
    /// <summary>A new key pair in <paramref name="dir"/>; returns the .pub file's path (the private key is beside it).</summary>
    public static string Generate(string dir, string type, int bits, string comment)
    {
        string file = Path.Join(dir, $"{type}-{bits}-{Guid.NewGuid():N}");
        Run(["-q", "-t", type, .. bits > 0 ? new[] { "-b", bits.ToString(CultureInfo.InvariantCulture) } : [], "-N", "", "-C", comment, "-f", file]);
        return file + ".pub";
    }

    /// <summary>The public key line of a new key pair.</summary>
    public static string Line(string dir, string type = "ed25519", int bits = 0, string comment = "") =>
        File.ReadAllText(Generate(dir, type, bits, comment)).Trim();

    public static string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("ssh-keygen") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"ssh-keygen {string.Join(' ', arguments)}: {error}");
        return output;
    }
}
