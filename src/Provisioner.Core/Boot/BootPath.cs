namespace Provisioner.Core.Boot;

/// <summary>
/// Turns a requested path (from TFTP or HTTP) into a path relative to the boot dir, or refuses it.
/// The rules are lexical; <see cref="BootFiles"/> then checks where symlinks really lead.
/// </summary>
internal static class BootPath
{
    public static bool TryNormalize(string requested, out string relative, out string refusal)
    {
        relative = string.Empty;
        refusal = Check(requested) ?? string.Empty;
        if (refusal.Length > 0)
        {
            return false;
        }
        // pxelinux asks for "/pxelinux.cfg/..." when its path prefix is "/": one leading slash means the boot dir.
        string path = requested.StartsWith('/') ? requested[1..] : requested;
        var segments = new List<string>();
        foreach (string segment in path.Split('/'))
        {
            switch (segment)
            {
                case "" or ".":
                    continue;
                case "..":
                    refusal = "'..' is not allowed in a path";
                    return false;
                default:
                    segments.Add(segment);
                    break;
            }
        }
        if (segments.Count == 0)
        {
            refusal = "the path names no file";
            return false;
        }
        relative = string.Join('/', segments);
        return true;
    }

    private static string? Check(string requested)
    {
        if (requested.Length == 0)
        {
            return "the path is empty";
        }
        if (requested.Contains('\0', StringComparison.Ordinal))
        {
            return "a NUL byte is not allowed in a path";
        }
        if (requested.Contains('\\', StringComparison.Ordinal))
        {
            return "backslashes are not allowed in a path";
        }
        if (requested.StartsWith("//", StringComparison.Ordinal) || requested.StartsWith('~')
            || (requested.Length >= 2 && char.IsAsciiLetter(requested[0]) && requested[1] == ':'))
        {
            return "absolute paths outside the boot dir are not allowed";
        }
        return null;
    }
}
