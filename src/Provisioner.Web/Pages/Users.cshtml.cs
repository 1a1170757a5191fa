using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Inventory;
using Provisioner.Core.Users;

namespace Provisioner.Web.Pages;

/// <summary>Admins list users and add new ones, as admin (changes) or viewer (read-only).</summary>
public sealed class UsersModel(UserService users) : PageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public UserRole Role { get; set; } = UserRole.Viewer;

    public List<UserAccount> Users { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Users = await users.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            UserAccount added = await users.AddAsync(Name ?? string.Empty, Password ?? string.Empty, Role, cancellationToken);
            Message = $"User {added.Name} added as {added.Role.ToString().ToLowerInvariant()}.";
            return Redirect("/users");
        }
        catch (InventoryException refused)
        {
            foreach (FieldError error in refused.Errors)
            {
                ModelState.AddModelError(error.Field == "name" ? nameof(Name) : nameof(Password), error.Message);
            }
            Users = await users.ListAsync(cancellationToken);
            return Page();
        }
    }
}
