using System.Net.Http.Json;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Sharing;

/// <summary>Following a roster export until it is no longer queued or running, as its page does.</summary>
public static class ExportProgress
{
    /// <param name="url">Where its progress is read: the address the request answered with, or by default its id's.</param>
    /// <param name="seen">Called with each state read while it runs (the percent a page shows).</param>
    public static async Task<ExportView> FinishedAsync(HttpClient asker, ExportView export, string? url = null, Action<ExportView>? seen = null)
    {
        // A guard against a job that never ends, not a measure of speed: two minutes is far beyond any export here.
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while (export.State is "Queued" or "Running")
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"the export is still {export.State} after two minutes");
            await Task.Delay(100);
            export = (await asker.GetFromJsonAsync<ExportView>(url ?? $"/api/v1/exports/{export.Id}", TestJson.Options))!;
            seen?.Invoke(export);
        }
        return export;
    }
}
