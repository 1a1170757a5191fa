using Provisioner.Core.Inventory;
using Provisioner.Core.Tests.Support;

namespace Provisioner.Core.Tests.Inventory;

/// <summary>Tokens could only be created; now they are listed and revoked, and a revoked one stops working at once.</summary>
public sealed class ApiTokensTests
{
    [Fact]
    public async Task Revoke_OneOfTwo_ItStopsWorking_TheOtherGoesOn()
    {
        await using TestInventory inventory = await TestInventory.CreateAsync();
        var tokens = new ApiTokens(inventory.Database, inventory.Time);
        string ci = await tokens.CreateAsync("ci", default);
        string laptop = await tokens.CreateAsync("laptop", default);

        List<ApiTokenInfo> listed = await tokens.ListAsync(default);
        Assert.Equal(["ci", "laptop"], listed.Select(t => t.Name));
        await tokens.RevokeAsync(listed[1].Id, default);

        Assert.Equal("ci", await tokens.ValidateAsync(ci, default));
        Assert.Null(await tokens.ValidateAsync(laptop, default));
        Assert.Equal(["ci"], (await tokens.ListAsync(default)).Select(t => t.Name));
        InventoryException missing = await Assert.ThrowsAsync<InventoryException>(() => tokens.RevokeAsync(listed[1].Id, default));
        Assert.Equal(InventoryErrorKind.NotFound, missing.Kind);
    }
}
