using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Reports;
using OneForm.Sharing;

namespace OneForm.Messages;

/// <summary>Decisions and finished work for the person who asked: a grant request decided, a report decided or closed, an export ready.</summary>
public sealed class DecisionMessages(OneFormDbContext db, Inbox inbox, IStringLocalizer<SharedResource> l) : IGrantDecided, IExportReady, IReportDecided
{
    /// <summary>
    /// The reporter learns the outcome in Chinese (the state's name, and for a report found not substantiated the
    /// reason, which the reporter is meant to read) with a link to the report. Only the reporter: the message names
    /// no one else, and (<see cref="RobotTexts"/>) it never goes to a shared robot group, which would tell who reported.
    /// </summary>
    public void Decided(Report report)
    {
        var outcome = MessageWords.Chinese(() => ReportNames.State(report.State, l));
        if (report.State == ReportState.NotSubstantiated && report.Finding is { Length: > 0 } reason)
        {
            outcome += "：" + reason;
        }
        inbox.Add(report.ReporterUserId, MessageKind.ReportDecided, $"/Reports/{report.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            $"《{report.FormTitle}》", outcome);
    }

    public void Decided(DataGrant grant)
    {
        var owner = grant.Owner?.Name ?? db.Departments.AsNoTracking().Where(d => d.Id == grant.OwnerDepartmentId).Select(d => d.Name).Single();
        if (grant.State == GrantState.Approved)
        {
            inbox.Add(grant.RequestedBy, MessageKind.GrantApproved, "/Grants", owner, grant.Purpose);
        }
        else
        {
            inbox.Add(grant.RequestedBy, MessageKind.GrantRefused, "/Grants", owner, grant.Purpose, grant.DecisionNote ?? "");
        }
    }

    public async Task ReadyAsync(ExportJob job, CancellationToken cancellationToken)
    {
        inbox.Add(job.RequestedBy, MessageKind.ExportReady, "/Exports", job.FileName);
        await db.SaveChangesAsync(cancellationToken);
    }
}
