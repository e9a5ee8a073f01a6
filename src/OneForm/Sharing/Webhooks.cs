using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Sharing;

/// <summary>
/// A department's endpoint for changed values of the elements it owns or is granted: OneForm posts them in batches,
/// signed with the endpoint's secret (HMAC-SHA256 of the body), retries with back-off, and keeps a delivery log.
/// </summary>
public sealed class WebhookEndpoint : IAudited
{
    public int Id { get; set; }
    public int DepartmentId { get; set; }
    public Department? Department { get; set; }
    public required string Url { get; set; }

    /// <summary>The signing secret, shown once when the endpoint is registered.</summary>
    public required string Secret { get; set; }

    public bool IsActive { get; set; } = true;

    /// <summary>
    /// The events sent, comma-separated: <see cref="WebhookDispatcher.ValuesChanged"/>, <see cref="WebhookDispatcher.SubmissionAccepted"/>,
    /// <see cref="WebhookDispatcher.SubmissionReopened"/>.
    /// </summary>
    public string Events { get; set; } = WebhookDispatcher.AllEvents;

    /// <summary>
    /// An endpoint told of an acceptance is told when it is taken back, whether or not it chose that event (endpoints
    /// registered before it existed, too): otherwise it would keep a figure as accepted that no longer is.
    /// </summary>
    public bool Wants(string @event)
    {
        var chosen = Events.Split(',');
        return chosen.Contains(@event) || (@event == WebhookDispatcher.SubmissionReopened && chosen.Contains(WebhookDispatcher.SubmissionAccepted));
    }

    /// <summary>The last value change put into a delivery: the next batch starts after it.</summary>
    public long Cursor { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }

    int? IAudited.AuditOrgUnitId => null;
}

