using Provisioner.Core.Users;

namespace Provisioner.Core.Tests.Users;

public sealed class PasswordHashingTests
{
    [Fact]
    public void Verify_SamePassword_True_OtherPassword_False()
    {
        string hash = PasswordHashing.Hash("correct horse", [1, 2, 3, 4], 1000);
        Assert.StartsWith("pbkdf2-sha256$1000$", hash, StringComparison.Ordinal);
        Assert.True(PasswordHashing.Verify("correct horse", hash));
        Assert.False(PasswordHashing.Verify("correct horsE", hash));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("pbkdf2-sha256$x$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$0$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$10$not base64$AAAA")]
    [InlineData("md5$10$AAAA$AAAA")]
    public void Verify_MalformedHash_FalseNotThrow(string encoded) => Assert.False(PasswordHashing.Verify("anything", encoded));
}
