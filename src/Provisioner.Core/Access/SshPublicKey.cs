using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Security.Cryptography;

namespace Provisioner.Core.Access;

/// <summary>
/// One OpenSSH public key, as a <c>.pub</c> file or an <c>authorized_keys</c> line holds it:
/// <c>TYPE BASE64 [COMMENT]</c>. The key data is read, not just matched: its wire form (RFC 4253
/// section 6.6, RFC 5656 section 3.1, RFC 8709 section 4) must name the same type as the line and hold
/// a whole key of that type and nothing after it. Accepted: Ed25519, ECDSA on the NIST curves, RSA of
/// at least <see cref="MinRsaBits"/> bits. DSA is refused (OpenSSH 9.8 removed it) and so are
/// options before the type (<c>command=</c>, <c>from=</c>): the appliance writes these lines into
/// installed systems' <c>authorized_keys</c>, and a pasted option would change what a key may do there.
/// </summary>
public sealed class SshPublicKey
{
    public const int MinRsaBits = 2048;

    /// <summary>Longer than any real key line (an RSA 16384 key is about 2,800 characters).</summary>
    public const int MaxLineLength = 8192;

    private const int MaxCommentLength = 256;

    private static readonly Dictionary<string, (string Curve, int PointLength, int Bits)> Curves = new(StringComparer.Ordinal)
    {
        ["ecdsa-sha2-nistp256"] = ("nistp256", 65, 256),
        ["ecdsa-sha2-nistp384"] = ("nistp384", 97, 384),
        ["ecdsa-sha2-nistp521"] = ("nistp521", 133, 521),
    };

    private SshPublicKey(string type, byte[] blob, string comment, int bits)
    {
        Type = type;
        Blob = blob;
        Comment = comment;
        Bits = bits;
    }

    /// <summary><c>ssh-ed25519</c>, <c>ecdsa-sha2-nistp256</c>, …, <c>ssh-rsa</c>.</summary>
    public string Type { get; }

    /// <summary>The key in its wire form (the line's base64, decoded).</summary>
    public byte[] Blob { get; }

    /// <summary>The text after the key (often <c>user@host</c>); may be empty.</summary>
    public string Comment { get; }

    public int Bits { get; }

    /// <summary>What <c>ssh-keygen -l</c> prints: <c>SHA256:</c> and the unpadded base64 of the key data's SHA-256.</summary>
    public string Fingerprint => "SHA256:" + Convert.ToBase64String(SHA256.HashData(Blob)).TrimEnd('=');

    /// <summary><c>ED25519</c>, <c>ECDSA</c> or <c>RSA</c>, as <c>ssh-keygen -l</c> names them.</summary>
    public string Algorithm => Type switch
    {
        "ssh-ed25519" => "ED25519",
        "ssh-rsa" => "RSA",
        _ => "ECDSA",
    };

    /// <summary>The line as it is stored and installed: type, key data, and the comment if any, single-spaced.</summary>
    public string Line => Comment.Length == 0 ? $"{Type} {Convert.ToBase64String(Blob)}" : $"{Type} {Convert.ToBase64String(Blob)} {Comment}";

    public override string ToString() => Line;

    /// <summary>Reads one line; false with <paramref name="error"/> saying what is wrong with it, in words for the person who pasted it.</summary>
    public static bool TryParse(string line, [NotNullWhen(true)] out SshPublicKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        error = Check(line.Trim(), out key);
        return error is null;
    }

    /// <summary>
    /// Reads every key in <paramref name="text"/>, one per line (blank lines and <c>#</c> comments
    /// skipped, as in <c>authorized_keys</c>); the errors name each bad line by its number.
    /// </summary>
    public static (List<SshPublicKey> Keys, List<string> Errors) ParseLines(string text)
    {
        var keys = new List<SshPublicKey>();
        var errors = new List<string>();
        string[] lines = text.ReplaceLineEndings("\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            if (TryParse(line, out SshPublicKey? key, out string? error))
            {
                keys.Add(key);
            }
            else
            {
                errors.Add($"line {i + 1}: {error}");
            }
        }
        return (keys, errors);
    }

