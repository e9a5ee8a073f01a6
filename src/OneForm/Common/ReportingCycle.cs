namespace OneForm.Common;

/// <summary>How often a form is due; a cycle decides its periods (<see cref="Period"/>).</summary>
public enum ReportingCycle
{
    Monthly,
    Quarterly,
    HalfYearly,
    Annual,
    OneOff,
}
