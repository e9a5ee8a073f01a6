namespace OneForm.Common;

/// <summary>An entity whose every change is written to the audit trail by the DbContext.</summary>
public interface IAudited
{
    /// <summary>The org unit the entity belongs to, if any, so the trail can be searched by unit.</summary>
    int? AuditOrgUnitId { get; }
}
