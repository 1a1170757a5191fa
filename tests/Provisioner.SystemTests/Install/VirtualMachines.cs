namespace Provisioner.SystemTests.Install;

/// <summary>
/// The tests that boot QEMU guests under TCG run one at a time, after every other test: each guest
/// wants a whole core of this 2-core machine, and a guest starved by another VM test and the rest
/// of the suite running beside it slowed the installer past its 8-minute limit (CI, 2026-12-02:
/// no early callback from the BIOS install while the UEFI tests and a build ran alongside).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class VirtualMachines
{
    public const string Name = "QEMU guests";
}
