namespace OneForm.Sharing;

/// <summary>Examples for the OpenAPI reference: what a department's system sends and gets back.</summary>
internal static class SharingExamples
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 10, 30, 0, TimeSpan.FromHours(8));

    public static readonly StatisticsTable Statistics = new("652301000000", "昌吉市", "Village",
        [new StatColumn("DIBAO_PERSONS", "城乡低保人数", "2026Q3", "Sum"), new StatColumn("DIBAO_PERSONS", "城乡低保人数", "2026Q4", "Sum")],
        [
            new StatRow("652301004001", "锦绣社区居民委员会", false, 1, [12, 13], [1, 1], [1, 0]),
            new StatRow("652301004002", "新华社区居民委员会", false, 1, [9, null], [1, 0], [1, 0]),
            new StatRow("652301004000", "建国路街道", true, 2, [21, 13], [2, 1], [2, 0]),
        ],
        new StatRow("652301000000", "昌吉市", true, 2, [21, 13], [2, 1], [2, 0]), []);

    public static readonly SharedValuesPage Values = new(
        [new SharedValue(1042, "DIBAO_PERSONS", "652301004001", "2026Q4", "13", 13, "Derived", At)], 1042);

    public static readonly SharedChangesPage Changes = new(
        [new SharedChange(88231, "TEMP_ASSISTANCE_CASES", "652301004001", "2026Q4", "15", "17", "Entered", At)], 88231);

    public static readonly GrantRequest Grant = new(["DIBAO_PERSONS", "DIBAO_HOUSEHOLDS"], "652301000000", 2026, 2026, "低保家庭子女教育资助核对");

    public static readonly GrantView Granted = new(7, "JYJ", "MZJ", ["DIBAO_HOUSEHOLDS", "DIBAO_PERSONS"], "652301000000", 2026, 2026,
        "低保家庭子女教育资助核对", false, false, "Requested", null, "dept.jiaoyu", null, null);

    public static readonly RosterExportRequest Roster = new("652301000000", MinAge: 80, Attributes: "PA_LOW_INCOME", Format: ExportFormat.Xlsx);

    public static readonly ExportView Export = new(31, "roster-652301000000.xlsx", "Xlsx", "Queued", 0, 4215, 0, null, At, null, null, null);

    public static readonly WebhookRequest Webhook = new("https://mz.example.gov.cn/oneform-hook", [WebhookDispatcher.ValuesChanged, WebhookDispatcher.SubmissionAccepted, WebhookDispatcher.SubmissionReopened]);

    public static readonly WebhookView Registered = new(3, "https://mz.example.gov.cn/oneform-hook",
        [WebhookDispatcher.ValuesChanged, WebhookDispatcher.SubmissionAccepted, WebhookDispatcher.SubmissionReopened], true, 88230, "shown once: keep it to check X-OneForm-Signature");
}
