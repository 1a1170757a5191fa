using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Provisioner.Core.Inventory;
using Provisioner.Core.Users;

namespace Provisioner.Web.Pages;

/// <summary>
/// Admins list users, add them as admin (changes) or viewer (read-only), change their role or
/// remove them (either ends that user's sessions), and list and revoke the API tokens.
/// </summary>
public sealed class UsersModel(UserService users, ApiTokens tokens) : PageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public UserRole Role { get; set; } = UserRole.Viewer;

    public List<UserAccount> Users { get; private set; } = [];

    public List<ApiTokenInfo> Tokens { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostRoleAsync(string name, UserRole role, CancellationToken cancellationToken) =>
        ChangeAsync(() => users.SetRoleAsync(name, role, cancellationToken), $"User {name} is now {role.ToString().ToLowerInvariant()}; their sessions ended.");

    public Task<IActionResult> OnPostRemoveAsync(string name, CancellationToken cancellationToken) =>
        ChangeAsync(() => users.RemoveAsync(name, cancellationToken), $"User {name} removed; their sessions ended.");

    public Task<IActionResult> OnPostRevokeAsync(int id, CancellationToken cancellationToken) =>
        ChangeAsync(() => tokens.RevokeAsync(id, cancellationToken), $"API token {id} revoked.");

    private async Task<IActionResult> ChangeAsync(Func<Task> change, string done)
    {
        try
        {
            await change();
            Message = done;
        }
        catch (InventoryException refused)
        {
            Message = string.Join(' ', refused.Errors.Select(e => e.Message));
        }
        return Redirect("/users");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Users = await users.ListAsync(cancellationToken);
        Tokens = await tokens.ListAsync(cancellationToken);
    }

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
            await LoadAsync(cancellationToken);
            return Page();
        }
    }
}
