using Microsoft.EntityFrameworkCore;
using OneForm.Data;

namespace OneForm.Reports;

/// <summary>Reports as other modules' pages read them (the gatekeeper's and a department's to-do).</summary>
public static class ReportQueries
{
    /// <summary>Reports the gatekeeper has not decided yet: received, or under investigation.</summary>
    public static Task<int> ToHandleAsync(OneFormDbContext db) =>
        db.Reports.CountAsync(r => r.State == ReportState.Received || r.State == ReportState.Investigating);

    /// <summary>Rectifications whose deadline has passed without them being done (as <see cref="Report.IsOverdue"/>).</summary>
    public static Task<int> RectificationsOverdueAsync(OneFormDbContext db, DateOnly today) =>
        db.Reports.CountAsync(r => r.RectificationDue != null && r.RectificationDue < today && r.RectifiedOn == null && r.State != ReportState.Closed);

    /// <summary>Substantiated reports against the department that are not closed: what it must answer for.</summary>
    public static Task<int> OpenAgainstAsync(OneFormDbContext db, int departmentId) =>
        db.Reports.CountAsync(r => r.ResponsibleDepartmentId == departmentId && r.State == ReportState.Substantiated);
}
