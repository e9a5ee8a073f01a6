using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Ledgers;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Pages.Ledgers;

/// <summary>
/// Records a new entry of the caller's unit, or corrects one, on a phone: a date picker for dates, a list for option
/// sets, the numeric keyboard for numbers. Problems are shown beside the field they name.
/// </summary>
public sealed class EntryModel(OneFormDbContext db, OneForm.Ledgers.Ledgers ledgers, DisplayTime time, IStringLocalizer<SharedResource> l) : PageModel
{
    public LedgerKind? Kind { get; private set; }
    public LedgerEntry? Existing { get; private set; }
    public Dictionary<string, string?> Values { get; private set; } = [];
    public Dictionary<string, string[]> Errors { get; private set; } = [];
    public DateOnly Today => time.Today;

    public async Task<IActionResult> OnGetAsync(int? kind, long? id)
    {
        if (!await LoadAsync(kind, id))
        {
            return NotFound();
        }
        Values = Existing is null
            ? Kind!.Fields.Where(f => f.Type == LedgerFieldType.Date && f.Required).Take(1).ToDictionary(f => f.Id.ToString(CultureInfo.InvariantCulture), _ => (string?)Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            : Existing.ValueMap().ToDictionary(v => v.Key.ToString(CultureInfo.InvariantCulture), v => (string?)v.Value);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int? kind, long? id)
    {
        if (!await LoadAsync(kind, id))
        {
            return NotFound();
        }
        Values = Kind!.Fields.ToDictionary(f => f.Id.ToString(CultureInfo.InvariantCulture), f => (string?)Request.Form["f" + f.Id.ToString(CultureInfo.InvariantCulture)].ToString());
        var input = Values.Where(v => !string.IsNullOrWhiteSpace(v.Value)).ToDictionary();
        if (Existing is null)
        {
            var unit = await OrgUnitQueries.ByIdAsync(db, User.Scope().OrgUnitId!.Value);
            var (entry, errors, reopened) = await ledgers.RecordAsync(User.ActorId(), unit, Kind, input);
            Errors = errors;
            Tell(reopened);
            return entry is null ? Page() : Redirect(Back(entry));
        }
        (Errors, var sentBack) = await ledgers.CorrectAsync(User.ActorId(), Existing, Kind, input);
        Tell(sentBack);
        return Errors.Count > 0 ? Page() : Redirect(Back(Existing));
    }

    /// <summary>A count that changed under a submitted or accepted form sent it back to the unit: the ledger page says which.</summary>
    private void Tell(IReadOnlyList<OneForm.Collection.ReopenedTask> reopened) =>
        TempData["Notice"] = OneForm.Collection.Reopening.Notice(reopened, l) is { Length: > 0 } notice ? notice : null;

    private string Back(LedgerEntry entry) => string.Create(CultureInfo.InvariantCulture,
        $"/Ledgers?kind={entry.LedgerKindId}&period={OneForm.Common.Period.Containing(OneForm.Common.ReportingCycle.Monthly, entry.OccurredOn)}#e{entry.Id}");

    /// <summary>The kind and, for a correction, the entry: only for the people of the entry's unit.</summary>
    private async Task<bool> LoadAsync(int? kind, long? id)
    {
        var scope = User.Scope();
        if (scope.OrgUnitId is null || !scope.Admits(Operations.LedgerEntriesRecord))
        {
            return false;
        }
        if (id is { } entryId)
        {
            Existing = await ledgers.FindAsync(scope, entryId);
            if (Existing is null || !scope.CanFillFor(Existing.OrgUnit!))
            {
                return false;
            }
            Kind = Existing.LedgerKind;
            return true;
        }
        Kind = kind is { } k ? await ledgers.KindAsync(k) : null;
        return Kind is not null;
    }
}
