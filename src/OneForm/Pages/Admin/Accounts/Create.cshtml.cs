using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Accounts.Administration;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Localization;

using OneForm.Pages.Shared;

namespace OneForm.Pages.Admin.Accounts;

public sealed class CreateModel(OneFormDbContext db, UserManager<OneFormUser> users, TimeProvider time, IStringLocalizer<SharedResource> l)
    : PageModel
{
    public sealed class CreateInput : AccountFields
    {
        [Required(ErrorMessage = "Enter a user name.")]
        public string UserName { get; set; } = "";

        [Required(ErrorMessage = "Enter an initial password.")]
        [DataType(DataType.Password)]
        public string Password { get; set; } = "";
    }

    [BindProperty]
    public CreateInput Input { get; set; } = new();

    public async Task OnGetAsync() => await LoadDepartmentsAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        await LoadDepartmentsAsync();
        if (InputRules.Problem(Input.DisplayName, l["Display name"], l) is { } text)
        {
            ModelState.AddModelError("Input.DisplayName", text);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        // A unit typed by name (or picked) comes to its code; a name that matches several units or none is shown with the choices.
        Input.UnitLookup = await this.ReadUnitAsync(db, "Input.UnitCode", Input.UnitCode);
        if (Input.UnitLookup.Choices.Count > 0 || (Input.UnitLookup.NotFound && !Input.UnitLookup.Typed.All(char.IsAsciiDigit)))
        {
            return Page();
        }
        Input.UnitCode = Input.UnitLookup.Unit?.Code ?? Input.UnitCode;
        var binding = await AccountScopeBinding.ResolveAsync(db, Input.Role, Input.UnitCode, Input.DepartmentCode, l);
        if (binding.Problem is not null)
        {
            ModelState.AddModelError($"Input.{binding.Field}", binding.Problem);
            return Page();
        }
        var user = new OneFormUser
        {
            UserName = Input.UserName.Trim(),
            DisplayName = Input.DisplayName.Trim(),
            Role = Input.Role,
            OrgUnitId = binding.OrgUnitId,
            DepartmentId = binding.DepartmentId,
            CreatedAt = time.GetUtcNow(),
        };
        var result = await users.CreateAsync(user, Input.Password);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Code.StartsWith("Password", StringComparison.Ordinal) ? "Input.Password" : "Input.UserName", error.Description);
            }
            return Page();
        }
        TempData["Notice"] = l["Account {0} created.", user.UserName].Value;
        return RedirectToPage("Edit", new { id = user.Id });
    }

    private async Task LoadDepartmentsAsync() => ViewData["Departments"] = await DepartmentQueries.AllAsync(db);
}
