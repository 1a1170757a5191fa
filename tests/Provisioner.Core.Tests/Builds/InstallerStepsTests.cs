using Provisioner.Core.Builds;

namespace Provisioner.Core.Tests.Builds;

public sealed class InstallerStepsTests
{
    [Theory]
    [InlineData("main-menu", "main-menu[213]: INFO: Menu item 'partman-base' selected", "partman-base")]
    [InlineData("main-menu", "main-menu: INFO: Menu item 'finish-install' selected", "finish-install")]
    [InlineData("main-menu", "main-menu[213]: DEBUG: resolver (libc6): package doesn't exist", null)]
    [InlineData("anna", "anna: Menu item 'netcfg' selected", null)]
    [InlineData("main-menu", "main-menu: INFO: Menu item '<script>' selected", null)]
    public void SelectedItem_OnlyMainMenuSelections(string tag, string text, string? item) => Assert.Equal(item, InstallerSteps.SelectedItem(tag, text));

    [Fact]
    public void Describe_KnownItemsInInstallOrder_RiseThroughTheInstallerSpan()
    {
        string[] order = ["localechooser", "netcfg", "network-preseed", "download-installer", "user-setup-udeb", "clock-setup", "partman-base", "bootstrap-base", "apt-setup-udeb", "pkgsel", "grub-installer", "finish-install"];
        int?[] percents = order.Select(i => InstallerSteps.Describe(i).Percent).ToArray();

        Assert.All(percents, p => Assert.NotNull(p));
        Assert.Equal(percents.Order(), percents);
        Assert.True(percents[^1] <= BuildProgress.InstallerFinishing);
        Assert.Equal(("installer: partitioning (partman-auto)", 62), InstallerSteps.Describe("partman-auto"));
        Assert.Equal(("installer: save-logs", null), InstallerSteps.Describe("save-logs"));
    }
}
