using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Accounts;
using OneForm.Data;

namespace OneForm.Testing;

/// <summary>
/// OneForm as the tests see it: the real application on a throwaway database, migrated and (by default) seeded
/// with the Changji demo exactly as <c>serve --demo</c> does. Browser tests put it on a real Kestrel port.
/// </summary>
public sealed class OneFormHost : WebApplicationFactory<Program>
{
    public const string TestPassword = "test-pass-2026";

    private readonly Dictionary<string, string?> settings;
    private bool ownsDatabase;

    public TestDatabase Database { get; }
    public DatabaseProvider Provider => Database.Provider;

    private OneFormHost(TestDatabase database, Dictionary<string, string?> settings)
    {
        Database = database;
        this.settings = settings;
    }

    /// <summary>Starts a host on a new database. <paramref name="settings"/> override configuration.</summary>
    public static async Task<OneFormHost> StartAsync(DatabaseProvider provider, bool demo = true, bool kestrel = false,
        IDictionary<string, string?>? settings = null)
    {
        var database = demo ? await TestDatabase.CopyAsync(await DemoTemplateAsync(provider)) : await TestDatabase.CreateAsync(provider);
        var host = await StartOnAsync(database, demo, kestrel, settings);
        host.ownsDatabase = true;
        return host;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<DatabaseProvider, Lazy<Task<TestDatabase>>> DemoTemplates = new();

    /// <summary>
    /// A database that a host has migrated and seeded with the demo, once per provider in this test process. A host with
    /// the demo starts on a copy of it, and its entry point seeds again as <c>serve --demo</c> does (each part of the seed
    /// keeps what is there), so it sees the same demo without thirty hosts each importing the divisions, the catalogue
    /// and the registry over again.
    /// </summary>
    private static Task<TestDatabase> DemoTemplateAsync(DatabaseProvider provider) =>
        DemoTemplates.GetOrAdd(provider, p => new Lazy<Task<TestDatabase>>(async () =>
        {
            var database = await TestDatabase.CreateAsync(p, template: true);
            await using (await StartOnAsync(database))
            {
            }
            return database;
        })).Value;

    /// <summary>Starts another host on an existing database, as a second app node would.</summary>
    public static Task<OneFormHost> StartOnAsync(TestDatabase database, bool demo = true, bool kestrel = false,
        IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Provider.ToString(),
            ["ConnectionStrings:OneForm"] = database.ConnectionString,
            // The entry point runs as `serve`: it migrates, then seeds the demo or creates the first administrator.
            ["Demo:Enabled"] = demo ? "true" : "false",
            // Many tests sign in from 127.0.0.1; the rate limit has its own test.
            ["SignIn:AttemptsPerMinute"] = "100000",
            // Tests send webhooks themselves (WebhookDispatcher.RunOnceAsync), never on a timer.
            ["Webhooks:PollSeconds"] = "86400",
            // The webhook tests' receivers listen on 127.0.0.1, which production refuses as a target; the refusal tests
            // replace this allowance with their own.
            ["Webhooks:AllowedHosts:0"] = "127.0.0.1",
            // Messages go out through their channels when a test sends them (ChannelDelivery.DeliverDueAsync), never on
            // a timer; the push tests' receivers, playing a push service, listen on 127.0.0.1 too.
            ["Channels:PollSeconds"] = "86400",
            ["Push:AllowedHosts:0"] = "127.0.0.1",
            // Photos and finished exports go to the file store here; the folder goes with the host.
            ["Storage:Directory"] = Path.Combine(Path.GetTempPath(), $"oneform-files-{Guid.NewGuid():N}"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var host = new OneFormHost(database, all);
        if (kestrel)
        {
            host.UseKestrel(0);
            host.StartServer();
        }
        _ = host.Services;  // starts the host: the entry point has prepared the database by then
        return Task.FromResult(host);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        // The app's own folder, where its static files are, whichever test project runs it.
        builder.UseSolutionRelativeContentRoot("src/OneForm", "OneForm.slnx");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>The address of the real server, when started with Kestrel.</summary>
    public Uri ServerAddress =>
        new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public async Task<T> WithDbAsync<T>(Func<OneFormDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<OneFormDbContext>());
    }

    /// <summary>Creates an account with a unique user name and <see cref="TestPassword"/>.</summary>
    public async Task<OneFormUser> CreateUserAsync(Role role, string? unitCode = null, string? departmentCode = null, string? prefix = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneFormDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<OneFormUser>>();
        var user = new OneFormUser
        {
            UserName = $"{prefix ?? role.ToString().ToLowerInvariant()}.{Guid.NewGuid().ToString("N")[..8]}",
            // A name as people here have one (the accounts list is swept for English on Chinese pages).
            DisplayName = role switch
            {
                Role.Cadre => "测试填报员", Role.UnitHead => "测试负责人", Role.Reviewer => "测试审核员", Role.Department => "测试部门人员",
                Role.Gatekeeper => "测试组织部人员", Role.Administrator => "测试管理员", _ => "测试账号",
            },
            Role = role,
            OrgUnitId = unitCode is null ? null : await db.OrgUnits.Where(u => u.Code == unitCode).Select(u => u.Id).SingleAsync(),
            DepartmentId = departmentCode is null ? null : await db.Departments.Where(d => d.Code == departmentCode).Select(d => d.Id).SingleAsync(),
            CreatedAt = DateTimeOffset.UtcNow,
        };
        var result = await users.CreateAsync(user, TestPassword);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return user;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (settings["Storage:Directory"] is { } files && Directory.Exists(files))
        {
            Directory.Delete(files, recursive: true);
        }
        if (ownsDatabase)
        {
            await Database.DisposeAsync();
        }
    }
}
