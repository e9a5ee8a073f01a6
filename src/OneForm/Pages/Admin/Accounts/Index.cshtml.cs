using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Data;

namespace OneForm.Pages.Admin.Accounts;

public sealed class IndexModel(OneFormDbContext db, TimeProvider time) : PageModel
{
    public sealed record Row(string Id, string UserName, string DisplayName, Role Role, string? UnitName, string? DepartmentName,
        bool IsDisabled, bool LockedOut);

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public Role? Role { get; set; }

    public List<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Q))
        {
            users = users.Where(u => u.UserName!.Contains(Q.Trim()) || u.DisplayName.Contains(Q.Trim()));
        }
        if (Role is { } role)
        {
            users = users.Where(u => u.Role == role);
        }
        var now = time.GetUtcNow();
        Rows = (await users.OrderBy(u => u.UserName).Take(500)
                .Select(u => new { u.Id, u.UserName, u.DisplayName, u.Role, Unit = u.OrgUnit!.Name, Department = u.Department!.Name, u.IsDisabled, u.LockoutEnd })
                .ToListAsync())
            .Select(u => new Row(u.Id, u.UserName!, u.DisplayName, u.Role, u.Unit, u.Department, u.IsDisabled, u.LockoutEnd > now))
            .ToList();
    }
}
