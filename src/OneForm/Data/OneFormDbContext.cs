using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Accounts.Tokens;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Dictionary;
using OneForm.Registry;
using OneForm.Organization;

namespace OneForm.Data;

/// <summary>
/// The one model of OneForm. Each provider derives from it only to keep its own migrations
/// (see docs/adr/0002) and its few provider-specific column settings.
/// </summary>
public abstract class OneFormDbContext(DbContextOptions options, AuditActor actor)
    : IdentityUserContext<OneFormUser>(options), IDataProtectionKeyContext
{
    public DbSet<OrgUnit> OrgUnits => Set<OrgUnit>();
    public DbSet<Department> Departments => Set<Department>();
    public DbSet<UnitGroup> UnitGroups => Set<UnitGroup>();
    public DbSet<UnitGroupMember> UnitGroupMembers => Set<UnitGroupMember>();
    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<DataElement> DataElements => Set<DataElement>();
    public DbSet<Form> Forms => Set<Form>();
    public DbSet<FormSection> FormSections => Set<FormSection>();
    public DbSet<FormField> FormFields => Set<FormField>();
    public DbSet<LegacyForm> LegacyForms => Set<LegacyForm>();
    public DbSet<FillingTask> FillingTasks => Set<FillingTask>();
    public DbSet<DataValue> DataValues => Set<DataValue>();
    public DbSet<DataValueChange> DataValueChanges => Set<DataValueChange>();
    public DbSet<Sharing.VillageRollup> VillageRollups => Set<Sharing.VillageRollup>();
    public DbSet<Sharing.VillageRollupMark> VillageRollupMarks => Set<Sharing.VillageRollupMark>();
    public DbSet<Resident> Residents => Set<Resident>();
    public DbSet<ResidentChange> ResidentChanges => Set<ResidentChange>();
    public DbSet<ImportBatch> ImportBatches => Set<ImportBatch>();
    public DbSet<ImportRejection> ImportRejections => Set<ImportRejection>();
    public DbSet<AppSetting> AppSettings => Set<AppSetting>();
    public DbSet<PersonAttribute> PersonAttributes => Set<PersonAttribute>();
    public DbSet<Registry.Derivation.DerivationRule> DerivationRules => Set<Registry.Derivation.DerivationRule>();
    public DbSet<Admission.AdmissionRequest> AdmissionRequests => Set<Admission.AdmissionRequest>();
    public DbSet<Admission.ProposedField> ProposedFields => Set<Admission.ProposedField>();
    public DbSet<Reports.Report> Reports => Set<Reports.Report>();
    public DbSet<Reports.ReportEvidence> ReportEvidence => Set<Reports.ReportEvidence>();
    public DbSet<Reports.Deduction> Deductions => Set<Reports.Deduction>();
    public DbSet<Sharing.DataGrant> DataGrants => Set<Sharing.DataGrant>();
    public DbSet<Sharing.WebhookEndpoint> WebhookEndpoints => Set<Sharing.WebhookEndpoint>();
    public DbSet<Sharing.WebhookDelivery> WebhookDeliveries => Set<Sharing.WebhookDelivery>();
    public DbSet<Sharing.ExportJob> ExportJobs => Set<Sharing.ExportJob>();
    public DbSet<Media.Activity> Activities => Set<Media.Activity>();
    public DbSet<Media.Photo> Photos => Set<Media.Photo>();
    public DbSet<Sharing.SavedQuery> SavedQueries => Set<Sharing.SavedQuery>();
    public DbSet<Ledgers.LedgerKind> LedgerKinds => Set<Ledgers.LedgerKind>();
    public DbSet<Ledgers.LedgerField> LedgerFields => Set<Ledgers.LedgerField>();
    public DbSet<Ledgers.LedgerEntry> LedgerEntries => Set<Ledgers.LedgerEntry>();
    public DbSet<Ledgers.LedgerEntryChange> LedgerEntryChanges => Set<Ledgers.LedgerEntryChange>();
    public DbSet<Ledgers.LedgerRule> LedgerRules => Set<Ledgers.LedgerRule>();
    public DbSet<Dictionary.Validation.ValidationRule> ValidationRules => Set<Dictionary.Validation.ValidationRule>();
    public DbSet<Collection.ConfirmedWarning> ConfirmedWarnings => Set<Collection.ConfirmedWarning>();
    public DbSet<Collection.FieldComment> FieldComments => Set<Collection.FieldComment>();
    public DbSet<Messages.Message> Messages => Set<Messages.Message>();
    public DbSet<Messages.Reminder> Reminders => Set<Messages.Reminder>();

    /// <summary>What this provider does differently (bulk writes, leases, locks): see <see cref="IDatabaseDialect"/>.</summary>
    public abstract IDatabaseDialect Dialect { get; }

    public DatabaseProvider Provider => Dialect.Provider;

    /// <summary>Bulk operations write one summary audit entry themselves instead of one per row.</summary>
    internal bool SuppressRowAudit { get; set; }

    /// <summary>Who acts in this scope, for audit entries written by hand beside the tracked changes.</summary>
    internal AuditActor Actor => actor;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(OneFormDbContext).Assembly);
    }

    /// <summary>Kept for framework parts that save synchronously (the data-protection key store).</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        ConcurrencyTokens.Advance(ChangeTracker);
        var pending = SuppressRowAudit ? [] : AuditRecorder.Capture(ChangeTracker, actor);
        if (pending.Count == 0)
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        using var ownTransaction = Database.CurrentTransaction is null ? Database.BeginTransaction() : null;
        var written = base.SaveChanges(acceptAllChangesOnSuccess);
        AuditEntries.AddRange(pending.Select(p => p.Complete()));
        base.SaveChanges(acceptAllChangesOnSuccess);
        ownTransaction?.Commit();
        return written;
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        ConcurrencyTokens.Advance(ChangeTracker);
        var pending = SuppressRowAudit ? [] : AuditRecorder.Capture(ChangeTracker, actor);
        var addsChanges = ChangeTracker.Entries<DataValueChange>().Any(e => e.State == EntityState.Added);
        if (pending.Count == 0 && !addsChanges)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        // Keys of added rows exist only after the first save, so both saves share one transaction.
        var ownTransaction = Database.CurrentTransaction is null
            ? await Database.BeginTransactionAsync(cancellationToken)
            : null;
        int written;
        await using (ownTransaction)
        {
            written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            AuditEntries.AddRange(pending.Select(p => p.Complete()));
            await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            if (addsChanges)
            {
                await ValueChangeOrder.PlaceWithinAsync(this, cancellationToken);
            }
            if (ownTransaction is null)
            {
                return written;  // the caller commits; the next reader places the changes
            }
            await ownTransaction.CommitAsync(cancellationToken);
        }
        if (addsChanges)
        {
            await ValueChangeOrder.PlaceAfterCommitAsync(this);
        }
        return written;
    }
}
