using OneForm.Accounts;
using OneForm.Demo;
using OneForm.Oversight.Audit;

namespace OneForm.Data;

/// <summary>
/// What runs before the server takes requests: migrate, then either seed the demo or make sure a first
/// administrator exists. Called by the <c>serve</c> verb and by the test hosts, never lazily by a request.
/// </summary>
public static class StartupPreparation
{
    public static async Task PrepareAsync(IServiceProvider root, bool demo, TextWriter output, CancellationToken cancellationToken = default)
    {
        await using var scope = root.CreateAsyncScope();
        var services = scope.ServiceProvider;
        services.GetRequiredService<AuditActor>().ActAs(demo ? "seed:demo" : "startup");
        await services.GetRequiredService<DatabaseSetup>().MigrateAsync(cancellationToken);
        if (demo)
        {
            await ActivatorUtilities.CreateInstance<DemoSeed>(services).SeedAsync(cancellationToken);
        }
        else
        {
            await ActivatorUtilities.CreateInstance<FirstAdministrator>(services).EnsureAsync(output);
        }
    }
}
