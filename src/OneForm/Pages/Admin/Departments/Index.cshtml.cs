using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Pages.Admin.Departments;

public sealed class IndexModel(OneFormDbContext db, IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed class DepartmentInput
    {
        [Required(ErrorMessage = "Enter a code.")]
        [RegularExpression("^[A-Za-z0-9_-]{1,32}$", ErrorMessage = "The code may have up to 32 letters, digits, - and _.")]
        public string Code { get; set; } = "";

        [Required(ErrorMessage = "Enter a name.")]
        [StringLength(100, ErrorMessage = "The name may have at most {1} characters.")]
        public string Name { get; set; } = "";

        [StringLength(100, ErrorMessage = "The name may have at most {1} characters.")]
        public string? EnglishName { get; set; }
    }

    [BindProperty]
    public DepartmentInput Input { get; set; } = new();

    public List<Department> Departments { get; private set; } = [];

    public async Task OnGetAsync() => Departments = await db.Departments.AsNoTracking().OrderBy(d => d.Code).ToListAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var code = Input.Code?.Trim().ToUpperInvariant() ?? "";
        if (ModelState.IsValid && await db.Departments.AnyAsync(d => d.Code == code))
        {
            ModelState.AddModelError("Input.Code", l["Department code '{0}' is already taken.", code]);
        }
        if (!ModelState.IsValid)
        {
            await OnGetAsync();
            return Page();
        }
        db.Departments.Add(new Department { Code = code, Name = Input.Name.Trim(), EnglishName = Input.EnglishName?.Trim() });
        await db.SaveChangesAsync();
        return RedirectToPage();
    }
}
