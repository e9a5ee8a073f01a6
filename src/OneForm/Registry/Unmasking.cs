using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Registry;

/// <summary>Showing one resident's full identity number: only with the permission and a stated reason, always audited.</summary>
public sealed class Unmasking(OneFormDbContext db, IdentityProtection protection, AuditActor actor, IStringLocalizer<Localization.SharedResource> l)
{
    public const int MinReasonLength = 4;

    public enum Outcome
    {
        Shown,
        NotFound,
        NotPermitted,
        NoReason,
    }

    public async Task<(Outcome Outcome, string? Number, string? Problem)> UnmaskAsync(long residentId, ClaimsPrincipal user, string? reason)
    {
        var resident = await db.Residents.AsNoTracking().Include(r => r.OrgUnit).SingleOrDefaultAsync(r => r.Id == residentId);
        if (resident is null || !user.Scope().CanSeeTasksOf(resident.OrgUnit!))
        {
            return (Outcome.NotFound, null, null);
        }
        if (user.FindFirstValue(ScopeClaims.MayUnmask) != "true")
        {
            return (Outcome.NotPermitted, null, l["Your account may not see full identity numbers; an administrator grants that."]);
        }
        reason = reason?.Trim() ?? "";
        if (reason.Length < MinReasonLength || reason.Length > 500)
        {
            return (Outcome.NoReason, null, l["Say why you need the full number ({0} to 500 characters); it is written to the audit trail.", MinReasonLength]);
        }
        await protection.EnsureKeyAsync(db);
        var summary = $"{resident.IdentityMasked} {resident.Name}: {reason}";
        db.AuditEntries.Add(actor.Entry("Resident.Unmasked", "Resident", resident.Id.ToString(CultureInfo.InvariantCulture), resident.OrgUnitId, null,
            summary.Length <= 1000 ? summary : summary[..1000]));
        await db.SaveChangesAsync();
        return (Outcome.Shown, protection.Unprotect(resident.IdentityProtected), null);
    }
}
