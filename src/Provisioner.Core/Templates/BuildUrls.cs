namespace Provisioner.Core.Templates;

/// <summary>
/// The URLs a build's configs point at, on the appliance's HTTP address as the client reaches it.
/// With a token: the per-build preseed and callbacks; without one (the default config), the generic
/// ones.
/// </summary>
public sealed record BuildUrls(string Base, string? Token)
{
    public string Boot => $"{Base}/boot";

    /// <summary>The syslog receiver's UDP port for installers' <c>log_port</c>; null when it is off.</summary>
    public int? LogPort { get; init; }

    /// <summary>The appliance's address as in <see cref="Base"/>, for installers' <c>log_host</c>.</summary>
    public string LogHost => Uri.TryCreate(Base, UriKind.Absolute, out Uri? uri) ? uri.Host : string.Empty;

    public string Preseed => Token is null ? $"{Base}/preseed" : $"{Base}/build/{Token}/preseed";

    /// <summary><c>{base}/build/{token}</c>, a deploy agent's base (plan, steps, NoCloud data); empty without a token.</summary>
    public string Deploy => Token is null ? string.Empty : $"{Base}/build/{Token}";

    /// <summary><c>{base}/build/{token}/{kind}</c>; empty without a token.</summary>
    public string Callback(string kind) => Token is null ? string.Empty : $"{Base}/build/{Token}/{kind}";
}
