namespace Provisioner.SystemTests.Support;

/// <summary>Real SSH key pairs from OpenSSH's ssh-keygen (openssh-client, installed by test.sh).</summary>
internal static class SshKeyFiles
{
    /// <summary>A new key pair in <paramref name="dir"/>; returns its public key line (the private key is in a file beside it).</summary>
    public static async Task<string> NewKeyAsync(string dir, string type, int bits, string comment) =>
        (await NewKeyPairAsync(dir, type, bits, comment)).PublicKey;

    /// <summary>A new key pair in <paramref name="dir"/>: its public key line and the private key's file, for <c>ssh -i</c>.</summary>
    public static async Task<(string PublicKey, string PrivateKeyFile)> NewKeyPairAsync(string dir, string type, int bits, string comment)
    {
        string file = Path.Join(dir, $"key-{Guid.NewGuid():N}");
        string[] size = bits > 0 ? ["-b", bits.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];
        ProcessResult made = await ProcessRunner.RunAsync("ssh-keygen", ["-q", "-t", type, .. size, "-N", "", "-C", comment, "-f", file], TimeSpan.FromSeconds(60));
        Assert.True(made.ExitCode == 0, made.Output);
        return ((await File.ReadAllTextAsync(file + ".pub")).Trim(), file);
    }
}