public sealed class WebhookDelivery
{
    public long Id { get; set; }
    public int EndpointId { get; set; }
    public required string Event { get; set; }
    public required string Payload { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public int? LastStatus { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class WebhookConfiguration : IEntityTypeConfiguration<WebhookEndpoint>, IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> endpoint)
    {
        endpoint.Property(e => e.Url).HasMaxLength(500);
        endpoint.Property(e => e.Secret).HasMaxLength(100);
        // The column keeps the default it had before submission.reopened existed; Wants reads accepted as asking for it too.
        endpoint.Property(e => e.Events).HasMaxLength(100).HasDefaultValue(WebhookDispatcher.ValuesChanged + "," + WebhookDispatcher.SubmissionAccepted);
        endpoint.Property(e => e.CreatedBy).HasMaxLength(256);
        endpoint.HasOne(e => e.Department).WithMany().HasForeignKey(e => e.DepartmentId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<WebhookDelivery> delivery)
    {
        delivery.Property(d => d.Event).HasMaxLength(40);
        delivery.Property(d => d.LastError).HasMaxLength(500);
        delivery.HasIndex(d => new { d.DeliveredAt, d.NextAttemptAt });
        delivery.HasIndex(d => d.EndpointId);
        delivery.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Turns new value changes into deliveries (through the same sharing rule as reading them, after each endpoint's
/// cursor, so none is skipped or sent twice) and sends what is due, retrying failures with doubling delays.
/// </summary>
public sealed class WebhookDispatcher(OneFormDbContext db, SharingPolicy policy, IHttpClientFactory clients, TimeProvider time,
    IConfiguration configuration, ILogger<WebhookDispatcher> log)
{
    public const string ValuesChanged = "values.changed";
    public const string SubmissionAccepted = "submission.accepted";
    public const string SubmissionReopened = "submission.reopened";
    public const string AllEvents = ValuesChanged + "," + SubmissionAccepted + "," + SubmissionReopened;
    public const int BatchSize = 500;
    private RetrySchedule Retry => RetrySchedule.From(configuration, "Webhooks", maxAttempts: 8);

    // Why a delivery failed, stored as a code and worded in the reader's language when shown (the dispatcher has no reader).
    public const string NoAnswer = "no-answer";
    public const string NoAnswerInTime = "timeout";
    public const string RefusedTarget = "internal-address";

    public static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    /// <summary>One round: new changes into deliveries, then every due delivery sent once.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await ValueChangeOrder.PlaceBeforeReadingAsync(db, cancellationToken);
        foreach (var endpoint in await db.WebhookEndpoints.Where(e => e.IsActive).ToListAsync(cancellationToken))
        {
            if (!endpoint.Wants(ValuesChanged))
            {
                continue;
            }
            var scope = new CallerScope(Role.Department, null, null, endpoint.DepartmentId);
            var ordered = await policy.ChangesAfterAsync(scope, endpoint.Cursor, BatchSize, cancellationToken);
            if (ordered.Count == 0)
            {
                continue;
            }
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                EndpointId = endpoint.Id,
                Event = ValuesChanged,
                Payload = JsonSerializer.Serialize(new { @event = ValuesChanged, changes = ordered }, JsonSerializerOptions.Web),
                NextAttemptAt = now,
                CreatedAt = now,
            });
            endpoint.Cursor = ordered[^1].Id;
            await db.SaveChangesAsync(cancellationToken);
        }

        var due = await db.WebhookDeliveries.Where(d => d.DeliveredAt == null && d.Attempts < Retry.MaxAttempts && d.NextAttemptAt <= now)
            .OrderBy(d => d.Id).Take(100).ToListAsync(cancellationToken);
        var endpoints = await db.WebhookEndpoints.AsNoTracking().ToDictionaryAsync(e => e.Id, cancellationToken);
        foreach (var delivery in due)
        {
            await SendAsync(delivery, endpoints[delivery.EndpointId], cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task SendAsync(WebhookDelivery delivery, WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        delivery.Attempts++;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-OneForm-Event", delivery.Event);
            request.Headers.Add("X-OneForm-Delivery", delivery.Id.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-OneForm-Signature", Sign(endpoint.Secret, delivery.Payload));
            using var response = await clients.CreateClient("webhooks").SendAsync(request, cancellationToken);
            delivery.LastStatus = (int)response.StatusCode;
            // The status says it all; the receiver's own reason phrase is not shown.
            delivery.LastError = null;
            if (response.IsSuccessStatusCode)
            {
                delivery.DeliveredAt = time.GetUtcNow();
                return;
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // The department reads a generic reason (localised when shown), never the socket's text: "Connection
            // refused (10.0.0.7:5432)" would make the delivery log a port scanner. The operator's log keeps the detail.
            delivery.LastStatus = null;
            delivery.LastError = e switch
            {
                { InnerException: WebhookTargetRefusedException } => RefusedTarget,
                TaskCanceledException => NoAnswerInTime,
                _ => NoAnswer,
            };
            log.LogWarning("Webhook delivery {Delivery} to {Url} failed: {Error}", delivery.Id, endpoint.Url, e.InnerException?.Message ?? e.Message);
        }
        delivery.NextAttemptAt = Retry.NextAttempt(time.GetUtcNow(), delivery.Attempts);
    }
}

/// <summary>Sends webhooks in the background every <c>Webhooks:PollSeconds</c> (15); one node at a time (<see cref="BackgroundRounds"/>).</summary>
internal sealed class WebhookService(IServiceScopeFactory scopes, TimeProvider time, IConfiguration configuration, ILogger<WebhookService> log)
    : BackgroundRounds(scopes, log)
{
    protected override string What => "Sending webhooks";

    protected override long? Lease => 4702111234474983745;

    protected override Task<bool> WaitAsync(CancellationToken stoppingToken) =>
        EveryAsync(TimeSpan.FromSeconds(configuration.GetValue("Webhooks:PollSeconds", 15.0)), time, stoppingToken);

    protected override Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<WebhookDispatcher>().RunOnceAsync(cancellationToken);
}

/// <summary>
/// An accepted submission, for the endpoints of every department that may read some of its values: queued in the same
/// transaction as the acceptance, so each is sent once (the dispatcher sends it with the next round) and only with the
/// values that department owns or is granted. When a later change takes the acceptance back, the same endpoints are
/// told so (submission.reopened), in the same transaction as the change.
/// </summary>
public sealed class SubmissionWebhooks(OneFormDbContext db, SharingPolicy policy, TimeProvider time, ActorNames names) : Collection.ISubmissionAccepted, Collection.ISubmissionReopened
{
    public async Task AcceptedAsync(Collection.FillingTask task)
    {
        var elements = task.Form!.Sections.SelectMany(s => s.Fields).Select(f => f.DataElementId).Distinct().ToList();
        foreach (var endpoint in await EndpointsAsync(WebhookDispatcher.SubmissionAccepted))
        {
            var values = await ReadableOf(endpoint, task, elements)
                .OrderBy(v => v.DataElement!.Code)
                .Select(v => new { element = v.DataElement!.Code, name = v.DataElement.Name, value = v.Value })
                .ToListAsync();
            if (values.Count == 0)
            {
                continue;
            }
            Queue(endpoint, WebhookDispatcher.SubmissionAccepted, new
            {
                @event = WebhookDispatcher.SubmissionAccepted,
                task = task.Id,
                form = task.Form.Code,
                formVersion = task.Form.Version,
                admissionCode = task.Form.AdmissionCode,
                unit = task.OrgUnit!.Code,
                unitName = task.OrgUnit.Name,
                period = task.PeriodCode,
                acceptedBy = await names.NameAsync(task.ReviewedBy),
                acceptedById = task.ReviewedBy,
                acceptedAt = task.ReviewedAt,
                values,
            });
        }
    }

    /// <summary>The task's values that the endpoint's department owns or is granted, as the department would read them.</summary>
    private IQueryable<Collection.DataValue> ReadableOf(WebhookEndpoint endpoint, Collection.FillingTask task, List<int> elements) =>
        policy.Readable(new CallerScope(Role.Department, null, null, endpoint.DepartmentId)).AsNoTracking()
            .Where(v => v.OrgUnitId == task.OrgUnitId && v.PeriodCode == task.PeriodCode && elements.Contains(v.DataElementId));

    /// <summary>
    /// To the endpoints that were sent the acceptance (those that want it and may read some of the task's values): the
    /// task, who changed what through which form, and the changes of the values that department may read.
    /// </summary>
    public async Task ReopenedAsync(Collection.FillingTask task, Collection.ReopenCause cause)
    {
        var elements = await db.FormSections.Where(s => s.FormId == task.FormId).SelectMany(s => s.Fields).Select(f => f.DataElementId).Distinct().ToListAsync();
        foreach (var endpoint in await EndpointsAsync(WebhookDispatcher.SubmissionReopened))
        {
            var readable = await ReadableOf(endpoint, task, elements)
                .Select(v => v.DataElement!.Code)
                .ToListAsync();
            if (readable.Count == 0)
            {
                continue;
            }
            Queue(endpoint, WebhookDispatcher.SubmissionReopened, new
            {
                @event = WebhookDispatcher.SubmissionReopened,
                task = task.Id,
                form = task.Form!.Code,
                formVersion = task.Form.Version,
                admissionCode = task.Form.AdmissionCode,
                unit = task.OrgUnit!.Code,
                unitName = task.OrgUnit.Name,
                period = task.PeriodCode,
                reopenedBy = await names.NameAsync(cause.Actor),
                reopenedById = cause.Actor,
                reopenedAt = cause.At,
                reason = "values.changed",
                // A value OneForm keeps itself (a ledger entry recorded late, a registry import) has no form it went through.
                source = cause.Source.ToString(),
                throughForm = cause.ThroughForm?.Code,
                throughFile = cause.ThroughFile,
                changes = cause.Changes.Where(c => readable.Contains(c.Element))
                    .Select(c => new { element = c.Element, oldValue = c.OldValue, newValue = c.NewValue }).ToList(),
            });
        }
    }

    private async Task<List<WebhookEndpoint>> EndpointsAsync(string @event) =>
        [.. (await db.WebhookEndpoints.AsNoTracking().Where(e => e.IsActive).ToListAsync()).Where(e => e.Wants(@event))];

    private void Queue(WebhookEndpoint endpoint, string @event, object payload)
    {
        var now = time.GetUtcNow();
        db.WebhookDeliveries.Add(new WebhookDelivery
        {
            EndpointId = endpoint.Id,
            Event = @event,
            Payload = JsonSerializer.Serialize(payload, JsonSerializerOptions.Web),
            NextAttemptAt = now,
            CreatedAt = now,
        });
    }
}
