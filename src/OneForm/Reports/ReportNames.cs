using Microsoft.Extensions.Localization;

namespace OneForm.Reports;

/// <summary>The names people read for report states, channels and deduction reasons.</summary>
public static class ReportNames
{
    public static string State(ReportState state, IStringLocalizer l) => state switch
    {
        ReportState.Received => l["Received"],
        ReportState.Investigating => l["Investigating"],
        ReportState.Substantiated => l["Substantiated"],
        ReportState.NotSubstantiated => l["Not substantiated"],
        ReportState.Closed => l["Closed"],
    };

    public static string Channel(ReportChannel channel, IStringLocalizer l) => channel switch
    {
        ReportChannel.Document => l["A document"],
        ReportChannel.ChatMessage => l["A chat message"],
        ReportChannel.PhoneCall => l["A phone call"],
        ReportChannel.Meeting => l["At a meeting"],
        ReportChannel.Other => l["Another way"],
    };

    public static string Reason(DeductionReason reason, IStringLocalizer l) => reason switch
    {
        DeductionReason.SubstantiatedReport => l["Substantiated report"],
        DeductionReason.FormWithoutAdmission => l["Form issued without admission"],
    };
}
