using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Provisioner.Core.Inventory.Data;

/// <summary>
/// Data Protection's key ring in the inventory database, so appliances sharing one PostgreSQL inventory
/// decrypt each other's BMC passwords. (Microsoft's EntityFrameworkCore key store wants the context
/// in dependency injection; ours come from <see cref="InventoryDatabase"/>'s pool, so this is its
/// few lines over that.) Data Protection calls these synchronously, at start and when a key is made.
/// </summary>
internal sealed class DatabaseKeyRepository(InventoryDatabase database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using InventoryDbContext db = database.CreateContext();
        return [.. db.DataProtectionKeys.OrderBy(k => k.Id).Select(k => k.Xml).AsEnumerable().Select(XElement.Parse)];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using InventoryDbContext db = database.CreateContext();
        db.DataProtectionKeys.Add(new DataProtectionKeyRow { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
