using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Registry;
using OneForm.Organization;

namespace OneForm.Pages.Registry;

/// <summary>
/// The administrator uploads a registry export and follows its progress; the batch lives in the database, so leaving
/// the page and coming back (or another app node) shows the same progress.
/// </summary>
[RequestSizeLimit(UploadLimits.RegistryFile), RequestFormLimits(MultipartBodyLengthLimit = UploadLimits.RegistryFile)]
public sealed class ImportsModel(OneFormDbContext db, ImportRunner runner, TimeProvider time, DisplayTime display,
    IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty(SupportsGet = true)] public long? Id { get; set; }

    public ImportBatch? Batch { get; private set; }
    public List<ImportBatch> Batches { get; private set; } = [];
    public List<ImportRejection> FirstRejections { get; private set; } = [];
    public DisplayTime Time => display;
    public bool Running => Batch is { State: BatchState.Running } b && !b.WasInterrupted(time.GetUtcNow());
    public bool Interrupted(ImportBatch batch) => batch.WasInterrupted(time.GetUtcNow());

    public async Task<IActionResult> OnGetAsync()
    {
        if (!User.Scope().CanAdminister)
        {
            return Forbid();
        }
        if (Id is { } id)
        {
            Batch = await db.ImportBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id);
            if (Batch is null)
            {
                return NotFound();
            }
            FirstRejections = await db.ImportRejections.AsNoTracking().Where(r => r.BatchId == id).OrderBy(r => r.Line).Take(20).ToListAsync();
        }
        Batches = await db.ImportBatches.AsNoTracking().OrderByDescending(b => b.Id).Take(20).ToListAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file)
    {
        if (!User.Scope().CanAdminister)
        {
            return Forbid();
        }
        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError("", l["Choose an xlsx or CSV file to import."]);
            return await OnGetAsync();
        }
        await using var stream = file.OpenReadStream();
        var id = await runner.StartAsync(stream, file.FileName, file.Length, User.ActorId());
        return RedirectToPage(new { id });
    }
}
