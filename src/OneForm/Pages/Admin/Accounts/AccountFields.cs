using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using OneForm.Accounts;
using OneForm.Organization;

namespace OneForm.Pages.Admin.Accounts;

/// <summary>What the create and edit pages both ask: a name, a role and the unit or department it is bound to.</summary>
public class AccountFields
{
    [Required(ErrorMessage = "Enter a display name.")]
    [StringLength(100, ErrorMessage = "The display name may have at most {1} characters.")]
    public string DisplayName { get; set; } = "";

    public Role Role { get; set; } = Role.Cadre;

    /// <summary>The unit as typed: a code, a name, part of one or pinyin initials (see <see cref="UnitLookup"/>).</summary>
    public string? UnitCode { get; set; }

    /// <summary>What <see cref="UnitCode"/> came to, for the unit picker to show (not posted).</summary>
    [BindNever]
    public UnitLookup UnitLookup { get; set; } = UnitLookup.Empty;

    public string? DepartmentCode { get; set; }
}
