using System.Security.Cryptography;

namespace Provisioner.Core.Builds;

/// <summary>Per-build secrets for preseed and callback URLs: 192 random bits, URL-safe.</summary>
public static class BuildTokens
{
    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(24));

    /// <summary>Looks like one of ours: checked before any database look-up.</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: 32 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_').TrimEnd('=');
}
