using System.Buffers.Binary;
using System.Text;
using Provisioner.Core.Access;
using Provisioner.Core.Tests.Support;

namespace Provisioner.Core.Tests.Access;

/// <summary>Keys made by the real <c>ssh-keygen</c> (openssh-client), read and fingerprinted as it does.</summary>
public sealed class SshPublicKeyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("provisioner-keys-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("ed25519", 0, "ED25519", 256)]
    [InlineData("ecdsa", 256, "ECDSA", 256)]
    [InlineData("ecdsa", 384, "ECDSA", 384)]
    [InlineData("ecdsa", 521, "ECDSA", 521)]
    [InlineData("rsa", 2048, "RSA", 2048)]
    [InlineData("rsa", 3072, "RSA", 3072)]
    public void RealKey_Accepted_FingerprintAndBitsAsSshKeygenSays(string type, int bits, string algorithm, int expectedBits)
    {
        string pub = Generate(type, bits, "ops@example.org");
        string line = File.ReadAllText(pub).Trim();

        Assert.True(SshPublicKey.TryParse(line, out SshPublicKey? key, out string? error), error);
        Assert.Equal((algorithm, expectedBits, "ops@example.org"), (key.Algorithm, key.Bits, key.Comment));
        Assert.Equal(line, key.Line);
        // "256 SHA256:abc… ops@example.org (ED25519)"
        string[] listed = SshKeygen.Run("-l", "-f", pub).Split(' ');
        Assert.Equal((listed[0], listed[1], $"({algorithm})"), (key.Bits.ToString(System.Globalization.CultureInfo.InvariantCulture), key.Fingerprint, listed[^1].Trim()));
    }

    [Fact]
    public void ShortRsaKey_RefusedNamingItsSize()
    {
        string line = File.ReadAllText(Generate("rsa", 1024, "old")).Trim();

        Assert.False(SshPublicKey.TryParse(line, out _, out string? error));
        Assert.StartsWith("RSA key of 1024 bits: at least 2048 are required", error, StringComparison.Ordinal);
    }

    [Fact]
    public void DamagedOrForeignLines_RefusedSayingWhy()
    {
        string pub = Generate("ed25519", 0, "");
        string privateKey = pub[..^".pub".Length];
        string ed25519 = File.ReadAllText(pub).Trim();
        string data = ed25519.Split(' ')[1];
        byte[] blob = Convert.FromBase64String(data);

        Assert.Equal("DSA keys (ssh-dss) are not accepted: OpenSSH no longer supports them; use an ed25519 key", Refused($"ssh-dss {data}"));
        Assert.StartsWith("unknown key type 'ssh-foo'", Refused($"ssh-foo {data}"), StringComparison.Ordinal);
        Assert.StartsWith("options before the key ('from=\"192.0.2.1\"') are not accepted", Refused($"from=\"192.0.2.1\" {ed25519}"), StringComparison.Ordinal);
        Assert.StartsWith("this is a private key", Refused(File.ReadAllText(privateKey)), StringComparison.Ordinal);
        Assert.Equal("'ssh-ed25519' with no key data after it", Refused("ssh-ed25519"));
        Assert.StartsWith("the key data is not valid base64", Refused($"ssh-ed25519 {data[..^3]}"), StringComparison.Ordinal);
        Assert.Equal("the line says 'ssh-rsa' but its key data is a 'ssh-ed25519' key", Refused($"ssh-rsa {data}"));
        Assert.Equal("the Ed25519 key is not 32 bytes", Refused($"ssh-ed25519 {Convert.ToBase64String(blob[..^4])}"));
        Assert.Equal("the key data has 3 bytes after the key", Refused($"ssh-ed25519 {Convert.ToBase64String([.. blob, 1, 2, 3])}"));
        Assert.Equal("the key data is cut short", Refused($"ssh-ed25519 {Convert.ToBase64String(blob[..2])}"));
        Assert.Equal("the ECDSA key does not name curve nistp384", Refused($"ecdsa-sha2-nistp384 {Convert.ToBase64String(Wire("ecdsa-sha2-nistp384", "nistp256", new byte[65]))}"));
        Assert.Equal("the comment holds control characters", Refused($"{ed25519} bell\a"));
        Assert.StartsWith("empty", Refused("   "), StringComparison.Ordinal);
    }

    [Fact]
    public void ParseLines_SkipsBlanksAndComments_NamesEachBadLine()
    {
        string good = File.ReadAllText(Generate("ed25519", 0, "a@b")).Trim();
        string text = $"# ops team\n\n{good}\r\nssh-rsa AAAA\n{good.Replace("a@b", "second", StringComparison.Ordinal)}\nnot a key\n";

        (List<SshPublicKey> keys, List<string> errors) = SshPublicKey.ParseLines(text);

        Assert.Equal(["a@b", "second"], keys.Select(k => k.Comment));
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("line 4: ", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("line 6: unknown key type 'not'", errors[1], StringComparison.Ordinal);
    }

    private static string Refused(string line)
    {
        Assert.False(SshPublicKey.TryParse(line, out SshPublicKey? key, out string? error), $"accepted: {key}");
        return error;
    }

    /// <summary>SSH wire strings, one after another.</summary>
    private static byte[] Wire(params object[] parts)
    {
        var bytes = new List<byte>();
        foreach (object part in parts)
        {
            byte[] value = part as byte[] ?? Encoding.ASCII.GetBytes((string)part);
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)value.Length);
            bytes.AddRange(length);
            bytes.AddRange(value);
        }
        return [.. bytes];
    }

    private string Generate(string type, int bits, string comment) => SshKeygen.Generate(_dir, type, bits, comment);
}