    private static string? Check(string line, out SshPublicKey? key)
    {
        key = null;
        if (line.Length == 0)
        {
            return "empty: paste a public key (the one line of a .pub file)";
        }
        if (line.Length > MaxLineLength)
        {
            return $"{line.Length} characters, longer than any public key ({MaxLineLength} at most)";
        }
        if (line.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            return "this is a private key: give the public one (the .pub file), and keep the private key to yourself";
        }
        if (line.Contains('\n') || line.Contains('\r'))
        {
            return "more than one line: give one key per line";
        }
        string[] fields = line.Split([' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries);
        string type = fields[0];
        if (type == "ssh-dss")
        {
            return "DSA keys (ssh-dss) are not accepted: OpenSSH no longer supports them; use an ed25519 key";
        }
        if (type != "ssh-ed25519" && type != "ssh-rsa" && !Curves.ContainsKey(type))
        {
            return type.Contains('=', StringComparison.Ordinal) || type.Contains(',', StringComparison.Ordinal)
                ? $"options before the key ('{Shorten(type)}') are not accepted: give the bare public key, TYPE BASE64 [COMMENT]"
                : $"unknown key type '{Shorten(type)}' (accepted: ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, ssh-rsa)";
        }
        if (fields.Length < 2)
        {
            return $"'{type}' with no key data after it";
        }
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(fields[1]);
        }
        catch (FormatException)
        {
            return "the key data is not valid base64 (was the line cut or wrapped?)";
        }
        string comment = fields.Length > 2 ? fields[2].Trim() : string.Empty;
        if (comment.Any(char.IsControl))
        {
            return "the comment holds control characters";
        }
        if (comment.Length > MaxCommentLength)
        {
            return $"the comment is {comment.Length} characters ({MaxCommentLength} at most)";
        }
        string? problem = ReadKey(type, blob, out int bits);
        if (problem is not null)
        {
            return problem;
        }
        key = new SshPublicKey(type, blob, comment, bits);
        return null;
    }

    /// <summary>Reads the wire form; null when it is one whole key of <paramref name="type"/>.</summary>
    private static string? ReadKey(string type, ReadOnlySpan<byte> blob, out int bits)
    {
        bits = 0;
        if (!TryReadString(ref blob, out ReadOnlySpan<byte> inner))
        {
            return "the key data is cut short";
        }
        string innerType = System.Text.Encoding.ASCII.GetString(inner);
        if (innerType != type)
        {
            return $"the line says '{type}' but its key data is a '{Shorten(innerType)}' key";
        }
        switch (type)
        {
            case "ssh-ed25519":
                // RFC 8709 section 4: string "ssh-ed25519", string key (32 octets).
                if (!TryReadString(ref blob, out ReadOnlySpan<byte> point) || point.Length != 32)
                {
                    return "the Ed25519 key is not 32 bytes";
                }
                bits = 256;
                break;
            case "ssh-rsa":
                // RFC 4253 section 6.6: string "ssh-rsa", mpint e, mpint n.
                if (!TryReadString(ref blob, out ReadOnlySpan<byte> e) || !TryReadString(ref blob, out ReadOnlySpan<byte> n)
                    || e.IsEmpty || n.IsEmpty)
                {
                    return "the RSA key is cut short";
                }
                bits = (int)new BigInteger(n, isUnsigned: true, isBigEndian: true).GetBitLength();
                if (bits < MinRsaBits)
                {
                    return $"RSA key of {bits} bits: at least {MinRsaBits} are required (ssh-keygen -t ed25519 makes a better key)";
                }
                break;
            default:
                // RFC 5656 section 3.1: string "ecdsa-sha2-[id]", string [id], string Q (uncompressed point).
                (string curve, int length, int curveBits) = Curves[type];
                if (!TryReadString(ref blob, out ReadOnlySpan<byte> id) || System.Text.Encoding.ASCII.GetString(id) != curve)
                {
                    return $"the ECDSA key does not name curve {curve}";
                }
                if (!TryReadString(ref blob, out ReadOnlySpan<byte> q) || q.Length != length || q[0] != 0x04)
                {
                    return $"the ECDSA point is not an uncompressed {curve} point ({length} bytes)";
                }
                bits = curveBits;
                break;
        }
        return blob.IsEmpty ? null : $"the key data has {blob.Length} bytes after the key";
    }

    /// <summary>An SSH <c>string</c> (RFC 4251 section 5): uint32 length, then that many bytes.</summary>
    private static bool TryReadString(ref ReadOnlySpan<byte> data, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (data.Length < 4)
        {
            return false;
        }
        uint length = BinaryPrimitives.ReadUInt32BigEndian(data);
        if (length > (uint)(data.Length - 4))
        {
            return false;
        }
        value = data.Slice(4, (int)length);
        data = data[(4 + (int)length)..];
        return true;
    }

    /// <summary>Pasted text quoted back in an error: at most 40 characters, control characters shown as '?'.</summary>
    private static string Shorten(string text)
    {
        string cut = text.Length <= 40 ? text : text[..40] + "…";
        return string.Concat(cut.Select(c => char.IsControl(c) ? '?' : c));
    }
}
