using Microsoft.AspNetCore.Mvc.ModelBinding;
using Provisioner.Core.Inventory;

namespace Provisioner.Web.Ui;

/// <summary>Puts a refused change's errors next to the form fields they name.</summary>
internal static class UiErrors
{
    public static void Show(ModelStateDictionary state, string prefix, InventoryException refused)
    {
        foreach (FieldError error in refused.Errors)
        {
            string field = InstallSettingsForm.FieldName(error);
            // Errors that name no form field (a vanished host) go to the summary.
            state.AddModelError(field is "" or "Host" ? string.Empty : $"{prefix}.{field}", error.Message);
        }
    }
}
