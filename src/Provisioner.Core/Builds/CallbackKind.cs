namespace Provisioner.Core.Builds;

/// <summary>What an installer reports through its callback URL.</summary>
public enum CallbackKind
{
    /// <summary>From <c>preseed/early_command</c>: the installer has its preseed and runs.</summary>
    Early,

    /// <summary>From <c>preseed/late_command</c>: packages are in; the target is being finished.</summary>
    Late,

    /// <summary>The install is complete: from now on the host boots from its disk.</summary>
    Finished,

    /// <summary>The installer gave up; the message says why.</summary>
    Failed,

    /// <summary>The installed system booted from its disk: a one-shot unit the installer left behind reports it, once.</summary>
    Booted,
}
