using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Accounts.Tokens;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;
using OneForm.Pages.Shared;

namespace OneForm.Pages.Admin.Tokens;

public sealed class IndexModel(OneFormDbContext db, TimeProvider time, DisplayTime displayTime, IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed class IssueInput
    {
        public string Name { get; set; } = "";
        public TokenHolder Holder { get; set; }
        public string? DepartmentCode { get; set; }
        public string? OrgUnitCode { get; set; }
        public int? ValidDays { get; set; }
    }

    [BindProperty]
    public IssueInput Input { get; set; } = new();

    public IssuedTokenResponse? Issued { get; private set; }
    public List<AccessToken> Tokens { get; private set; } = [];
    public List<Department> Departments { get; private set; } = [];
    public UnitLookup UnitLookup { get; private set; } = UnitLookup.Empty;
    public DisplayTime Time => displayTime;
    public DateTimeOffset Now => time.GetUtcNow();

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        UnitLookup = await this.ReadUnitAsync(db, "Input.OrgUnitCode", Input.OrgUnitCode);
        if (ModelState.IsValid && !UnitLookup.Unsettled())
        {
            Input.OrgUnitCode = UnitLookup.Unit?.Code;
            var request = new IssueTokenRequest(Input.Name, Input.Holder, Input.DepartmentCode, Input.OrgUnitCode, Input.ValidDays);
            var (issued, errors) = await TokenIssuing.IssueAsync(db, request, User.ActorId(), time, l);
            foreach (var (field, messages) in errors)
            {
                foreach (var message in messages)
                {
                    ModelState.AddModelError($"Input.{field}", message);
                }
            }
            // The secret is shown on this response only, never stored or redirected with.
            Issued = issued;
            if (issued is not null)
            {
                Input = new IssueInput();
                UnitLookup = UnitLookup.Empty;
                ModelState.Clear();
            }
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(int id)
    {
        var token = await db.AccessTokens.FindAsync(id);
        if (token is null)
        {
            return NotFound();
        }
        token.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync();
        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        Tokens = await db.AccessTokens.AsNoTracking().Include(t => t.Department).Include(t => t.OrgUnit).OrderByDescending(t => t.Id).ToListAsync();
        Departments = await DepartmentQueries.AllAsync(db);
    }
}
