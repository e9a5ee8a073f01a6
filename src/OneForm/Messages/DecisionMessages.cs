using Microsoft.EntityFrameworkCore;
using OneForm.Data;
using OneForm.Sharing;

namespace OneForm.Messages;

/// <summary>Decisions and finished work for the person who asked: a grant request decided, an export ready.</summary>
public sealed class DecisionMessages(OneFormDbContext db, Inbox inbox) : IGrantDecided, IExportReady
{
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
