using Microsoft.EntityFrameworkCore;
using OneForm.Data;

namespace OneForm.Sharing;

/// <summary>Grants as other modules' pages read them (a department's to-do).</summary>
public static class GrantQueries
{
    /// <summary>Requests for the department's own elements that wait on its decision.</summary>
    public static Task<int> WaitingForOwnerAsync(OneFormDbContext db, int departmentId) =>
        db.DataGrants.CountAsync(g => g.OwnerDepartmentId == departmentId && g.State == GrantState.Requested);
}

/// <summary>Exports as other modules' pages read them (a department's to-do).</summary>
public static class ExportQueries
{
    /// <summary>The requester's own exports whose file is ready to download (not failed, not expired).</summary>
    public static Task<int> ReadyForAsync(OneFormDbContext db, string actorId) =>
        db.ExportJobs.CountAsync(j => j.RequestedBy == actorId && j.State == ExportState.Done);
}
