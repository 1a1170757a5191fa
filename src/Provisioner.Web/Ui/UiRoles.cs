using Provisioner.Core.Users;

namespace Provisioner.Web.Ui;

/// <summary>The role claims of a signed-in user, named as <see cref="UserRole"/>.</summary>
internal static class UiRoles
{
    public const string Admin = nameof(UserRole.Admin);

    public const string Viewer = nameof(UserRole.Viewer);

    /// <summary>Cookie sign-in for people; the API keeps its bearer tokens.</summary>
    public const string Scheme = "Cookies";

    /// <summary>Any signed-in user.</summary>
    public const string SignedIn = "ui";

    /// <summary>Admins only (the users page).</summary>
    public const string AdminsOnly = "ui-admin";
}
