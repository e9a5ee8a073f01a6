using System.ComponentModel.DataAnnotations;
using OneForm.Accounts;

namespace OneForm.Pages.Admin.Accounts;

/// <summary>What the create and edit pages both ask: a name, a role and the unit or department it is bound to.</summary>
public class AccountFields
{
    [Required(ErrorMessage = "Enter a display name.")]
    [StringLength(100, ErrorMessage = "The display name may have at most {1} characters.")]
    public string DisplayName { get; set; } = "";

    public Role Role { get; set; } = Role.Cadre;

    public string? UnitCode { get; set; }

    public string? DepartmentCode { get; set; }
}
