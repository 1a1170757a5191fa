namespace Provisioner.Core.Inventory;

/// <summary>Host and domain names as RFC 1123 §2.1 allows them: labels of letters, digits and hyphens.</summary>
public static class HostNames
{
    public const int MaxLabelLength = 63;
    public const int MaxNameLength = 253;

    /// <summary>A single label (<c>web01</c>): 1–63 characters, no hyphen at either end.</summary>
    public static bool IsLabel(ReadOnlySpan<char> label) =>
        label.Length is > 0 and <= MaxLabelLength
        && label[0] != '-' && label[^1] != '-'
        && !label.ContainsAnyExcept(LabelChars);

    /// <summary>Dot-separated labels (<c>rack1.example.org</c>), 253 characters at most.</summary>
    public static bool IsDomain(string name)
    {
        if (name.Length is 0 or > MaxNameLength)
        {
            return false;
        }
        foreach (Range range in name.AsSpan().Split('.'))
        {
            if (!IsLabel(name.AsSpan()[range]))
            {
                return false;
            }
        }
        return true;
    }

    private static readonly System.Buffers.SearchValues<char> LabelChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
}
