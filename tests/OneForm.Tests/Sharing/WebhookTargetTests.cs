using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Data;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Sharing;

/// <summary>
/// Webhooks go to public addresses only, unless the administrator allows a host: refused at registration with the
/// address named, and refused again when connecting, before any byte is sent. No test sends anything beyond this machine.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed class WebhookTargetTests(Apps apps)
{
    /// <summary>A receiver on 127.0.0.1 that answers 200 and counts what reached it.</summary>
    private static async Task<(WebApplication App, int Port, Func<int> Count)> ReceiverAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var count = 0;
        app.MapPost("/hook", () =>
        {
            Interlocked.Increment(ref count);
            return Results.Ok();
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return (app, address.Port, () => Volatile.Read(ref count));
    }

    [Theory]
    [InlineData("127.0.0.1"), InlineData("127.8.0.1"), InlineData("10.0.0.1"), InlineData("172.16.0.1"), InlineData("172.31.255.255"), InlineData("192.168.1.1")]
    [InlineData("169.254.169.254"), InlineData("100.64.0.1"), InlineData("0.0.0.0"), InlineData("224.0.0.1"), InlineData("255.255.255.255")]
    [InlineData("::1"), InlineData("::"), InlineData("fe80::1"), InlineData("fc00::1"), InlineData("fd12:3456::1"), InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1"), InlineData("::ffff:10.0.0.1"), InlineData("::ffff:169.254.169.254"), InlineData("64:ff9b::a00:1")]
    public void An_internal_address_in_any_form_is_internal(string address) => Assert.True(WebhookTargets.IsInternal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8"), InlineData("172.32.0.1"), InlineData("100.128.0.1"), InlineData("192.169.0.1"), InlineData("11.0.0.1")]
    [InlineData("2001:4860:4860::8888"), InlineData("::ffff:8.8.8.8"), InlineData("64:ff9b::808:808")]
    public void A_public_address_is_not_internal(string address) => Assert.False(WebhookTargets.IsInternal(IPAddress.Parse(address)));

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task An_internal_target_is_refused_with_its_address_named_and_refused_again_when_sending_unless_its_host_is_allowed(DatabaseProvider provider)
    {
        var shared = await apps.GetAsync(provider);
        var (allowedReceiver, allowedPort, allowedGot) = await ReceiverAsync();
        await using var _ = allowedReceiver;
        var (otherReceiver, otherPort, otherGot) = await ReceiverAsync();
        await using var __ = otherReceiver;
        // Only this receiver's host and port is allowed: 127.0.0.1 on any other port is refused like any internal address.
        await using var app = await OneFormHost.StartOnAsync(shared.Database, settings: new Dictionary<string, string?>
        {
            ["Webhooks:AllowedHosts:0"] = $"127.0.0.1:{allowedPort}",
        });
        var welfare = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);

        foreach (var (url, address) in new[]
                 {
                     ("http://127.0.0.1:9/", "127.0.0.1"), ("http://10.0.0.1/hook", "10.0.0.1"), ("http://[::1]/", "::1"),
                     ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"), ("http://[::ffff:127.0.0.1]:8080/", "::ffff:127.0.0.1"),
                     ($"http://127.0.0.1:{otherPort}/hook", "127.0.0.1"),
                 })
        {
            var refused = await welfare.PostAsJsonAsync("/api/v1/webhooks", new WebhookRequest(url));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains($"地址 {address} 属于内部网络", await refused.Content.ReadAsStringAsync());
        }
        var registered = await welfare.PostAsJsonAsync("/api/v1/webhooks", new WebhookRequest($"http://127.0.0.1:{allowedPort}/hook"));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var allowed = (await registered.Content.ReadFromJsonAsync<WebhookView>(TestJson.Options))!;

        // An endpoint that got in before the check (or whose name points inside since) is refused when sending.
        var (inside, allowedDelivery, insideDelivery) = await app.WithDbAsync(async db =>
        {
            var department = await db.Departments.Where(d => d.Code == "MZJ").Select(d => d.Id).SingleAsync();
            var endpoint = new WebhookEndpoint { DepartmentId = department, Url = $"http://127.0.0.1:{otherPort}/hook", Secret = "s", CreatedBy = "legacy", IsActive = false };
            db.WebhookEndpoints.Add(endpoint);
            await db.SaveChangesAsync();
            static WebhookDelivery Delivery(int id) => new() { EndpointId = id, Event = WebhookDispatcher.ValuesChanged, Payload = "{}", CreatedAt = DateTimeOffset.UtcNow, NextAttemptAt = DateTimeOffset.MaxValue };
            var (toAllowed, toInside) = (Delivery(allowed.Id), Delivery(endpoint.Id));
            db.WebhookDeliveries.AddRange(toAllowed, toInside);
            await db.SaveChangesAsync();
            return (endpoint.Id, toAllowed.Id, toInside.Id);
        });

        var sent = await welfare.PostAsync($"/api/v1/webhooks/{allowed.Id}/deliveries/{allowedDelivery}/replay", null);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var delivered = (await sent.Content.ReadFromJsonAsync<DeliveryView>(TestJson.Options))!;
        Assert.Equal(((int?)200, (string?)null), (delivered.LastStatus, delivered.LastError));
        Assert.Equal(1, allowedGot());

        var blocked = (await (await welfare.PostAsync($"/api/v1/webhooks/{inside}/deliveries/{insideDelivery}/replay", null))
            .Content.ReadFromJsonAsync<DeliveryView>(TestJson.Options))!;
        Assert.Equal(((int?)null, "目标地址属于内部网络，Webhook 只能发往公网地址。"), (blocked.LastStatus, blocked.LastError));
        Assert.Null(blocked.DeliveredAt);
        Assert.Equal(0, otherGot());  // refused before connecting: nothing reached the port
        Assert.DoesNotContain(otherPort.ToString(System.Globalization.CultureInfo.InvariantCulture), blocked.LastError);

        // Replays are in the audit trail, delivered or not.
        var replays = await app.WithDbAsync(db => db.AuditEntries.Where(a => a.Kind == "WebhookDelivery.Replayed"
            && (a.EntityKey == allowedDelivery.ToString() || a.EntityKey == insideDelivery.ToString())).Select(a => a.ActorId).ToListAsync());
        var welfareId = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "dept.minzheng").Select(u => u.Id).SingleAsync());
        Assert.Equal([welfareId, welfareId], replays);
        Assert.Equal(HttpStatusCode.NoContent, (await welfare.DeleteAsync($"/api/v1/webhooks/{allowed.Id}")).StatusCode);  // the shared database sends no more to it
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_receiver_that_does_not_answer_reads_as_a_generic_reason_not_the_socket_error(DatabaseProvider provider)
    {
        // The shared test settings allow 127.0.0.1; port 9 (discard) has no listener here, so the connection is refused.
        var app = await apps.GetAsync(provider);
        var welfare = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var registered = await welfare.PostAsJsonAsync("/api/v1/webhooks", new WebhookRequest("http://127.0.0.1:9/hook"));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var endpoint = (await registered.Content.ReadFromJsonAsync<WebhookView>(TestJson.Options))!;
        var delivery = await app.WithDbAsync(async db =>
        {
            (await db.WebhookEndpoints.SingleAsync(e => e.Id == endpoint.Id)).IsActive = false;  // the shared host's dispatcher leaves it alone
            var d = new WebhookDelivery { EndpointId = endpoint.Id, Event = WebhookDispatcher.ValuesChanged, Payload = "{}", CreatedAt = DateTimeOffset.UtcNow, NextAttemptAt = DateTimeOffset.MaxValue };
            db.WebhookDeliveries.Add(d);
            await db.SaveChangesAsync();
            return d.Id;
        });

        var view = (await (await welfare.PostAsync($"/api/v1/webhooks/{endpoint.Id}/deliveries/{delivery}/replay", null)).Content.ReadFromJsonAsync<DeliveryView>(TestJson.Options))!;

        Assert.Equal("对方未应答。", view.LastError);
        var log = (await welfare.GetFromJsonAsync<List<DeliveryView>>($"/api/v1/webhooks/{endpoint.Id}/deliveries", TestJson.Options))!;
        Assert.Equal("对方未应答。", Assert.Single(log).LastError);
        var stored = await app.WithDbAsync(db => db.WebhookDeliveries.Where(d => d.Id == delivery).Select(d => d.LastError).SingleAsync());
        Assert.DoesNotContain("127.0.0.1", stored);
    }
}
