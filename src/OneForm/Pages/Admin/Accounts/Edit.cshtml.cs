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

/// <summary>Re-scope, disable, unlock or reset an account. Any change ends the account's open sign-ins within a minute.</summary>
public sealed class EditModel(OneFormDbContext db, UserManager<OneFormUser> users, TimeProvider time, IStringLocalizer<SharedResource> l)
    : PageModel
{
    public sealed class EditInput : AccountFields
    {
        public bool IsDisabled { get; set; }

        public bool MayUnmask { get; set; }

        [DataType(DataType.Password)]
        public string? NewPassword { get; set; }

        public string? ConcurrencyStamp { get; set; }
    }

    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    [BindProperty]
    public EditInput Input { get; set; } = new();

    public string UserName { get; private set; } = "";
    public bool LockedOut { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await db.Users.Include(u => u.OrgUnit).Include(u => u.Department).SingleOrDefaultAsync(u => u.Id == Id);
        if (user is null)
        {
            return NotFound();
        }
        Show(user);
        Input = new EditInput
        {
            DisplayName = user.DisplayName,
            Role = user.Role,
            UnitCode = user.OrgUnit?.Code,
            DepartmentCode = user.Department?.Code,
            IsDisabled = user.IsDisabled,
            MayUnmask = user.MayUnmask,
            ConcurrencyStamp = user.ConcurrencyStamp,
        };
        Input.UnitLookup = await OrgUnitSearch.ResolveAsync(db, User.Scope(), Input.UnitCode);
        await LoadDepartmentsAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.FindByIdAsync(Id);
        if (user is null)
        {
            return NotFound();
        }
        Show(user);
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
        if (user.UserName == User.Identity!.Name && (Input.IsDisabled || Input.Role != Role.Administrator))
        {
            ModelState.AddModelError("", l["You cannot disable your own account or take away your own administrator role."]);
            return Page();
        }

        // The stamp the page was loaded with: a change by someone else meanwhile is refused, not overwritten.
        // (The store checks the stamp it loaded too, which covers the moment between this check and the save.)
        if (user.ConcurrencyStamp != Input.ConcurrencyStamp)
        {
            ModelState.AddModelError("", l["Someone else changed this account meanwhile; reload the page and try again."]);
            return Page();
        }

        // A new password is checked before anything changes, so a refused one leaves the account as it was.
        if (!string.IsNullOrEmpty(Input.NewPassword))
        {
            foreach (var validator in users.PasswordValidators)
            {
                var check = await validator.ValidateAsync(users, user, Input.NewPassword);
                foreach (var error in check.Errors)
                {
                    ModelState.AddModelError("Input.NewPassword", error.Description);
                }
            }
            if (!ModelState.IsValid)
            {
                return Page();
            }
            user.PasswordHash = users.PasswordHasher.HashPassword(user, Input.NewPassword);
        }

        user.DisplayName = Input.DisplayName.Trim();
        user.Role = Input.Role;
        user.OrgUnitId = binding.OrgUnitId;
        user.DepartmentId = binding.DepartmentId;
        user.IsDisabled = Input.IsDisabled;
        user.MayUnmask = Input.MayUnmask;
        if (!Input.IsDisabled && user.LockoutEnd > time.GetUtcNow())
        {
            user.LockoutEnd = null;
            user.AccessFailedCount = 0;
        }
        // A new stamp ends the account's open sign-ins, which carry the old role and scope.
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError("", error.Description);
            }
            return Page();
        }
        TempData["Notice"] = l["Account {0} saved.", user.UserName!].Value;
        return RedirectToPage(new { id = user.Id });
    }

    private void Show(OneFormUser user)
    {
        UserName = user.UserName!;
        LockedOut = user.LockoutEnd > time.GetUtcNow();
    }

    private async Task LoadDepartmentsAsync() => ViewData["Departments"] = await DepartmentQueries.AllAsync(db);
}
